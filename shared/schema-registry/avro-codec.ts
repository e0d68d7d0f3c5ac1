import registryPackage from '@kafkajs/confluent-schema-registry';
import { DauntlessError } from '../errors/dauntless-error.ts';

// Messages on our topics carry the Confluent wire format: magic byte 0, the
// writer schema's registry id (4 bytes, big-endian), then Avro binary. This
// codec hides @kafkajs/confluent-schema-registry behind two calls and turns
// its failures into our codes: bytes that are not ours are bad input
// (dead-lettered); a registry that does not answer is retried.

const { SchemaRegistry } = registryPackage;

export const MAGIC_BYTE = 0;
export const WIRE_HEADER_BYTES = 5;

export type AvroCodec = {
  /** Encodes with the latest schema registered under the subject (id looked up once, then cached). */
  encode(subject: string, value: unknown): Promise<Buffer>;
  decode(bytes: Buffer): Promise<{ schemaId: number; value: any }>;
};

/** Reads the schema id from the wire header, or explains why these bytes are not in the wire format. */
export function readSchemaId(bytes: Buffer | null | undefined): number {
  if (!bytes || bytes.length === 0) throw new DauntlessError('DECODE_FAILED', 'The message has no value (null or empty).');
  if (bytes.length < WIRE_HEADER_BYTES) throw new DauntlessError('DECODE_FAILED', `The message is ${bytes.length} bytes: too short for the 5-byte schema-registry header.`);
  if (bytes[0] !== MAGIC_BYTE) throw new DauntlessError('DECODE_FAILED', `The message starts with byte ${bytes[0]}, not the schema-registry magic byte 0: it was not written with a registered schema.`);
  return bytes.readInt32BE(1);
}

export function createAvroCodec({ url }: { url: string }): AvroCodec {
  const registry = new SchemaRegistry({ host: url.replace(/\/+$/, ''), retry: { retries: 2 } });
  const latestIdBySubject = new Map<string, Promise<number>>();

  function latestId(subject: string): Promise<number> {
    let id = latestIdBySubject.get(subject);
    if (!id) {
      id = registry.getLatestSchemaId(subject).catch((cause: unknown) => {
        latestIdBySubject.delete(subject);
        throw classifyRegistryFailure(cause, `look up the latest schema of ${subject}`);
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
    async decode(bytes) {
      const schemaId = readSchemaId(bytes);
      let writer;
      try {
        writer = await registry.getSchema(schemaId);
      } catch (cause) {
        throw classifyRegistryFailure(cause, `fetch schema ${schemaId}`);
      }
      try {
        return { schemaId, value: (writer as any).fromBuffer(bytes.subarray(WIRE_HEADER_BYTES)) };
      } catch (cause) {
        throw new DauntlessError('DECODE_FAILED', `The bytes after the header are not valid Avro for schema ${schemaId}: ${(cause as Error).message}`, { cause });
      }
    },
  };
}

// A 404 for a schema id means the message names a schema this registry never
// had: the record is bad. Anything else (refused connection, 5xx, time-out)
// is the registry's fault and worth retrying.
function classifyRegistryFailure(cause: unknown, what: string): DauntlessError {
  const status = (cause as { status?: number })?.status;
  const message = (cause as Error)?.message ?? String(cause);
  if (status === 404 || /not found/i.test(message)) {
    return new DauntlessError('SCHEMA_UNKNOWN', `Could not ${what}: the registry does not know it (${message}).`, { cause });
  }
  return new DauntlessError('REGISTRY_UNAVAILABLE', `Could not ${what}: ${message}`, { retriable: true, cause });
}
