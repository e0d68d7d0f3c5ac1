// Intelligence that says it was built without part of the picture, end to end:
// the resolver service as production runs it, reading calls and justice
// events. A burst of justice events (a court system sending its day at once)
// puts the justice partition far behind; a call made after it is held back for
// at most DAUNTLESS_JUSTICE_HOLD_MS, then answered with `incomplete` saying the
// justice records were behind, and how far, in the summary too. Once the
// justice partition has caught up, a call's intelligence says nothing of the kind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterTopicOf } from '../../shared/kafka/dead-letter.ts';
import { valueSubject } from '../../shared/contracts/topics.ts';
import { createIncidentGraph } from '../../shared/graph/incident-graph.ts';
import type { PreArrivalIntelligence } from '../../shared/contracts/intelligence.ts';
import { startResolverProcess, type ResolverProcess } from '../../scripts/pipeline/resolver-process.ts';
import { clearNamespace } from '../../shared/redis/keys.ts';
import { adminRedis } from '../helpers/redis.ts';
import { kafkaTestKit } from '../helpers/kafka-test-kit.ts';
import { sampleIncident } from '../helpers/sample-incident.ts';
import { sampleJusticeEvent } from '../helpers/sample-justice-event.ts';
import { collectDecoded } from '../helpers/topics.ts';
import { uniqueName } from '../helpers/unique.ts';
import { waitFor } from '../helpers/wait-for.ts';

const calls = `${uniqueName('behind.cad.incidents')}.v1`;
const justice = `${uniqueName('behind.justice.events')}.v1`;
const intelTopic = `${uniqueName('behind.dispatch.intel')}.v1`;
const { endpoints, kafka, codec, producer } = kafkaTestKit('e2e-justice-behind', () => [
  { topic: calls, partitions: 1, valueSchema: 'incident-reported.avsc' },
  { topic: justice, partitions: 1, valueSchema: 'justice-event.avsc' },
  { topic: intelTopic, partitions: 1, valueSchema: 'pre-arrival-intelligence.avsc' },
  { topic: deadLetterTopicOf(calls), partitions: 1, valueSchema: 'dead-letter.avsc' },
  { topic: deadLetterTopicOf(justice), partitions: 1, valueSchema: 'dead-letter.avsc' },
]);
const redis = adminRedis();
const namespace = `${uniqueName('e2e-behind')}:{g}`;
/** Far more than the resolver takes in while a call is held back (and than the 100 messages that count as behind). */
const BURST = 1_000;
const DAY = 86_400_000;
const now = Date.now();

let resolver: ResolverProcess;
let intel: { values: (PreArrivalIntelligence & { key: string })[]; stop(): Promise<void> };

/** A protective order about a person of its own: each event resolves a person, as a court's day would. */
const order = (i: number) =>
  sampleJusticeEvent({
    eventId: `JUS-BEHIND-${i}`,
    occurredAt: now - 3 * DAY,
    recordedAt: now - 3 * DAY,
    subject: { systemRef: null, given: `Person${i}`, family: 'BEHINDTEST', full: null, dateOfBirth: null, phones: [`07700${String(100_000 + i)}`], addresses: [] },
    relatedPersons: [],
  });

const sendCall = async (incidentId: string) => {
  const call = sampleIncident({ incidentId, eventId: `evt-${incidentId}`, receivedAt: Date.now(), reportedAt: Date.now() - 60_000 });
  await producer.send({ topic: calls, messages: [{ key: incidentId, value: await codec.encode(valueSubject(calls), call) }] });
  return waitFor(`intelligence for ${incidentId}`, () => intel.values.find((i) => i.incidentId === incidentId), { timeoutMs: 60_000 });
};

beforeAll(async () => {
  resolver = await startResolverProcess({
    endpoints,
    inputTopic: calls,
    intelTopic,
    groupId: uniqueName('behind.resolver'),
    graphNamespace: namespace,
    keepLogs: false,
    env: { DAUNTLESS_RESOLVER_TOPICS: `${calls},${justice}`, DAUNTLESS_JUSTICE_HOLD_MS: '100' },
  });
  intel = (await collectDecoded(kafka, codec, intelTopic)) as typeof intel;
}, 90_000);

afterAll(async () => {
  await resolver?.kill('SIGTERM');
  await intel?.stop();
  await clearNamespace(redis, namespace);
  redis.disconnect();
});

describe('intelligence built while the justice events are behind', () => {
  it('says it was built without the latest justice records, and how many were not yet read', async () => {
    for (let start = 0; start < BURST; start += 250) {
      const messages = await Promise.all(Array.from({ length: 250 }, (_, k) => order(start + k)).map(async (e) => ({ key: String(e.eventId), value: await codec.encode(valueSubject(justice), e) })));
      await producer.send({ topic: justice, messages });
    }
    const answered = await sendCall('CAD-BEHIND-1');

    expect(answered.incomplete).toEqual([{ reason: 'JUSTICE_BEHIND', partitions: [0], messagesBehind: expect.any(Number) }]);
    expect(answered.incomplete[0]!.messagesBehind).toBeGreaterThan(0);
    expect(answered.incomplete[0]!.messagesBehind).toBeLessThanOrEqual(BURST);
    expect(answered.summary).toMatch(/Built without the latest justice records \(\d+ records? behind\): orders, bail and MARAC may be missing\.$/);
  }, 120_000);

  it('says nothing of the kind once the justice partition has caught up', async () => {
    const graph = createIncidentGraph({ redis, namespace });
    await waitFor(`all ${BURST} justice events on the graph`, async () => (await graph.counts()).events >= BURST + 1, { timeoutMs: 120_000, intervalMs: 250 });
    const answered = await sendCall('CAD-BEHIND-2');
    expect(answered.incomplete).toEqual([]);
    expect(answered.summary).not.toContain('Built without');
  }, 150_000);
});
