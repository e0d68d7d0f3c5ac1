// End to end, against real Kafka, Redis and the registry, through the
// resolver service as it runs in production (a child process): calls in on
// the CAD topic, pre-arrival intelligence out on the dispatch topic, read by
// an independent consumer.
import { adminRedis } from '../helpers/redis.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterTopicOf } from '../../shared/kafka/dead-letter.ts';
import { valueSubject } from '../../shared/contracts/topics.ts';
import type { PreArrivalIntelligence } from '../../shared/contracts/intelligence.ts';
import { startResolverProcess, type ResolverProcess } from '../../scripts/pipeline/resolver-process.ts';
import { sampleIncident } from '../helpers/sample-incident.ts';
import { collectDecoded } from '../helpers/topics.ts';
import { uniqueName } from '../helpers/unique.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { clearNamespace } from '../../shared/redis/keys.ts';
import { kafkaTestKit } from '../helpers/kafka-test-kit.ts';

const { endpoints, kafka, codec, producer } = kafkaTestKit('e2e-intel', () => [
  { topic: input, partitions: 2, valueSchema: 'incident-reported.avsc' },
  { topic: intelTopic, partitions: 2, valueSchema: 'pre-arrival-intelligence.avsc' },
  { topic: dlq, partitions: 1, valueSchema: 'dead-letter.avsc' },
]);
const redis = adminRedis();
const namespace = `${uniqueName('e2e')}:{g}`;
const input = `${uniqueName('cad.incidents')}.v1`;
const intelTopic = `${uniqueName('dispatch.intel')}.v1`;
const dlq = deadLetterTopicOf(input);

let resolver: ResolverProcess;
let intel: { values: (PreArrivalIntelligence & { key: string })[]; stop(): Promise<void> };
let letters: { values: any[]; stop(): Promise<void> };

const DAY = 86_400_000;
const now = Date.now();
const send = async (incidents: Record<string, unknown>[]) =>
  producer.send({ topic: input, messages: await Promise.all(incidents.map(async (i) => ({ key: i.incidentId as string, value: await codec.encode(valueSubject(input), i) }))) });
const party = (base: any, overrides: Record<string, unknown>) => ({ ...base, ...overrides, name: { ...base.name, ...(overrides.name as object) } });

beforeAll(async () => {
  resolver = await startResolverProcess({ endpoints, inputTopic: input, intelTopic, groupId: uniqueName('resolver'), graphNamespace: namespace });
  intel = (await collectDecoded(kafka, codec, intelTopic)) as typeof intel;
  letters = await collectDecoded(kafka, codec, dlq);
}, 90_000);

afterAll(async () => {
  await resolver?.kill('SIGTERM');
  await Promise.all([intel?.stop(), letters?.stop()]);
  await clearNamespace(redis, namespace);
  redis.disconnect();
});

