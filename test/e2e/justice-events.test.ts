// End to end, against real Kafka, Redis and the registry, through the
// resolver service as it runs in production (a child process) reading two
// topics: justice events (an order, a MARAC referral) go onto the identity
// graph, and the next call with the same people, typed another way, carries
// them in its pre-arrival intelligence. A bad justice event goes to the
// justice dead-letter topic and the pipeline goes on.
import { adminRedis } from '../helpers/redis.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterTopicOf } from '../../shared/kafka/dead-letter.ts';
import { valueSubject } from '../../shared/contracts/topics.ts';
import { createIncidentGraph } from '../../shared/graph/incident-graph.ts';
import type { PreArrivalIntelligence } from '../../shared/contracts/intelligence.ts';
import { JUSTICE_NAMESPACE, wrapDetail } from '../../shared/contracts/justice-event.ts';
import { startResolverProcess, type ResolverProcess } from '../../scripts/pipeline/resolver-process.ts';
import { sampleIncident } from '../helpers/sample-incident.ts';
import { sampleJusticeEvent, samplePerpetrator, sampleVictim } from '../helpers/sample-justice-event.ts';
import { collectDecoded } from '../helpers/topics.ts';
import { uniqueName } from '../helpers/unique.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { clearNamespace } from '../../shared/redis/keys.ts';
import { kafkaTestKit } from '../helpers/kafka-test-kit.ts';

const { endpoints, kafka, codec, producer } = kafkaTestKit('e2e-justice', () => [
  { topic: calls, partitions: 2, valueSchema: 'incident-reported.avsc' },
  { topic: justice, partitions: 2, valueSchema: 'justice-event.avsc' },
  { topic: intelTopic, partitions: 2, valueSchema: 'pre-arrival-intelligence.avsc' },
  { topic: deadLetterTopicOf(calls), partitions: 1, valueSchema: 'dead-letter.avsc' },
  { topic: justiceDlq, partitions: 1, valueSchema: 'dead-letter.avsc' },
]);
const redis = adminRedis();
const namespace = `${uniqueName('e2e-justice')}:{g}`;
// The resolver reads a topic by what its name says: these carry "cad.incidents" and "justice.events".
const calls = `${uniqueName('cad.incidents')}.v1`;
const justice = `${uniqueName('justice.events')}.v1`;
const intelTopic = `${uniqueName('dispatch.intel')}.v1`;
const justiceDlq = deadLetterTopicOf(justice);

let resolver: ResolverProcess;
let intel: { values: (PreArrivalIntelligence & { key: string })[]; stop(): Promise<void> };
let letters: { values: any[]; stop(): Promise<void> };

const DAY = 86_400_000;
const now = Date.now();
const encodeJustice = (event: Record<string, unknown>) => codec.encode(valueSubject(justice), event);
const recorded = (eventId: string) => resolver.logs.some((l) => l.msg === 'justice event recorded' && l.eventId === eventId);

beforeAll(async () => {
  resolver = await startResolverProcess({
    endpoints,
    inputTopic: calls,
    intelTopic,
    groupId: uniqueName('resolver'),
    graphNamespace: namespace,
    env: { DAUNTLESS_RESOLVER_TOPICS: `${calls},${justice}` },
  });
  intel = (await collectDecoded(kafka, codec, intelTopic)) as typeof intel;
  letters = await collectDecoded(kafka, codec, justiceDlq);
}, 90_000);

afterAll(async () => {
  await resolver?.kill('SIGTERM');
  await Promise.all([intel?.stop(), letters?.stop()]);
  await clearNamespace(redis, namespace);
  redis.disconnect();
});

