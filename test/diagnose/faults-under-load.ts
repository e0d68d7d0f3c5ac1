// Every fault a control room's pipeline lives through, one after another while
// calls arrive at 50 a second: the resolver paused (a long GC, a frozen VM),
// the resolver killed, Redis killed and started again from its append-only
// file, the Kafka broker killed and started again, the registry stopped for
// 10 s. Every call must still be answered, and what a control room is told
// and what the graph holds must be what a clean run of the same calls gives.
// The same calls sent as one backlog before any resolver runs must give the
// same intelligence too (call order: shared/kafka/call-order.ts).
//
// Compared as a control room reads it (test/helpers/control-room-view.ts):
// per call, each party's person, whether they were known, the earlier
// incidents named, the markers. A person is compared as the cluster of
// records the final graph holds them in, not by entity id: an id is the name
// of whichever record founded the person, and a call answered again after a
// fault names people under the survivors of merges made since.
//
// The servers are the run's own (test/helpers/private-stack.ts), since it
// kills them; it plays the supervisor, starting a resolver again whenever one
// exits. About 9 minutes on 2 shared cores (3 of them the stack's start).
//
// A diagnosis run (`npm run diagnose:faults`), not yet in the suite, because
// it does not pass yet. What it shows now (1,500 calls):
//   - backlog against paced: the same clusters of records and the same
//     answers, but a few events' match evidence differs in a term-frequency
//     weight's second decimal (given_name 6.39 against 6.40): the weight
//     divides by the live count of people, which counts whatever other calls
//     were written at that instant (shared/er/score.ts, resolve-record.ts).
//     Without the in-process mirror ({"DAUNTLESS_GRAPH_MIRROR_KEYS":"0"}) the
//     clusters are still the same, and 73 events differ the same way.
//   - faulted against clean: every call answered and on the graph (since the
//     Redis users' fix: a restart had lost every script's writes), 462 calls
//     answered twice, the same weight flips, and about five clusters of
//     records differ (two records linked in one run, not in the other): not
//     yet known whether the weights' drift tips those decisions or another cause.
// FAULTS_BACKLOG_ENV (JSON) sets the backlog run's resolver settings, to try one.
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PRINCIPAL, grantRun } from '../../deploy/principals.ts';
import { findRegistryAuth } from '../../shared/config/credentials.ts';
import { loadKafkaSecurity } from '../../shared/config/kafka-security.ts';
import type { PreArrivalIntelligence } from '../../shared/contracts/intelligence.ts';
import { createIncidentGraph } from '../../shared/graph/incident-graph.ts';
import { createKafka } from '../../shared/kafka/create-kafka.ts';
import { deadLetterTopicOf } from '../../shared/kafka/dead-letter.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { createRedis } from '../../shared/redis/create-redis.ts';
import { loadRedisConnection, REDIS_USER } from '../../shared/redis/redis-connection.ts';
import { createAvroCodec, type AvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { createRegistryAdmin } from '../../shared/schema-registry/registry-admin.ts';
import { createCallStream } from '../../shared/synth/call-stream.ts';
import { produceCalls } from '../../shared/synth/produce-calls.ts';
import { startResolverProcess, type ResolverProcess, type ResolverProcessOptions } from '../../scripts/pipeline/resolver-process.ts';
import { controlRoomDifferences, controlRoomViews, graphDifferences, type RunResult } from '../helpers/control-room-view.ts';
import { graphSnapshot } from '../helpers/graph-snapshot.ts';
import { TEST_PREFIX } from '../helpers/kafka-security.ts';
import { createPrivateStack, type PrivateStack } from '../helpers/private-stack.ts';
import { createTestTopics } from '../helpers/topics.ts';
import { uniqueName } from '../helpers/unique.ts';
import { waitFor } from '../helpers/wait-for.ts';

const logger = createLogger('test', { level: process.env.LOG_LEVEL ?? 'silent' });
/** 30 s of calls at 50 a second; the faults take longer, so the rest of the stream queues behind them. */
const CALLS = 1_500;
const RATE = 50;
const DAY = 86_400_000;
/** A fixed history, so every run sends the same calls with the same times; it ends well before today. */
const START = new Date(Date.UTC(2025, 6, 1));
const PAUSE_MS = 6_000;
const REGISTRY_DOWN_MS = 10_000;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

let stack: PrivateStack | undefined;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;
let codec: AvroCodec;
let redis: Redis;
/** Every resolver process started, so none outlives the file whatever fails. */
const resolvers = new Set<ResolverProcess>();
let clean: RunResult;

/** The same calls each time: the same seed, population, start and pace. */
const callStream = () => createCallStream({ seed: 'faults-under-load', persons: 2_500, start: START, meanGapMs: (360 * DAY) / CALLS, horizonCalls: CALLS, runId: 'faults' });

/** A run's own input, dead-letter and intelligence topics (six partitions, as in production), group and graph. */
async function freshRun(name: string) {
  const s = stack!;
  const input = `${uniqueName(`${name}.cad.incidents`)}.v1`;
  const intel = `${uniqueName(`${name}.dispatch.intel`)}.v1`;
  await createTestTopics(admin, createRegistryAdmin({ url: s.endpoints().schemaRegistryUrl, auth: findRegistryAuth(ADMIN_PRINCIPAL, s.env) }), [
    { topic: input, partitions: 6, valueSchema: 'incident-reported.avsc' },
    { topic: deadLetterTopicOf(input), partitions: 1, valueSchema: 'dead-letter.avsc' },
    { topic: intel, partitions: 6, valueSchema: 'pre-arrival-intelligence.avsc' },
  ]);
  const options: ResolverProcessOptions = {
    endpoints: s.endpoints(),
    inputTopic: input,
    intelTopic: intel,
    groupId: uniqueName(`${name}.resolver`),
    graphNamespace: `${uniqueName(name)}:{g}`,
    keepLogs: false,
    // The broker's shortest session: a killed resolver's partitions move to the next one 6 s after the kill.
    env: { ...s.serviceEnv(), DAUNTLESS_SESSION_TIMEOUT_MS: '6000' },
  };
  return { input, intel, options };
}

/**
 * Reads a run's intelligence from the start, keeping every answer per incident id in the order read (a call handled
 * again after a fault is answered again). A consumer that restarts itself, so it outlives the broker's restart.
 */
async function readIntelligence(topic: string) {
  const answers = new Map<string, PreArrivalIntelligence[]>();
  const lastOffset = new Map<number, number>();
  const consumer = kafka.consumer({ groupId: uniqueName('faults.reader'), maxWaitTimeInMs: 50, retry: { retries: 100, restartOnFailure: async () => true } });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const id = message.key!.toString();
      answers.set(id, [...(answers.get(id) ?? []), (await codec.decode(message.value!)).value as PreArrivalIntelligence]);
      lastOffset.set(partition, Number(message.offset));
    },
  });
  return {
    answers,
    /** True once everything on the topic now has been read. */
    async readToEnd() {
      const ends = await admin.fetchTopicOffsets(topic);
      return ends.every(({ partition, high }) => (lastOffset.get(partition) ?? -1) >= Number(high) - 1);
    },
    stop: () => consumer.disconnect(),
  };
}

