// The stage consumer's failure policies against real Kafka, Redis and the
// registry (shared/errors/failure-policy.ts): a Lua script that errors is
// tried a bounded number of times and dead-lettered, a programmer error is
// dead-lettered under its own code, a subject missing from the registry when
// a stage writes stops the consumer without committing past the message, and
// an error that kills the kafkajs consumer settles `failed`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Producer } from 'kafkajs';
import type { Redis } from 'ioredis';
import { adminRedis } from '../helpers/redis.ts';
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import { createKafka } from '../../shared/kafka/create-kafka.ts';
import type { DeadLetter } from '../../shared/kafka/dead-letter.ts';
import { createStageConsumer, type Stage } from '../../shared/kafka/stage-consumer.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { createPipelineMetrics } from '../../shared/metrics/metrics.ts';
import { createAvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { createRegistryAdmin } from '../../shared/schema-registry/registry-admin.ts';
import { clearNamespace } from '../../shared/redis/keys.ts';
import { testEndpoints, testRegistryAuth } from '../helpers/endpoints.ts';
import { testKafkaSecurity } from '../helpers/kafka-security.ts';
import { createTestTopics } from '../helpers/topics.ts';
import { uniqueName } from '../helpers/unique.ts';
import { waitFor } from '../helpers/wait-for.ts';

const endpoints = testEndpoints();
const logger = createLogger('test', { level: process.env.LOG_LEVEL ?? 'silent' });
const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'stage-consumer-failures-test', logger, security: testKafkaSecurity() });
const registry = createRegistryAdmin({ url: endpoints.schemaRegistryUrl, auth: testRegistryAuth() });
const codec = createAvroCodec({ url: endpoints.schemaRegistryUrl, auth: testRegistryAuth() });
const scripted = `${uniqueName('stage-lua')}.v1`;
const writing = `${uniqueName('stage-missing-subject')}.v1`;
const crashing = `${uniqueName('stage-crash')}.v1`;
const namespace = `${uniqueName('lua')}:{t}`;
let admin: Admin;
let producer: Producer;
let redis: Redis;
let removeTopics: () => Promise<void>;

beforeAll(async () => {
  admin = kafka.admin();
  producer = kafka.producer();
  redis = adminRedis({ maxRetriesPerRequest: 3 });
  await Promise.all([admin.connect(), producer.connect()]);
  removeTopics = await createTestTopics(admin, registry, [
    { topic: scripted, partitions: 1 },
    { topic: writing, partitions: 1 },
    { topic: crashing, partitions: 1 },
  ]);
});

afterAll(async () => {
  await removeTopics();
  await clearNamespace(redis, namespace);
  redis.disconnect();
  await Promise.all([admin.disconnect(), producer.disconnect()]);
});

/** The value of one series of the registry's metrics, or 0. */
async function seriesValue(metrics: ReturnType<typeof createPipelineMetrics>, name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const series = (metric?.values ?? []).find((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value));
  return series?.value ?? 0;
}

