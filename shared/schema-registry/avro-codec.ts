import registryPackage from '@kafkajs/confluent-schema-registry';
import avro from 'avsc';
import type { RegistryAuth } from '../config/credentials.ts';
import { DauntlessError } from '../errors/dauntless-error.ts';
import { missingSubjectSentence } from './check-subjects.ts';
import { createRegistryAdmin } from './registry-admin.ts';

// Messages on our topics carry the Confluent wire format: magic byte 0, the
// writer schema's registry id (4 bytes, big-endian), then Avro binary. This
// codec hides @kafkajs/confluent-schema-registry behind two calls and turns
// its failures into our codes: bytes that are not ours are bad input
// (dead-lettered); a registry that does not answer is retried; a subject the
// registry lacks when we write is a configuration error (the service stops).
//
// A consumer decodes with the project's schema as the reader (Avro schema
// resolution): whatever compatible version a producer wrote with, the value
// comes out in the shape our code was written for (a field added with a
// default is dropped, a field the writer lacks takes the reader's default).
// The writer schema is fetched by the id in the header, once per id, and the
// id must be a version of the topic's subject: an id of another subject is a
// message written for another topic, dead-lettered as SCHEMA_UNKNOWN.

const { SchemaRegistry } = registryPackage;

export const MAGIC_BYTE = 0;
export const WIRE_HEADER_BYTES = 5;

/** What a consumer expects of a message: the topic's value subject, and the schema it reads with (contract-schemas.ts). */
export type ExpectedSchema = { subject: string; reader: object };

export type AvroCodec = {
  /** Encodes with the latest schema registered under the subject (id looked up once, then cached). */
  encode(subject: string, value: unknown): Promise<Buffer>;
  /**
   * Decodes with the writer schema the id names; given `expected`, checks the id is a version of its subject
   * and reads the value with its reader schema. Without it (tools that print whatever is there), the writer's shape.
   */
  decode(bytes: Buffer, expected?: ExpectedSchema): Promise<{ schemaId: number; value: any }>;
};

/** Reads the schema id from the wire header, or explains why these bytes are not in the wire format. */
export function readSchemaId(bytes: Buffer | null | undefined): number {
  if (!bytes || bytes.length === 0) throw new DauntlessError('DECODE_FAILED', 'The message has no value (null or empty).');
  if (bytes.length < WIRE_HEADER_BYTES) throw new DauntlessError('DECODE_FAILED', `The message is ${bytes.length} bytes: too short for the 5-byte schema-registry header.`);
  if (bytes[0] !== MAGIC_BYTE) throw new DauntlessError('DECODE_FAILED', `The message starts with byte ${bytes[0]}, not the schema-registry magic byte 0: it was not written with a registered schema.`);
  return bytes.readInt32BE(1);
}

