// The broker checks who is asking: against the local stack's Kafka (TLS,
// SCRAM-SHA-512, the ACLs of deploy/principals.ts), a client without a login,
// with a wrong password, without TLS or not trusting the stack's CA is
// refused, and each principal can do what its row says and no more. The
// outside principals log in with exactly the variables an outside check uses
// (DAUNTLESS_CAD_WRITER_USER/_PASSWORD, DAUNTLESS_DISPATCH_READER_USER/_PASSWORD
// in the endpoints file).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Consumer, Kafka, KafkaConfig } from 'kafkajs';
import { stackSetting } from '../../shared/config/credentials.ts';
import type { KafkaSecurity } from '../../shared/config/kafka-security.ts';
import { TOPIC, valueSubject } from '../../shared/contracts/topics.ts';
import { createKafka } from '../../shared/kafka/create-kafka.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { createAvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { testEndpoints, testRegistryAuth } from '../helpers/endpoints.ts';
import { kcatConnection, testKafkaSecurity } from '../helpers/kafka-security.ts';
import { sampleIncident } from '../helpers/sample-incident.ts';
import { uniqueName } from '../helpers/unique.ts';
import { waitFor } from '../helpers/wait-for.ts';

const endpoints = testEndpoints();
// kafkajs says why the broker refused in its own log lines (a refused group shows only as "Failed to find
// group coordinator" to the caller): kept to assert on.
const kafkajsLines: string[] = [];
const logger = createLogger('test', { level: 'error' }, { write: (line: string) => void kafkajsLines.push(line) });
const admin = testKafkaSecurity();
// No retries: a refusal is the answer, not a reason to ask again.
const once: Partial<KafkaConfig> = { retry: { retries: 0 }, connectionTimeout: 3_000, requestTimeout: 5_000 };

const clientOf = (security: KafkaSecurity, name: string): Kafka =>
  createKafka({ brokers: endpoints.kafkaBrokers, clientId: `kafka-security-test-${name}`, logger, security, config: once });

/** An outside principal, as an outside check logs in: the user and password variables of the endpoints file. */
function outside(prefix: 'DAUNTLESS_CAD_WRITER' | 'DAUNTLESS_DISPATCH_READER'): KafkaSecurity {
  const username = stackSetting(`${prefix}_USER`);
  const password = stackSetting(`${prefix}_PASSWORD`);
  if (!username || !password || !admin.sasl) throw new Error(`${prefix}_USER and _PASSWORD are not in the endpoints file: is the stack up?`);
  return { tls: admin.tls, sasl: { mechanism: admin.sasl.mechanism, username, password } };
}

const refusedForAuthorization = /authoriz/i;
const execFileAsync = promisify(execFile);

/** kcat -L (metadata) with these arguments: its exit code and what it said. */
async function kcatMetadata(args: string[]): Promise<{ code: number; said: string }> {
  try {
    const { stdout, stderr } = await execFileAsync('kcat', [...args, '-L', '-m', '3'], { timeout: 20_000 });
    return { code: 0, said: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, said: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

// On a fresh broker the group coordinator comes up with the first group asked about; the admin asks first,
// patiently, so a refusal below is the ACL's, never "coordinator not available yet".
beforeAll(async () => {
  if (!admin.sasl) return;
  const patient = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'kafka-security-test-warm-up', logger, security: admin }).admin();
  await patient.connect();
  try {
    const groupId = uniqueName('warm-up');
    await waitFor('the group coordinator to answer', async () => Boolean(await patient.fetchOffsets({ groupId, topics: [TOPIC.intelligence] })), { timeoutMs: 60_000, intervalMs: 200 });
  } finally {
    await patient.disconnect();
  }
});

const consumers: Consumer[] = [];
afterAll(async () => {
  await Promise.all(consumers.map((c) => c.disconnect().catch(() => undefined)));
});

/** Subscribes and runs; resolves with the crash error, or 'fetched' once a fetch came back without one. */
async function firstFetchOrCrash(kafka: Kafka, groupId: string, topic: string): Promise<Error | 'fetched'> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 50, retry: { retries: 0 } });
  consumers.push(consumer);
  let outcome: Error | 'fetched' | undefined;
  consumer.on(consumer.events.CRASH, ({ payload }) => void (outcome ??= payload.error));
  consumer.on(consumer.events.FETCH, () => void (outcome ??= 'fetched'));
  await consumer.connect();
  try {
    // A topic it may not describe is refused here, before any fetch.
    await consumer.subscribe({ topic, fromBeginning: true });
  } catch (error) {
    return error as Error;
  }
  await consumer.run({ eachMessage: async () => undefined });
  return waitFor(`the consumer of ${topic} to fetch or crash`, () => outcome, { timeoutMs: 30_000 });
}

