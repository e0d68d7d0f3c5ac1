// Exactly-once effect from at-least-once delivery: the resolver's writes are
// idempotent by event id, so replaying the whole topic, or killing the
// resolver with SIGKILL mid-stream and starting it again, leaves the identity
// graph exactly as one clean run leaves it: the same entities with the same
// records, the same incidents (each party's match included, for a party an
// attempt resolved before it was killed too), none counted twice. Real Kafka, Redis and
// registry; the resolver is the production process.
//
// The input has one partition, so every run sees the records in one order and
// the comparison can be exact, entity ids included.
import { adminRedis } from '../helpers/redis.ts';
import type { Admin, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka } from '../../shared/kafka/create-kafka.ts';
import { deadLetterTopicOf } from '../../shared/kafka/dead-letter.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { createAvroCodec } from '../../shared/schema-registry/avro-codec.ts';
import { createRegistryAdmin } from '../../shared/schema-registry/registry-admin.ts';
import { createCallStream, type SimulatedCall } from '../../shared/synth/call-stream.ts';
import { valueSubject } from '../../shared/contracts/topics.ts';
import type { PreArrivalIntelligence } from '../../shared/contracts/intelligence.ts';
import { testEndpoints, testRegistryAuth } from '../helpers/endpoints.ts';
import { testKafkaSecurity } from '../helpers/kafka-security.ts';
import { graphSnapshot, type GraphSnapshot } from '../helpers/graph-snapshot.ts';
import { startResolverProcess } from '../../scripts/pipeline/resolver-process.ts';
import { collectDecoded, createTestTopics } from '../helpers/topics.ts';
import { uniqueName } from '../helpers/unique.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { clearNamespace } from '../../shared/redis/keys.ts';

const endpoints = testEndpoints();
const logger = createLogger('test', { level: process.env.LOG_LEVEL ?? 'silent' });
const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'e2e-replay', logger, security: testKafkaSecurity() });
const registry = createRegistryAdmin({ url: endpoints.schemaRegistryUrl, auth: testRegistryAuth() });
const codec = createAvroCodec({ url: endpoints.schemaRegistryUrl, auth: testRegistryAuth() });
const redis = adminRedis();
const input = `${uniqueName('cad.incidents')}.v1`;
const namespaces = { clean: `${uniqueName('clean')}:{g}`, crashed: `${uniqueName('crashed')}:{g}` };
const intelTopics = { clean: `${uniqueName('intel-clean')}.v1`, crashed: `${uniqueName('intel-crashed')}.v1` };

const CALLS = 400;
const DAY = 86_400_000;
let calls: SimulatedCall[];
let admin: Admin;
let producer: Producer;
let removeTopics: () => Promise<void>;
let clean: GraphSnapshot;
let cleanIntel: Map<string, PreArrivalIntelligence>;

/** Waits until every call has its intelligence on `topic` `times` times over; returns the latest of each. */
async function intelligenceFor(reader: { values: PreArrivalIntelligence[] }, times = 1) {
  await waitFor(`intelligence for all ${CALLS} calls (${times}×)`, () => reader.values.length >= CALLS * times, { timeoutMs: 120_000, intervalMs: 100 });
  return new Map(reader.values.map((i) => [i.incidentId, i]));
}

beforeAll(async () => {
  admin = kafka.admin();
  producer = kafka.producer();
  await Promise.all([admin.connect(), producer.connect()]);
  removeTopics = await createTestTopics(admin, registry, [
    { topic: input, partitions: 1, valueSchema: 'incident-reported.avsc' },
    { topic: deadLetterTopicOf(input), partitions: 1, valueSchema: 'dead-letter.avsc' },
    { topic: intelTopics.clean, partitions: 1, valueSchema: 'pre-arrival-intelligence.avsc' },
    { topic: intelTopics.crashed, partitions: 1, valueSchema: 'pre-arrival-intelligence.avsc' },
  ]);
  // A year of London calls, compressed: repeat victims, serial perpetrators, every detail typed differently.
  const start = new Date(Date.now() - 400 * DAY);
  calls = createCallStream({ seed: 'replay-and-crash', persons: 3_000, start, meanGapMs: (380 * DAY) / CALLS, horizonCalls: CALLS }).take(CALLS);
  const messages = await Promise.all(calls.map(async ({ incident }) => ({ key: incident.incidentId, value: await codec.encode(valueSubject(input), incident) })));
  for (let i = 0; i < messages.length; i += 100) await producer.send({ topic: input, messages: messages.slice(i, i + 100) });

  // The clean run everything is compared with.
  const reader = await collectDecoded(kafka, codec, intelTopics.clean);
  const resolver = await startResolverProcess({ endpoints, inputTopic: input, intelTopic: intelTopics.clean, groupId: uniqueName('clean'), graphNamespace: namespaces.clean });
  try {
    cleanIntel = await intelligenceFor(reader);
  } finally {
    await resolver.kill('SIGTERM');
    await reader.stop();
  }
  clean = await graphSnapshot(redis, namespaces.clean);
}, 240_000);