describe('pre-arrival intelligence, end to end', () => {
  it("tells dispatch on a victim's third call, typed differently each time, about the two earlier incidents and the perpetrator", async () => {
    const base = sampleIncident() as any;
    const [victim, suspect] = base.parties;
    const call = (n: number, daysAgo: number, v: Record<string, unknown>, s: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      sampleIncident({
        incidentId: `CAD-E2E-${n}`,
        eventId: `evt-e2e-${n}`,
        receivedAt: now - daysAgo * DAY,
        reportedAt: now - daysAgo * DAY - 60_000,
        parties: [party(victim, v), party(suspect, s)],
        ...extra,
      });
    // The same two people, as three different call handlers typed them.
    const first = call(1, 75, {}, {}, { weapons: [], abuseTypes: ['COERCIVE_CONTROL', 'ECONOMIC'], riskLevel: 'MEDIUM' });
    const second = call(
      2,
      20,
      { name: { title: null, given: null, family: null, full: 'Joanne Example-Tester' }, dateOfBirth: '1991-04-03', phones: ['+447700900123'], addresses: ['2/10 Acacia Road SE114AA'] },
      { name: { full: null, given: 'Bob', family: 'Sample', aliases: [] }, ageYears: null, dateOfBirth: null, phones: ['07700900456'] },
      { abuseTypes: ['PHYSICAL', 'STRANGULATION'], riskLevel: 'HIGH' },
    );
    const third = call(
      3,
      0,
      { name: { title: null, given: null, family: null, full: 'EXAMPLE TESTER, Jo' }, dateOfBirth: '03.04.91', phones: ['07700-900-123'], addresses: ['10 acacia rd flat 2 se11 4aa'] },
      { name: { full: 'Robert SAMPLE', aliases: [] }, ageYears: 41, phones: ['0044 7700 900456'] },
      { abuseTypes: ['PSYCHOLOGICAL'], weapons: [], riskLevel: null },
    );
    // One at a time, as calls come in: each call's history is what was on the graph before it.
    for (const incident of [first, second, third]) {
      await send([incident]);
      await waitFor(`intelligence for ${incident.incidentId}`, () => intel.values.some((i) => i.incidentId === incident.incidentId));
    }
    const byIncident = (id: string) => intel.values.find((i) => i.incidentId === id)!;
    expect(byIncident('CAD-E2E-1').hasHistory).toBe(false);
    expect(byIncident('CAD-E2E-1').summary).toBe('No previous incidents known for anyone in this call.');

    const latest = byIncident('CAD-E2E-3');
    expect(latest.key).toBe('CAD-E2E-3');
    expect(latest.sourceEventId).toBe('evt-e2e-3');
    const [victimIntel, suspectIntel] = latest.persons;
    expect(victimIntel!.roles).toEqual(['VICTIM', 'CALLER']);
    expect(victimIntel!.match).not.toBe('NEW_PERSON');
    expect(victimIntel!.matchEvidence.length).toBeGreaterThan(0);
    expect(victimIntel!.previousIncidents.map((p) => p.incidentId)).toEqual(['CAD-E2E-2', 'CAD-E2E-1']);
    // The perpetrator: the same entity as the suspect of this call, named in both earlier incidents.
    for (const previous of victimIntel!.previousIncidents) expect(previous.otherPartyEntityIds).toEqual([suspectIntel!.entityId]);
    expect(suspectIntel!.previousIncidents.map((p) => p.incidentId)).toEqual(['CAD-E2E-2', 'CAD-E2E-1']);
    expect(victimIntel!.previousIncidents[1]!.abuseTypes).toEqual(['COERCIVE_CONTROL', 'ECONOMIC']);
    expect([victimIntel!.incidentsLast12Months, victimIntel!.highestRiskLevel, victimIntel!.latestRiskLevel]).toEqual([2, 'HIGH', 'HIGH']);
    expect(latest.warningMarkers).toEqual(expect.arrayContaining(['REPEAT_VICTIM', 'HIGH_RISK_BEFORE', 'STRANGULATION_BEFORE']));
    expect(latest.summary).toMatch(/^Victim: 2 previous incidents \(2 in 12 months, latest .* in Lambeth, highest risk HIGH\)\. Suspect: 2 previous incidents/);
    expect(latest.generatedAt).toBeGreaterThanOrEqual(latest.receivedAt);
  });

  it('sends bad messages of every kind to the dead-letter topic with the original bytes, and goes on', async () => {
    const unknownSchema = Buffer.concat([Buffer.from([0, 0x7f, 0xff, 0xff, 0x01]), Buffer.from('payload')]);
    const good = await codec.encode(valueSubject(input), sampleIncident({ incidentId: 'CAD-E2E-AFTER', eventId: 'evt-e2e-after', receivedAt: now, reportedAt: now }));
    const truncated = good.subarray(0, 40);
    const badBorough = await codec.encode(valueSubject(input), sampleIncident({ incidentId: 'CAD-E2E-CITY', eventId: 'evt-e2e-city', boroughCode: 'E09000001' }));
    const noVictim = sampleIncident({ incidentId: 'CAD-E2E-NOVICTIM', eventId: 'evt-e2e-novictim' }) as any;
    noVictim.parties = noVictim.parties.map((p: any) => ({ ...p, roles: ['WITNESS'] }));
    const future = sampleIncident({ incidentId: 'CAD-E2E-FUTURE', eventId: 'evt-e2e-future', receivedAt: now + 3 * DAY, reportedAt: now });
    const bad: [string, Buffer | null][] = [
      ['plain text', Buffer.from('not avro at all')],
      ['empty', null],
      ['unknown schema id', unknownSchema],
      ['truncated avro', truncated],
      ['not a Met borough', badBorough],
      ['no victim', await codec.encode(valueSubject(input), noVictim)],
      ['from the future', await codec.encode(valueSubject(input), future)],
    ];
    // All on one partition, then a good call behind them: it must still be answered.
    await producer.send({ topic: input, messages: [...bad.map(([key, value]) => ({ key: 'same-key', value, headers: { what: key } })), { key: 'same-key', value: good }] });
    await waitFor('intelligence for the good call behind the bad ones', () => intel.values.some((i) => i.incidentId === 'CAD-E2E-AFTER'), { timeoutMs: 30_000 });
    await waitFor('every bad message dead-lettered', () => letters.values.length >= bad.length);
    expect(letters.values).toHaveLength(bad.length);
    const codes = letters.values.map((l) => l.errorCode).sort();
    expect(codes).toEqual(['DECODE_FAILED', 'DECODE_FAILED', 'DECODE_FAILED', 'SCHEMA_UNKNOWN', 'VALIDATION_FAILED', 'VALIDATION_FAILED', 'VALIDATION_FAILED'].sort());
    const offsets = letters.values.map((l) => Number(l.sourceOffset)).sort((a, b) => a - b);
    expect(new Set(letters.values.map((l) => `${l.sourceTopic}/${l.sourcePartition}`))).toEqual(new Set([`${input}/${letters.values[0].sourcePartition}`]));
    expect(offsets[offsets.length - 1]! - offsets[0]!).toBe(bad.length - 1);
    for (const [what, bytes] of bad) {
      const letter = letters.values.find((l) => l.originalHeaders.some((h: any) => h.key === 'what' && h.value?.toString() === what));
      expect(letter, what).toBeDefined();
      expect(letter.originalValue === null ? null : Buffer.from(letter.originalValue).toString('hex'), what).toBe(bytes === null ? null : bytes.toString('hex'));
      expect(letter.originalKey.toString()).toBe('same-key');
    }
    const reasons = letters.values.map((l) => l.reason).join('\n');
    expect(reasons).toContain('not the ONS code of a Met borough');
    expect(reasons).toContain('names no victim');
    expect(reasons).toContain('receivedAt is in the future');
    // Reasons never quote the people in the message.
    expect(reasons).not.toMatch(/EXAMPLE|Jo\b|07700/);

    // Operators see the same on the service's Prometheus endpoint.
    const metrics = await (await fetch(resolver.metricsUrl)).text();
    const series = (name: string) => metrics.split('\n').filter((l) => l.startsWith(name));
    expect(series('dauntless_dead_letters_total').find((l) => l.includes('code="VALIDATION_FAILED"'))).toMatch(/ 3$/);
    expect(series('dauntless_dead_letters_total').find((l) => l.includes('code="DECODE_FAILED"'))).toMatch(/ 3$/);
    expect(series('dauntless_match_outcomes_total').length).toBeGreaterThan(0);
    expect(series('dauntless_end_to_end_seconds_count')[0]).toMatch(/ 4$/);
  });
});