describe.skipIf(!admin.sasl)('Kafka on the local stack checks who is asking', () => {
  it('refuses a client with no login', async () => {
    const kafka = clientOf({ tls: admin.tls }, 'anonymous');
    const probe = kafka.admin();
    await expect(probe.connect().then(() => probe.listTopics())).rejects.toThrow();
    await probe.disconnect().catch(() => undefined);
  });

  it('refuses a wrong password', async () => {
    const kafka = clientOf({ tls: admin.tls, sasl: { ...admin.sasl!, password: 'not-the-password-of-dauntless-admin' } }, 'wrong-password');
    await expect(kafka.admin().connect()).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
  });

  it('takes no plaintext: a client without TLS cannot even start its login', async () => {
    const kafka = clientOf({ tls: false, sasl: admin.sasl }, 'plaintext');
    await expect(kafka.admin().connect()).rejects.toThrow();
  });

  it('refuses kcat in plaintext, and on the mutual-TLS listener without a client certificate; takes it with one', async () => {
    const plaintext = await kcatMetadata(['-b', endpoints.kafkaBrokers.join(',')]);
    expect(plaintext.code).not.toBe(0);
    const tlsBrokers = stackSetting('KAFKA_TLS_BROKERS')!;
    const noCertificate = await kcatMetadata(['-b', tlsBrokers, '-X', 'security.protocol=SSL', '-X', `ssl.ca.location=${stackSetting('DAUNTLESS_CA_FILE')}`]);
    expect(noCertificate.code).not.toBe(0);
    expect(noCertificate.said).toMatch(/certificate/i);
    const withCertificate = await kcatMetadata(kcatConnection(endpoints.kafkaBrokers));
    expect(withCertificate.code, withCertificate.said).toBe(0);
    expect(withCertificate.said).toContain(TOPIC.intelligence);
  });

  it('refuses TLS to a client that does not trust the stack\'s CA', async () => {
    // The system's CAs only: none of them signed the broker's certificate.
    const kafka = clientOf({ tls: {}, sasl: admin.sasl }, 'untrusting');
    await expect(kafka.admin().connect()).rejects.toThrow(/certificate/i);
  });

  it('lets the resolver neither read the audit trail nor delete it nor change its configs', async () => {
    const resolver = clientOf(testKafkaSecurity('dauntless-resolver'), 'resolver');
    const crash = await firstFetchOrCrash(resolver, uniqueName('resolver-reads-audit'), TOPIC.audit);
    expect(crash).toBeInstanceOf(Error);
    expect((crash as Error).message).toMatch(refusedForAuthorization);

    const resolverAdmin = resolver.admin();
    await resolverAdmin.connect();
    try {
      // It may describe the topic (writing implies it); kafkajs wants the metadata before deleting.
      await resolverAdmin.fetchTopicMetadata({ topics: [TOPIC.audit] });
      // kafkajs wraps the broker's answer per partition.
      const deleting = await resolverAdmin.deleteTopicRecords({ topic: TOPIC.audit, partitions: [{ partition: 0, offset: '-1' }] }).then(() => undefined, (error: unknown) => error);
      type Refusal = { partitions?: { error?: { type?: string } }[]; cause?: Refusal };
      const refusal = deleting as Refusal | undefined;
      const refusals = (refusal?.partitions ?? refusal?.cause?.partitions)?.map((p) => p.error?.type);
      expect(refusals).toEqual(['TOPIC_AUTHORIZATION_FAILED']);
      await expect(
        resolverAdmin.alterConfigs({ validateOnly: true, resources: [{ type: 2, name: TOPIC.audit, configEntries: [{ name: 'retention.ms', value: '1' }] }] }),
      ).rejects.toThrow(refusedForAuthorization);
    } finally {
      await resolverAdmin.disconnect();
    }
  });

  it('lets the cad-writer produce a call and not read intelligence', async () => {
    const cadWriter = clientOf(outside('DAUNTLESS_CAD_WRITER'), 'cad-writer');
    const codec = createAvroCodec({ url: endpoints.schemaRegistryUrl, auth: testRegistryAuth() });
    const call = sampleIncident({ incidentId: `CAD-SEC-${Date.now()}`, eventId: `evt-sec-${Date.now()}` });
    const producer = cadWriter.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      const [sent] = await producer.send({ topic: TOPIC.incidents, messages: [{ key: String(call.incidentId), value: await codec.encode(valueSubject(TOPIC.incidents), call) }] });
      expect(sent!.errorCode).toBe(0);
    } finally {
      await producer.disconnect();
    }

    const probe = cadWriter.admin();
    await probe.connect();
    try {
      await expect(probe.fetchTopicOffsets(TOPIC.intelligence)).rejects.toThrow(refusedForAuthorization);
    } finally {
      await probe.disconnect();
    }
    const crash = await firstFetchOrCrash(cadWriter, uniqueName('cad-writer-reads-intel'), TOPIC.intelligence);
    expect((crash as Error).message).toMatch(refusedForAuthorization);
  });

  it('lets the dispatch-reader read intelligence in a group of its own prefix, and not produce calls', async () => {
    const dispatchReader = clientOf(outside('DAUNTLESS_DISPATCH_READER'), 'dispatch-reader');
    expect(await firstFetchOrCrash(dispatchReader, `dispatch-reader.${uniqueName('reads-intel')}`, TOPIC.intelligence)).toBe('fetched');

    // A group outside its prefix is not its own.
    const group = uniqueName('not-its-group');
    const elsewhere = await firstFetchOrCrash(dispatchReader, group, TOPIC.intelligence);
    expect(elsewhere).toBeInstanceOf(Error);
    expect(kafkajsLines.some((line) => line.includes('Group authorization failed'))).toBe(true);

    const producer = dispatchReader.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await producer.connect();
    try {
      await expect(producer.send({ topic: TOPIC.incidents, messages: [{ key: 'CAD-SEC-NOT-SENT', value: Buffer.from('not a call') }] })).rejects.toThrow(refusedForAuthorization);
    } finally {
      await producer.disconnect();
    }
  });
});