/** `auth`: the principal's registry credentials (shared/config/credentials.ts); undefined only for a registry that admits anyone. */
export function createAvroCodec({ url, auth }: { url: string; auth: RegistryAuth | undefined }): AvroCodec {
  const registry = new SchemaRegistry({ host: url.replace(/\/+$/, ''), retry: { retries: 2 }, ...(auth ? { auth: { username: auth.username, password: auth.password } } : {}) });
  const admin = createRegistryAdmin({ url, auth });
  const latestIdBySubject = new Map<string, Promise<number>>();
  // Only a yes is kept: an id may be registered under the subject later.
  const idsOfSubject = new Map<string, Set<number>>();
  const readerTypes = new WeakMap<object, avro.Type>();
  const resolvers = new WeakMap<avro.Type, Map<number, unknown>>();

  async function checkBelongs(schemaId: number, subject: string): Promise<void> {
    if (idsOfSubject.get(subject)?.has(schemaId)) return;
    const versions = await admin.versionsOfId(schemaId);
    if (!versions) throw new DauntlessError('SCHEMA_UNKNOWN', `Schema ${schemaId} is not in the registry: the message names a schema it never had.`);
    if (!versions.some((v) => v.subject === subject)) {
      const elsewhere = [...new Set(versions.map((v) => v.subject))].slice(0, 5).join(', ') || 'no subject';
      throw new DauntlessError('SCHEMA_UNKNOWN', `Schema ${schemaId} is not a version of ${subject} (it is registered under ${elsewhere}): the message was written for another topic.`);
    }
    let ids = idsOfSubject.get(subject);
    if (!ids) idsOfSubject.set(subject, (ids = new Set()));
    ids.add(schemaId);
  }

  function readerType(schema: object): avro.Type {
    let type = readerTypes.get(schema);
    if (!type) readerTypes.set(schema, (type = avro.Type.forSchema(schema as avro.Schema)));
    return type;
  }

  /** The resolver from the writer schema of `schemaId` to the reader, built once per pair. */
  function resolverFor(reader: avro.Type, schemaId: number, writer: avro.Type, subject: string): unknown {
    let byId = resolvers.get(reader);
    if (!byId) resolvers.set(reader, (byId = new Map()));
    let resolver = byId.get(schemaId);
    if (resolver === undefined) {
      try {
        resolver = reader.createResolver(writer);
      } catch (cause) {
        throw new DauntlessError('SCHEMA_INCOMPATIBLE', `Schema ${schemaId} of ${subject} cannot be read as this service's schema of it: ${(cause as Error).message}`, { cause });
      }
      byId.set(schemaId, resolver);
    }
    return resolver;
  }

  function latestId(subject: string): Promise<number> {
    let id = latestIdBySubject.get(subject);
    if (!id) {
      id = registry.getLatestSchemaId(subject).catch((cause: unknown) => {
        latestIdBySubject.delete(subject);
        const failure = classifyRegistryFailure(cause, `look up the latest schema of ${subject}`);
        // Writing needs the subject: without it every message would fail alike, so this stops the service.
        if (failure.code === 'SCHEMA_UNKNOWN') throw new DauntlessError('REGISTRY_SUBJECT_MISSING', missingSubjectSentence(subject) + '.', { cause });
        throw failure;
      });
      latestIdBySubject.set(subject, id);
    }
    return id;
  }

  return {
    async encode(subject, value) {
      const id = await latestId(subject);
      try {
        return await registry.encode(id, value);
      } catch (cause) {
        throw new DauntlessError('VALIDATION_FAILED', `The value does not fit schema ${id} of ${subject}: ${(cause as Error).message}`, { cause });
      }
    },
    async decode(bytes, expected) {
      const schemaId = readSchemaId(bytes);
      let writer: avro.Type;
      try {
        writer = (await registry.getSchema(schemaId)) as unknown as avro.Type;
      } catch (cause) {
        throw classifyRegistryFailure(cause, `fetch schema ${schemaId}`);
      }
      const body = bytes.subarray(WIRE_HEADER_BYTES);
      if (expected) await checkBelongs(schemaId, expected.subject);
      try {
        if (!expected) return { schemaId, value: writer.fromBuffer(body) };
        const reader = readerType(expected.reader);
        return { schemaId, value: reader.fromBuffer(body, resolverFor(reader, schemaId, writer, expected.subject) as avro.Resolver) };
      } catch (cause) {
        if (cause instanceof DauntlessError) throw cause;
        throw new DauntlessError('DECODE_FAILED', `The bytes after the header are not valid Avro for schema ${schemaId}: ${(cause as Error).message}`, { cause });
      }
    },
  };
}

// A 404 for a schema id means the message names a schema this registry never
// had: the record is bad. A 401 or 403 is this principal's credentials or
// roles: a configuration error, the same for every message. Anything else
// (refused connection, 5xx, time-out) is the registry's fault and worth retrying.
function classifyRegistryFailure(cause: unknown, what: string): DauntlessError {
  const status = (cause as { status?: number })?.status;
  const message = (cause as Error)?.message ?? String(cause);
  if (cause instanceof DauntlessError) return cause;
  if (status === 401 || status === 403) {
    return new DauntlessError('CONFIG_INVALID', `Could not ${what}: the schema registry refused this principal (${status}); check DAUNTLESS_REGISTRY_USER and DAUNTLESS_REGISTRY_PASSWORD.`, { cause });
  }
  if (status === 404 || /not found/i.test(message)) {
    return new DauntlessError('SCHEMA_UNKNOWN', `Could not ${what}: the registry does not know it (${message}).`, { cause });
  }
  return new DauntlessError('REGISTRY_UNAVAILABLE', `Could not ${what}: ${message}`, { retriable: true, cause });
}