describe('a stage consumer facing failures', () => {
  it('tries a Lua script that errors five times, then dead-letters it as REDIS_SCRIPT_FAILED; dead-letters a TypeError as PROGRAMMER_ERROR; counts both and goes on', async () => {
    const attemptsKey = `${namespace}:attempts`;
    const partialKey = `${namespace}:partial`;
    const handled: string[] = [];
    const letters: DeadLetter[] = [];
    const stage: Stage<string> = {
      name: 'lua-stage',
      decode: async ({ message }) => message.value!.toString(),
      async handle(value) {
        if (value === 'bad-script') {
          try {
            // Counts its runs, then fails as a script with a bug does: the same reply every time.
            await redis.eval("redis.call('INCR', KEYS[1]); error('a field the script expects is missing')", 1, attemptsKey);
          } catch (cause) {
            // Wrapped as the stores wrap every Redis failure: the policy looks through to the reply.
            throw new DauntlessError('REDIS_UNAVAILABLE', `Redis failed to record the event: ${(cause as Error).message}`, { retriable: true, cause });
          }
        }
        if (value === 'bug') {
          await redis.set(partialKey, 'written before the bug');
          (undefined as unknown as { id: string }).id;
        }
        handled.push(value);
      },
    };
    const metrics = createPipelineMetrics({ service: 'test', defaultMetrics: false });
    const groupId = uniqueName('lua-group');
    const consumer = createStageConsumer({
      kafka,
      groupId,
      topics: [scripted],
      stage,
      service: 'test',
      logger,
      retry: { initialMs: 10, maxMs: 40 },
      ...metrics.stageConsumerHooks(),
      deadLetters: async (_topic, _key, letter) => void letters.push(letter),
    });
    await producer.send({ topic: scripted, messages: ['first', 'bad-script', 'bug', 'last'].map((value) => ({ value })) });
    await consumer.start();
    try {
      await waitFor('the last message to be handled', () => handled.includes('last'));
      const [committed] = await waitFor('offsets committed past every message', async () => {
        const offsets = await admin.fetchOffsets({ groupId, topics: [scripted] });
        return offsets[0]!.partitions[0]!.offset === '4' ? offsets : undefined;
      });
      expect(committed!.partitions[0]!.offset).toBe('4');
    } finally {
      await consumer.stop();
    }
    expect(handled).toEqual(['first', 'last']);
    expect(await redis.get(attemptsKey)).toBe('5');
    expect(letters.map((l) => [l.sourceOffset, l.errorCode])).toEqual([
      ['1', 'REDIS_SCRIPT_FAILED'],
      ['2', 'PROGRAMMER_ERROR'],
    ]);
    expect(letters[0]!.reason).toMatch(/^Redis refused the same command 5 times: .*a field the script expects is missing/);
    expect(letters[1]!.reason).toBe("unexpected TypeError while processing (a bug: see the service's log at this offset)");
    // The partial write stays: a replay of the letter after the fix finds it and completes the rest (writes are idempotent).
    expect(await redis.get(partialKey)).toBe('written before the bug');
    expect(await seriesValue(metrics, 'dauntless_dead_letters_total', { topic: scripted, code: 'REDIS_SCRIPT_FAILED' })).toBe(1);
    expect(await seriesValue(metrics, 'dauntless_dead_letters_total', { topic: scripted, code: 'PROGRAMMER_ERROR' })).toBe(1);
    expect(await seriesValue(metrics, 'dauntless_messages_total', { topic: scripted, outcome: 'retried' })).toBe(4);
  });

  it('stops at a subject missing from the registry when a stage writes: nothing dead-lettered, nothing committed past the message', async () => {
    const missing = `${uniqueName('never-registered')}.v1-value`;
    const handled: string[] = [];
    const letters: DeadLetter[] = [];
    const stage: Stage<string> = {
      name: 'writing-stage',
      decode: async ({ message }) => message.value!.toString(),
      async handle(value) {
        // After the graph writes, the output: its subject is not in the registry.
        if (value === 'write') await codec.encode(missing, { anything: true });
        handled.push(value);
      },
    };
    const groupId = uniqueName('missing-subject-group');
    const consumer = createStageConsumer({ kafka, groupId, topics: [writing], stage, service: 'test', logger, retry: { initialMs: 10, maxMs: 40 }, deadLetters: async (_t, _k, letter) => void letters.push(letter) });
    await producer.send({ topic: writing, messages: ['first', 'write', 'after'].map((value) => ({ value })) });
    await consumer.start();
    let failure: DauntlessError;
    try {
      failure = await consumer.failed;
    } finally {
      await consumer.stop();
    }
    expect(failure).toMatchObject({ code: 'REGISTRY_SUBJECT_MISSING' });
    expect(failure.message).toBe(`the registry has no subject ${missing}: run \`npm run stack:up\` (deploy/provision.ts registers the schemas), or register the topic's schema from schemas/ (deploy/topics.ts says which) under ${missing}.`);
    expect(handled).toEqual(['first']);
    expect(letters).toEqual([]);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [writing] });
    expect(committed!.partitions[0]!.offset).toBe('1');
    expect(consumer.isJoined()).toBe(false);
  });

  it('settles failed when kafkajs gives up on the consumer (a non-retriable error escaping into its runner)', async () => {
    const stage: Stage<string> = {
      name: 'crashing-stage',
      decode: async ({ message }) => message.value!.toString(),
      handle: async () => undefined,
      async flush() {
        throw new DauntlessError('VALIDATION_FAILED', 'a flush that breaks the runner');
      },
    };
    const consumer = createStageConsumer({ kafka, groupId: uniqueName('crash-group'), topics: [crashing], stage, service: 'test', logger, deadLetters: async () => undefined });
    await producer.send({ topic: crashing, messages: [{ value: 'x' }] });
    await consumer.start();
    try {
      await waitFor('the consumer to join', () => consumer.isJoined() || undefined);
      const failure = await consumer.failed;
      expect(failure.code).toBe('KAFKA_CONSUMER_CRASHED');
      expect(failure.message).toContain('crashed and will not restart');
      expect(consumer.isJoined()).toBe(false);
    } finally {
      await consumer.stop();
    }
  });
});