/** Keeps one resolver running, as a supervisor would: whenever one exits, another is started. */
function superviseResolver(options: ResolverProcessOptions) {
  let stopping = false;
  let current: ResolverProcess | undefined;
  const exits: (number | string)[] = [];
  let starts = 0;
  let launching: Promise<void> = Promise.resolve();
  const launch = async (): Promise<void> => {
    while (!stopping) {
      try {
        const started = await startResolverProcess(options);
        resolvers.add(started);
        void started.exited.then((how) => {
          resolvers.delete(started);
          exits.push(how);
          if (current === started) current = undefined;
          if (!stopping) launching = launch();
        });
        current = started;
        starts++;
        return;
      } catch (error) {
        // A server still down (a start needs Kafka, the registry and Redis): try again, as a supervisor does.
        logger.warn({ err: error }, 'resolver did not start; trying again');
        await sleep(1_000);
      }
    }
  };
  launching = launch();
  return {
    get starts() {
      return starts;
    },
    exits,
    /** The resolver running now, once one is. */
    running: () => waitFor('a resolver running', () => current, { timeoutMs: 180_000, intervalMs: 100 }),
    /** Stops the resolver cleanly, so what it did is committed, and starts no other. */
    async stop() {
      stopping = true;
      await launching;
      const last = current;
      if (!last) return;
      last.child.kill('SIGCONT');
      const stopped = await Promise.race([last.kill('SIGTERM'), sleep(30_000).then(() => undefined)]);
      if (stopped === undefined) await last.kill('SIGKILL');
    },
  };
}

