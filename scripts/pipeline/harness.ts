// A pipeline of its own for one evaluation or benchmark run: fresh topics
// (input, intelligence, dead letters) with their schemas, a fresh graph
// namespace, resolver processes as in production, a producer, and a reader of
// the intelligence that is independent of the resolver. Everything is removed
// again at the end, so a run leaves the stack as it found it.
import { findRegistryAuth } from '../../shared/config/credentials.ts';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { loadEndpoints, type Endpoints } from '../../shared/config/endpoints.ts';
import { createKafka } from '../../shared/kafka/create-kafka.ts';
import { deadLetterTopicOf } from '../../shared/kafka/dead-letter.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { createAvroCodec, type AvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { createRegistryAdmin } from '../../shared/schema-registry/registry-admin.ts';
import { readSchema } from '../../deploy/provision.ts';
import { ADMIN_PRINCIPAL, grantRun } from '../../deploy/principals.ts';
import { loadKafkaSecurity, withoutKafkaLogin } from '../../shared/config/kafka-security.ts';
import { valueSubject } from '../../shared/contracts/topics.ts';
import { createRedis } from '../../shared/redis/create-redis.ts';
import { loadRedisConnection, REDIS_USER } from '../../shared/redis/redis-connection.ts';
import { startResolverProcess, type ResolverProcess } from './resolver-process.ts';
import { clearNamespace } from '../../shared/redis/keys.ts';

export type IntelArrival = { incidentId: string; arrivedAt: number; value: Buffer };

export type PipelineRun = {
  endpoints: Endpoints;
  kafka: Kafka;
  codec: AvroCodec;
  producer: Producer;
  redis: Redis;
  topics: { input: string; intel: string; deadLetters: string };
  namespace: string;
  /** Starts `count` resolver processes in one consumer group. */
  startResolvers(count: number, env?: Record<string, string>, nodeArgs?: string[]): Promise<ResolverProcess[]>;
  /** Reads the intelligence topic from the start; `onIntel` gets each message as it arrives (key = incident id), undecoded. */
  readIntel(onIntel: (arrival: IntelArrival) => void): Promise<() => Promise<void>>;
  /** Stops the resolvers, deletes the topics, subjects and graph. */
  close(): Promise<void>;
};

/**
 * What a benchmark passes on to its resolvers from its own environment:
 * DAUNTLESS_* settings (e.g. DAUNTLESS_PARTITION_CONCURRENCY), and with
 * DAUNTLESS_BENCH_PROFILE=<dir> a V8 CPU profile of each, written when it stops.
 */
export function resolverSettingsFromEnv(): { env: Record<string, string>; nodeArgs: string[] } {
  const profile = process.env.DAUNTLESS_BENCH_PROFILE;
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('DAUNTLESS_') && !k.startsWith('DAUNTLESS_BENCH')) as [string, string][]);
  return { env, nodeArgs: profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [] };
}

/**
 * Starts a run from a compacted append-only file, as a freshly started Redis
 * would be: each run writes and then deletes a graph of its own, and the
 * garbage of earlier runs makes Redis rewrite its AOF (a fork, seconds of a
 * core) at some point of a later run, every gigabyte or so of AOF. Compacted
 * first, no rewrite falls due within one run. Says so when it does it.
 * A rewrite in production comes at most once per doubling of the AOF past
 * 1 GB (deploy/servers.ts): not part of the pipeline's steady state.
 */
export async function compactAppendOnlyFile(redis: Redis, say: (line: string) => void): Promise<void> {
  const field = (info: string, name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? 0);
  const info = await redis.info('persistence');
  if (field(info, 'aof_enabled') !== 1) return;
  const current = field(info, 'aof_current_size');
  const base = field(info, 'aof_base_size');
  if (current < 64 * 2 ** 20 || current < 2 * base) return;
  say(`compacting Redis's append-only file first (${Math.round(current / 2 ** 20)} MB, ${Math.round(base / 2 ** 20)} MB at the last rewrite) ...`);
  if (field(info, 'aof_rewrite_in_progress') === 0) await redis.bgrewriteaof().catch(() => undefined); // one already scheduled says so
  const deadline = Date.now() + 300_000;
  for (;;) {
    const now = await redis.info('persistence');
    if (field(now, 'aof_rewrite_in_progress') === 0 && field(now, 'aof_rewrite_scheduled') === 0) return;
    if (Date.now() > deadline) throw new Error('Timed out after 300 s waiting for Redis to rewrite its append-only file');
    await new Promise((done) => setTimeout(done, 200));
  }
}