describe('justice events, end to end', () => {
  it("goes through the registry with `detail` wrapped in its branch's full name, and only so", async () => {
    const event = sampleJusticeEvent({ eventId: 'JUS-CODEC', occurredAt: now - DAY, recordedAt: now - DAY });
    const { value } = await codec.decode(await encodeJustice(event));
    expect(Object.keys(value.detail)).toEqual([`${JUSTICE_NAMESPACE}.ProtectiveOrder`]);
    expect({ ...value.detail[`${JUSTICE_NAMESPACE}.ProtectiveOrder`] }).toEqual((event.detail as Record<string, unknown>)[`${JUSTICE_NAMESPACE}.ProtectiveOrder`]);
    // ["null", X] unions are not wrapped; timestamps are numbers.
    expect([value.boroughCode, value.incidentId, typeof value.occurredAt]).toEqual(['E09000022', null, 'number']);
    const order = (event.detail as Record<string, unknown>)[`${JUSTICE_NAMESPACE}.ProtectiveOrder`];
    await expect(encodeJustice({ ...event, detail: order })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(encodeJustice({ ...event, detail: { ProtectiveOrder: order } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('tells dispatch, on a call from a victim, of the order against the suspect protecting her, her MARAC referral, and the possible breach', async () => {
    // Recorded by custody and by safeguarding, each typed their own way; keyed by the subject's reference.
    const order = sampleJusticeEvent({
      eventId: 'JUS-E2E-ORDER',
      occurredAt: now - 6 * DAY,
      recordedAt: now - 6 * DAY + 3_600_000,
      incidentId: 'CAD-E2E-EARLIER',
    });
    const marac = sampleJusticeEvent({
      eventId: 'JUS-E2E-MARAC',
      occurredAt: now - 30 * DAY,
      recordedAt: now - 30 * DAY,
      boroughCode: null,
      subject: sampleVictim(),
      relatedPersons: [{ ...samplePerpetrator(), systemRef: null, given: 'Rob', phones: ['+447700900456'] }],
      detail: wrapDetail('MaracReferral', { reason: 'HIGH_RISK_DASH', meetingAt: now - 20 * DAY }),
    });
    await producer.send({
      topic: justice,
      messages: [
        { key: '09/123456H', value: await encodeJustice(order) },
        { key: 'JUS-E2E-MARAC', value: await encodeJustice(marac) },
      ],
    });
    await waitFor('both justice events recorded', () => recorded('JUS-E2E-ORDER') && recorded('JUS-E2E-MARAC'));
    // Events on the graph, neither counted as an incident.
    expect(await createIncidentGraph({ redis, namespace }).counts()).toEqual({ incidents: 0, events: 2 });
    // Justice events are not calls: nothing went to dispatch.
    expect(intel.values).toEqual([]);

    const call = sampleIncident({ incidentId: 'CAD-E2E-J1', eventId: 'evt-e2e-j1', receivedAt: now, reportedAt: now - 60_000 });
    await producer.send({ topic: calls, messages: [{ key: 'CAD-E2E-J1', value: await codec.encode(valueSubject(calls), call) }] });
    const latest = await waitFor('intelligence for the call', () => intel.values.find((i) => i.incidentId === 'CAD-E2E-J1'));

    const [victim, suspect] = latest.persons;
    const expectedOrder = { orderType: 'DVPO', expiresAt: now - 6 * DAY + 28 * DAY, conditions: ['not to contact the protected person', 'not to enter 10 Acacia Road'] };
    expect(victim!.match).toBe('MATCHED');
    expect(suspect!.match).toBe('MATCHED');
    expect(victim!.activeOrders).toEqual([expectedOrder]);
    expect(suspect!.activeOrders).toEqual([expectedOrder]);
    expect([victim!.maracLast12Months, victim!.repeatMarac]).toEqual([true, true]);
    expect(suspect!.repeatMarac).toBe(true);
    expect(latest.hasHistory).toBe(true);
    expect(latest.warningMarkers).toEqual(expect.arrayContaining(['ACTIVE_ORDER', 'REPEAT_MARAC', 'ORDER_OR_BAIL_BREACH']));
    expect(latest.summary).toMatch(/^Possible breach: the suspect is under an order or no-contact bail protecting the victim\. Victim: no previous incidents; MARAC referral in the last 12 months \(repeat MARAC\); active DVPO until /);
    expect(latest.summary).not.toMatch(/EXAMPLE|Jo\b|Robert|07700/i);
  });

  it('sends a bad justice event to the justice dead-letter topic with its reason, and goes on', async () => {
    const badOrder = sampleJusticeEvent({
      eventId: 'JUS-E2E-BAD',
      occurredAt: now - DAY,
      recordedAt: now - DAY,
      detail: wrapDetail('ProtectiveOrder', { orderId: 'DVPO-X', orderType: 'DVPO', action: 'ISSUED', startsAt: now, expiresAt: now - 2 * DAY, conditions: [] }),
    });
    const nobody = sampleJusticeEvent({ eventId: 'JUS-E2E-NOBODY', subject: { systemRef: null, given: null, family: null, full: null, dateOfBirth: null, phones: [], addresses: [] } });
    const good = sampleJusticeEvent({ eventId: 'JUS-E2E-AFTER', occurredAt: now - DAY, recordedAt: now - DAY, detail: wrapDetail('Arrest', { offences: ['ABH'], custodyRecordId: 'LX-C-1' }) });
    const bad: [string, Buffer][] = [
      ['plain text', Buffer.from('not avro at all')],
      ['order ends before it starts', await encodeJustice(badOrder)],
      ['nobody to resolve', await encodeJustice(nobody)],
    ];
    await producer.send({
      topic: justice,
      messages: [...bad.map(([what, value]) => ({ key: 'same-key', value, headers: { what } })), { key: 'same-key', value: await encodeJustice(good) }],
    });
    await waitFor('the good event behind the bad ones recorded', () => recorded('JUS-E2E-AFTER'), { timeoutMs: 30_000 });
    await waitFor('every bad event dead-lettered', () => letters.values.length >= bad.length);
    expect(letters.values).toHaveLength(bad.length);
    expect(letters.values.map((l) => l.errorCode).sort()).toEqual(['DECODE_FAILED', 'VALIDATION_FAILED', 'VALIDATION_FAILED']);
    expect(new Set(letters.values.map((l) => l.sourceTopic))).toEqual(new Set([justice]));
    for (const [what, bytes] of bad) {
      const letter = letters.values.find((l) => l.originalHeaders.some((h: any) => h.key === 'what' && h.value?.toString() === what));
      expect(Buffer.from(letter.originalValue).toString('hex'), what).toBe(bytes.toString('hex'));
    }
    const reasons = letters.values.map((l) => l.reason).join('\n');
    expect(reasons).toContain('order expiresAt is before startsAt');
    expect(reasons).toContain('subject has no reference, name, date of birth, phone or address to resolve');
    expect(reasons).not.toMatch(/ROBERT|SAMPLE|Joanne|07700|09\/123456H/i);
    // Nothing of the bad events reached the graph.
    expect(await redis.exists(`${namespace}:evt:JUS-E2E-BAD`)).toBe(0);
  });
});
