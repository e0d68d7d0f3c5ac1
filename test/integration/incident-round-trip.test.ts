import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin } from 'kafkajs';
import { createKafka } from '../../shared/kafka/create-kafka.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { createAvroCodec, readSchemaId } from '../../shared/schema-registry/avro-codec.ts';
import { createRegistryAdmin } from '../../shared/schema-registry/registry-admin.ts';
import { readSchema } from '../../deploy/provision.ts';
import { valueSubject } from '../../shared/contracts/topics.ts';
import { testEndpoints, testRegistryAuth } from '../helpers/endpoints.ts';
import { kcatConnection, testKafkaSecurity } from '../helpers/kafka-security.ts';
import { sampleIncident } from '../helpers/sample-incident.ts';
import { uniqueName } from '../helpers/unique.ts';
import { waitFor } from '../helpers/wait-for.ts';

const run = promisify(execFile);
const endpoints = testEndpoints();
const logger = createLogger('test', { level: process.env.LOG_LEVEL ?? 'silent' });
const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'round-trip-test', logger, security: testKafkaSecurity() });
const topic = uniqueName('cad.incidents');
const subject = valueSubject(topic);
let admin: Admin;
let schemaId: number;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true });
  const registry = createRegistryAdmin({ url: endpoints.schemaRegistryUrl, auth: testRegistryAuth() });
  await registry.setCompatibility(subject, 'BACKWARD');
  schemaId = await registry.register(subject, readSchema('incident-reported.avsc'));
});

afterAll(async () => {
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await createRegistryAdmin({ url: endpoints.schemaRegistryUrl, auth: testRegistryAuth() }).deleteSubject(subject).catch(() => undefined);
  await admin.disconnect();
});

describe('an IncidentReported through Kafka in the registry wire format', () => {
  it('comes back from a consumer group exactly as sent, and kcat reads its key and schema id', async () => {
    const incident = sampleIncident({ incidentId: 'CAD-RT-0001', eventId: 'evt-rt-0001' });
    const codec = createAvroCodec({ url: endpoints.schemaRegistryUrl, auth: testRegistryAuth() });
    const value = await codec.encode(subject, incident);
    expect(readSchemaId(value)).toBe(schemaId);

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'CAD-RT-0001', value, headers: { 'dauntless-event-id': 'evt-rt-0001' } }] });
    await producer.disconnect();

    const received: { key: string; value: Buffer; partition: number }[] = [];
    const consumer = kafka.consumer({ groupId: uniqueName('round-trip'), maxWaitTimeInMs: 50 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        received.push({ key: message.key!.toString(), value: message.value!, partition });
      },
    });
    await waitFor('the incident to be consumed', () => received.length > 0);
    await consumer.disconnect();

    expect(received).toHaveLength(1);
    const decoded = await createAvroCodec({ url: endpoints.schemaRegistryUrl, auth: testRegistryAuth() }).decode(received[0]!.value);
    expect(decoded.schemaId).toBe(schemaId);
    expect(decoded.value).toEqual(incident);

    // kcat (librdkafka) as an independent client: the key, the header, and the
    // first five value bytes are the magic byte and the big-endian schema id.
    const { stdout } = await run(
      'kcat',
      [...kcatConnection(endpoints.kafkaBrokers), '-C', '-t', topic, '-o', 'beginning', '-c', '1', '-e', '-q', '-f', 'key=%k\nheaders=%h\nlength=%S\nvalue=%s'],
      { encoding: 'buffer', timeout: 20_000 },
    );
    const text = stdout.toString('latin1');
    expect(text).toContain('key=CAD-RT-0001\n');
    expect(text).toContain('headers=dauntless-event-id=evt-rt-0001\n');
    const length = Number(/length=(\d+)\n/.exec(text)![1]);
    const valueStart = stdout.indexOf('value=') + 'value='.length;
    const valueBytes = stdout.subarray(valueStart, valueStart + length);
    expect(valueBytes.equals(value)).toBe(true);
    expect(valueBytes[0]).toBe(0);
    expect(valueBytes.readInt32BE(1)).toBe(schemaId);
  });

  it('refuses, before sending, a value that does not fit the schema', async () => {
    const codec = createAvroCodec({ url: endpoints.schemaRegistryUrl, auth: testRegistryAuth() });
    await expect(codec.encode(subject, sampleIncident({ boroughCode: 42 }))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('says why bytes that are not in the wire format cannot be decoded', async () => {
    const codec = createAvroCodec({ url: endpoints.schemaRegistryUrl, auth: testRegistryAuth() });
    await expect(codec.decode(Buffer.from('{"incidentId":"x"}'))).rejects.toMatchObject({ code: 'DECODE_FAILED' });
    await expect(codec.decode(Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 1, 2]))).rejects.toMatchObject({ code: 'SCHEMA_UNKNOWN' });
  });
});
