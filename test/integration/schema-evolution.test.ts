// The contract across schema versions, against the real registry: a consumer
// reads with the project's schema (schemas/*.avsc) as the reader, whatever
// BACKWARD-compatible version another producer wrote with, and refuses an id
// that belongs to another topic's subject.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import avro from 'avsc';
import { contractSchema, SCHEMA_FILE } from '../../shared/contracts/contract-schemas.ts';
import { TOPIC, valueSubject } from '../../shared/contracts/topics.ts';
import { createAvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { createRegistryAdmin } from '../../shared/schema-registry/registry-admin.ts';
import { testEndpoints, testRegistryAuth } from '../helpers/endpoints.ts';
import { sampleIncident } from '../helpers/sample-incident.ts';
import { uniqueName } from '../helpers/unique.ts';

const endpoints = testEndpoints();
const registry = createRegistryAdmin({ url: endpoints.schemaRegistryUrl, auth: testRegistryAuth() });
const codec = createAvroCodec({ url: endpoints.schemaRegistryUrl, auth: testRegistryAuth() });
const subject = valueSubject(`${uniqueName('evolution')}.cad.incidents.v1`);
const v1 = contractSchema(SCHEMA_FILE.incident) as { fields: { name: string }[] };
/** What another producer writes: a field added with a default, and an alias on a field it keeps. */
const v2 = {
  ...v1,
  fields: [
    ...v1.fields.map((f) => (f.name === 'incidentId' ? { ...f, aliases: ['callReference'] } : f)),
    { name: 'callerLanguage', type: ['null', 'string'], default: null, doc: 'Added in v2: the language the call was taken in.' },
  ],
};
let v2Id: number;

/** The wire format another producer writes: magic byte, schema id, Avro binary. */
function wire(id: number, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeInt32BE(id, 1);
  return Buffer.concat([header, body]);
}

beforeAll(async () => {
  await registry.setCompatibility(subject, 'BACKWARD');
  await registry.register(subject, v1);
  v2Id = await registry.register(subject, v2);
});

afterAll(async () => {
  await registry.deleteSubject(subject).catch(() => undefined);
});

describe('decoding across schema versions', () => {
  it('reads a BACKWARD-compatible v2 (a field added with a default, a field alias) as the v1 shape our code was written for', async () => {
    expect(await registry.latest(subject)).toMatchObject({ id: v2Id, version: 2 });
    const incident = sampleIncident();
    const written = avro.Type.forSchema(v2 as avro.Schema).toBuffer({ ...incident, callerLanguage: 'cy' });
    const expected = { subject, reader: contractSchema(SCHEMA_FILE.incident) };

    const { schemaId, value } = await codec.decode(wire(v2Id, written), expected);
    expect(schemaId).toBe(v2Id);
    const asV1 = avro.Type.forSchema(v1 as avro.Schema);
    expect(value).toEqual(asV1.fromBuffer(asV1.toBuffer(incident)));
    expect(value).not.toHaveProperty('callerLanguage');
    // Without a reader, the writer's shape: the added field is there.
    expect((await codec.decode(wire(v2Id, written))).value.callerLanguage).toBe('cy');
  });

  it('refuses an id of another subject as SCHEMA_UNKNOWN, though its bytes are valid Avro of that schema', async () => {
    const justice = await registry.latest(valueSubject(TOPIC.justiceEvents));
    expect(justice).toBeDefined();
    const versions = await registry.versionsOfId(justice!.id);
    expect(versions!.some((v) => v.subject === valueSubject(TOPIC.justiceEvents))).toBe(true);
    const error = await codec.decode(wire(justice!.id, Buffer.alloc(0)), { subject, reader: contractSchema(SCHEMA_FILE.incident) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SCHEMA_UNKNOWN', retriable: false });
    expect((error as Error).message).toContain(`Schema ${justice!.id} is not a version of ${subject}`);
  });

  it('refuses an id the registry never had as SCHEMA_UNKNOWN', async () => {
    await expect(codec.decode(wire(2_147_000_000, Buffer.from([1])), { subject, reader: contractSchema(SCHEMA_FILE.incident) })).rejects.toMatchObject({ code: 'SCHEMA_UNKNOWN' });
  });
});