/** Waits until every call is answered and the graph holds every incident; then the clean stop, and the rest read. */
async function finish(run: Awaited<ReturnType<typeof freshRun>>, reader: Awaited<ReturnType<typeof readIntelligence>>, resolver: ReturnType<typeof superviseResolver>): Promise<RunResult> {
  await waitFor(`every one of ${CALLS} calls answered`, () => reader.answers.size >= CALLS, { timeoutMs: 300_000, intervalMs: 200 });
  const graph = createIncidentGraph({ redis, namespace: run.options.graphNamespace });
  let counts: unknown;
  await waitFor('the graph to hold every incident', async () => ((counts = await graph.counts()) as { incidents: number }).incidents === CALLS, { timeoutMs: 60_000, intervalMs: 500 }).catch(
    (error: Error) => Promise.reject(new Error(`${error.message}; the graph holds ${JSON.stringify(counts)}`)),
  );
  await resolver.stop();
  await waitFor('the intelligence topic read to its end', () => reader.readToEnd(), { timeoutMs: 60_000, intervalMs: 200 });
  await reader.stop();
  const snapshot = await graphSnapshot(redis, run.options.graphNamespace);
  return { graph: snapshot, answers: new Map(reader.answers), views: controlRoomViews(reader.answers, snapshot) };
}

/** Stops a run's resolver and its reader, whatever state a failure left the reader in. */
async function stopRun(resolver: ReturnType<typeof superviseResolver>, reader: Awaited<ReturnType<typeof readIntelligence>>): Promise<void> {
  await resolver.stop();
  await reader.stop().catch(() => undefined);
}

/** A run's final graph and what the control room was told, against the clean run's: nothing may differ. */
function expectAsClean(run: RunResult): void {
  expect(graphDifferences(run.graph, clean.graph)).toEqual({ counts: clean.graph.counts, clusters: [], events: [] });
  expect(controlRoomDifferences(run, clean)).toEqual({ count: 0, first: [] });
}

beforeAll(async () => {
  stack = await createPrivateStack();
  await stack.up();
  const endpoints = stack.endpoints();
  // Retries long enough to outlast the broker's restart: the stream goes on through it.
  kafka = createKafka({
    brokers: endpoints.kafkaBrokers,
    clientId: 'e2e-faults',
    logger,
    security: loadKafkaSecurity(stack.env, ADMIN_PRINCIPAL),
    config: { retry: { retries: 100, initialRetryTime: 200, maxRetryTime: 2_000 } },
  });
  admin = kafka.admin();
  producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
  await grantRun(admin, TEST_PREFIX);
  codec = createAvroCodec({ url: endpoints.schemaRegistryUrl, auth: findRegistryAuth(ADMIN_PRINCIPAL, stack.env) });
  redis = createRedis({ connection: loadRedisConnection(stack.env, REDIS_USER.admin), logger, retryStrategy: () => 200 });
  redis.on('error', () => undefined);

  const run = await freshRun('clean');
  const reader = await readIntelligence(run.intel);
  const resolver = superviseResolver(run.options);
  try {
    await resolver.running();
    await produceCalls({ producer, codec, topic: run.input, stream: callStream(), rate: RATE, count: CALLS, clock: 'simulated' });
    clean = await finish(run, reader, resolver);
  } finally {
    await stopRun(resolver, reader);
  }
}, 600_000);