export async function createPipelineRun({ name, partitions }: { name: string; partitions: number }): Promise<PipelineRun> {
  const endpoints = loadEndpoints();
  const logger = createLogger(name, { level: process.env.LOG_LEVEL ?? 'warn' });
  // The run's own client is the admin (it creates and deletes topics); its resolvers log in as dauntless-resolver.
  const security = loadKafkaSecurity(withoutKafkaLogin(process.env), ADMIN_PRINCIPAL);
  const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: `dauntless-${name}`, logger, security });
  // It registers the schemas of topics of its own, as provisioning does: provisioning's principal.
  const registryAuth = findRegistryAuth('dauntless-admin');
  const codec = createAvroCodec({ url: endpoints.schemaRegistryUrl, auth: registryAuth });
  const registry = createRegistryAdmin({ url: endpoints.schemaRegistryUrl, auth: registryAuth });
  const redis = createRedis({ connection: loadRedisConnection({ ...process.env, REDIS_URL: endpoints.redisUrl }, REDIS_USER.admin), logger });
  await compactAppendOnlyFile(redis, (line) => process.stderr.write(line + '\n'));
  const run = `${name}.${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const topics = { input: `${run}.cad.incidents.v1`, intel: `${run}.dispatch.intel.v1`, deadLetters: deadLetterTopicOf(`${run}.cad.incidents.v1`) };
  const namespace = `${run}:{g}`;
  const schemas: [string, string][] = [[topics.input, 'incident-reported.avsc'], [topics.intel, 'pre-arrival-intelligence.avsc'], [topics.deadLetters, 'dead-letter.avsc']];

  const admin: Admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true });
  await Promise.all([admin.connect(), producer.connect()]);
  // The resolvers may use the run's topics and group, all named `<run>.`, and nothing else new.
  const revokeGrants = security.sasl ? await grantRun(admin, `${run}.`) : async () => undefined;
  await admin.createTopics({ topics: schemas.map(([topic]) => ({ topic, numPartitions: topic === topics.deadLetters ? 1 : partitions })), waitForLeaders: true });
  for (const [topic, file] of schemas) {
    await registry.setCompatibility(valueSubject(topic), 'BACKWARD');
    await registry.register(valueSubject(topic), readSchema(file));
  }

  const resolvers: ResolverProcess[] = [];
  const readers: (() => Promise<void>)[] = [];
  const groupId = `${run}.resolver`;
  return {
    endpoints,
    kafka,
    codec,
    producer,
    redis,
    topics,
    namespace,
    async startResolvers(count, env = {}, nodeArgs = []) {
      const started = await Promise.all(
        Array.from({ length: count }, () =>
          startResolverProcess({ endpoints, inputTopic: topics.input, intelTopic: topics.intel, groupId, graphNamespace: namespace, keepLogs: false, env, nodeArgs }),
        ),
      );
      resolvers.push(...started);
      return started;
    },
    async readIntel(onIntel) {
      const reader = kafka.consumer({ groupId: `${run}.reader.${readers.length}`, maxWaitTimeInMs: 10 });
      await reader.connect();
      await reader.subscribe({ topic: topics.intel, fromBeginning: true });
      // Arrival is stamped before anything else: decoding is the reader's cost, not the pipeline's.
      await reader.run({ eachMessage: async ({ message }) => onIntel({ incidentId: message.key!.toString(), arrivedAt: Date.now(), value: message.value! }) });
      const stop = () => reader.disconnect();
      readers.push(stop);
      return stop;
    },
    async close() {
      await Promise.all(resolvers.map((r) => r.kill('SIGTERM')));
      await Promise.all(readers.map((stop) => stop().catch(() => undefined)));
      await admin.deleteTopics({ topics: schemas.map(([topic]) => topic) }).catch(() => undefined);
      await revokeGrants().catch(() => undefined);
      for (const [topic] of schemas) await registry.deleteSubject(valueSubject(topic)).catch(() => undefined);
      await clearNamespace(redis, namespace);
      redis.disconnect();
      await Promise.all([admin.disconnect(), producer.disconnect()]);
    },
  };
}

/** Polls until `check` is true; fails with the description after `timeoutMs`. */
export async function until(description: string, check: () => boolean, timeoutMs: number, onTick?: () => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${description}`);
    onTick?.();
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a number above 0 (got "${args[i + 1] ?? ''}")`);
  return value;
}