afterAll(async () => {
  for (const ns of Object.values(namespaces)) await clearNamespace(redis, ns);
  await removeTopics?.();
  redis.disconnect();
  await Promise.all([admin.disconnect(), producer.disconnect()]);
});

describe('exactly-once effect on the identity graph', () => {
  it('records every call once, with repeat victims found', () => {
    expect(clean.counts).toEqual({ incidents: CALLS, events: CALLS });
    expect(clean.events).toHaveLength(CALLS);
    expect([...cleanIntel.values()].filter((i) => i.hasHistory).length).toBeGreaterThan(CALLS / 10);
  });

  it('a replay of the whole topic (a new consumer group) changes nothing on the graph, and tells dispatch the same matches and history', async () => {
    const reader = await collectDecoded(kafka, codec, intelTopics.clean);
    const resolver = await startResolverProcess({ endpoints, inputTopic: input, intelTopic: intelTopics.clean, groupId: uniqueName('replay'), graphNamespace: namespaces.clean });
    let replayed: Map<string, PreArrivalIntelligence>;
    try {
      await intelligenceFor(reader, 2);
      replayed = new Map(reader.values.slice(CALLS).map((i) => [i.incidentId, i]));
    } finally {
      await resolver.kill('SIGTERM');
      await reader.stop();
    }
    expect(await graphSnapshot(redis, namespaces.clean)).toEqual(clean);
    // What dispatch is told again: the same matches, and at least the same history. Not byte for byte:
    // entities merged by later calls now answer under their survivor's id, and may bring history the first run could not link.
    for (const [incidentId, first] of cleanIntel) {
      const again = replayed.get(incidentId)!;
      expect(again.sourceEventId).toBe(first.sourceEventId);
      expect(again.persons.map((p) => [p.partyId, p.roles, p.match, p.matchProbability, p.matchEvidence]), incidentId).toEqual(
        first.persons.map((p) => [p.partyId, p.roles, p.match, p.matchProbability, p.matchEvidence]),
      );
      first.persons.forEach((p, i) => {
        const previous = again.persons[i]!.previousIncidents.map((x) => x.incidentId);
        for (const earlier of p.previousIncidents) expect(previous, incidentId).toContain(earlier.incidentId);
      });
    }
  }, 180_000);

  it('kill -9 of the resolver mid-stream, then a restart, leaves the graph exactly as the clean run left it', async () => {
    const reader = await collectDecoded(kafka, codec, intelTopics.crashed);
    const groupId = uniqueName('crashed');
    // The broker's shortest session: the restarted member gets the partition 6 s after the kill.
    const options = { endpoints, inputTopic: input, intelTopic: intelTopics.crashed, groupId, graphNamespace: namespaces.crashed, env: { DAUNTLESS_SESSION_TIMEOUT_MS: '6000' } };
    try {
      const first = await startResolverProcess(options);
      await waitFor('a third of the calls answered', () => reader.values.length >= CALLS / 3, { timeoutMs: 120_000, intervalMs: 10 });
      expect(await first.kill('SIGKILL')).toBe('SIGKILL');
      const answeredBeforeKill = new Set(reader.values.map((i) => i.incidentId)).size;
      expect(answeredBeforeKill).toBeLessThan(CALLS);

      const second = await startResolverProcess(options);
      try {
        await waitFor('every call answered after the restart', () => new Set(reader.values.map((i) => i.incidentId)).size === CALLS, { timeoutMs: 120_000, intervalMs: 100 });
        await waitFor('the graph to hold every incident', async () => (await graphSnapshot(redis, namespaces.crashed)).counts.incidents === CALLS, { timeoutMs: 30_000 });
      } finally {
        await second.kill('SIGTERM');
      }
    } finally {
      await reader.stop();
    }
    expect(await graphSnapshot(redis, namespaces.crashed)).toEqual(clean);
  }, 240_000);
});