afterAll(async () => {
  for (const resolver of resolvers) await resolver.kill('SIGKILL');
  redis?.disconnect();
  await Promise.all([admin?.disconnect(), producer?.disconnect()].map((p) => p?.catch(() => undefined)));
  await stack?.down();
}, 120_000);

describe('faults under load', () => {
  it('answers every call of a clean run once, repeat victims among them', () => {
    expect(clean.answers.size).toBe(CALLS);
    expect([...clean.answers.values()].filter((a) => a.length > 1)).toEqual([]);
    expect(clean.graph.counts).toEqual({ incidents: CALLS, events: CALLS });
    const latest = [...clean.answers.values()].map((a) => a.at(-1)!);
    expect(latest.filter((i) => i.hasHistory).length).toBeGreaterThan(CALLS / 10);
    expect(latest.flatMap((i) => i.persons).filter((p) => p.match !== 'NEW_PERSON').length).toBeGreaterThan(CALLS / 10);
  });

  it('answers every call through a paused and a killed resolver, Redis, Kafka and the registry going down, as a clean run does', async () => {
    const run = await freshRun('faulted');
    const reader = await readIntelligence(run.intel);
    const resolver = superviseResolver(run.options);
    const s = stack!;
    try {
      await resolver.running();
      const producing = produceCalls({ producer, codec, topic: run.input, stream: callStream(), rate: RATE, count: CALLS, clock: 'simulated' });
      producing.catch(() => undefined);
      const answeredMore = async (what: string, more = 20) => {
        const from = reader.answers.size;
        await waitFor(`${more} more calls answered after ${what}`, () => reader.answers.size >= Math.min(CALLS, from + more), { timeoutMs: 120_000, intervalMs: 100 });
      };

      await answeredMore('the start', 50);
      const paused = await resolver.running();
      paused.child.kill('SIGSTOP');
      await sleep(PAUSE_MS);
      paused.child.kill('SIGCONT');
      await answeredMore('the pause');

      (await resolver.running()).child.kill('SIGKILL');
      await waitFor('the resolver started again', () => resolver.starts >= 2, { timeoutMs: 120_000, intervalMs: 100 });
      await answeredMore('the resolver was killed');

      await s.kill('redis');
      await s.start('redis');
      await answeredMore('Redis was killed');

      await s.kill('kafka');
      await s.start('kafka');
      await answeredMore('the broker was killed');

      await s.stop('registry');
      await sleep(REGISTRY_DOWN_MS);
      await s.start('registry');

      expect((await producing).sent).toBe(CALLS);
      const faulted = await finish(run, reader, resolver);
      logger.info({ starts: resolver.starts, exits: resolver.exits, answeredAgain: [...faulted.answers.values()].filter((a) => a.length > 1).length }, 'the faulted run is done');

      expectAsClean(faulted);
    } finally {
      await stopRun(resolver, reader);
    }
  }, 600_000);

  it('gives the same calls sent as one backlog, before any resolver runs, the same people, matches and earlier incidents as paced', async () => {
    const run = await freshRun('backlog');
    if (process.env.FAULTS_BACKLOG_ENV) Object.assign(run.options.env!, JSON.parse(process.env.FAULTS_BACKLOG_ENV));
    await produceCalls({ producer, codec, topic: run.input, stream: callStream(), rate: 1_000_000, count: CALLS, clock: 'simulated' });
    const reader = await readIntelligence(run.intel);
    const resolver = superviseResolver(run.options);
    try {
      const backlog = await finish(run, reader, resolver);
      expectAsClean(backlog);
    } finally {
      await stopRun(resolver, reader);
    }
  }, 300_000);
});
