// End to end, against real Kafka, Redis and the registry, through the
// resolver and the scorer as they run in production (child processes): calls
// and justice events in; the resolver records them on the graph and announces
// each on graph.events; the scorer keeps every borough's top five and says
// what changed on dauntless.topfive, and alerts the boroughs of a released
// perpetrator's victims on dauntless.alerts.
//
// Lambeth has five perpetrators of coercive control. A sixth, who harassed one
// partner, ranks below them; when he strangles a second partner, he rises to
// the top, and the message says why: the new incident, a second victim. When
// he is released from custody on bail, Lambeth (where both partners called
// from) and Southwark (where a third victim did) are alerted with the bail
// conditions, and no other borough is.
import { adminRedis } from '../helpers/redis.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterTopicOf } from '../../shared/kafka/dead-letter.ts';
import { valueSubject } from '../../shared/contracts/topics.ts';
import { wrapDetail } from '../../shared/contracts/justice-event.ts';
import { createScoreBoard } from '../../shared/boards/score-board.ts';
import { scorerNamespaceFor } from '../../shared/boards/namespaces.ts';
import type { TopFiveChanged } from '../../shared/boards/top-five-message.ts';
import type { BoroughAlert } from '../../shared/boards/custody-release-alerts.ts';
import { startResolverProcess, type ResolverProcess } from '../../scripts/pipeline/resolver-process.ts';
import { startScorerProcess, type ScorerProcess } from '../../scripts/pipeline/scorer-process.ts';
import { collectDecoded } from '../helpers/topics.ts';
import { uniqueName } from '../helpers/unique.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { clearNamespace } from '../../shared/redis/keys.ts';
import { kafkaTestKit } from '../helpers/kafka-test-kit.ts';

const { endpoints, kafka, codec, producer } = kafkaTestKit('e2e-top-five', () => [
  { topic: calls, partitions: 2, valueSchema: 'incident-reported.avsc' },
  { topic: justice, partitions: 2, valueSchema: 'justice-event.avsc' },
  { topic: intelTopic, partitions: 2, valueSchema: 'pre-arrival-intelligence.avsc' },
  { topic: graphEvents, partitions: 2, valueSchema: 'graph-event-recorded.avsc' },
  { topic: topFiveTopic, partitions: 2, valueSchema: 'top-five-changed.avsc' },
  { topic: alertsTopic, partitions: 2, valueSchema: 'borough-alert.avsc' },
  { topic: deadLetterTopicOf(calls), partitions: 1, valueSchema: 'dead-letter.avsc' },
  { topic: deadLetterTopicOf(justice), partitions: 1, valueSchema: 'dead-letter.avsc' },
  { topic: deadLetterTopicOf(graphEvents), partitions: 1, valueSchema: 'dead-letter.avsc' },
]);
const redis = adminRedis();
const namespace = `${uniqueName('e2e-top-five')}:{g}`;
const calls = `${uniqueName('cad.incidents')}.v1`;
const justice = `${uniqueName('justice.events')}.v1`;
const intelTopic = `${uniqueName('dispatch.intel')}.v1`;
const graphEvents = `${uniqueName('graph.events')}.v1`;
const topFiveTopic = `${uniqueName('dauntless.topfive')}.v1`;
const alertsTopic = `${uniqueName('dauntless.alerts')}.v1`;

const LAMBETH = 'E09000022';
const SOUTHWARK = 'E09000028';
const DAY = 86_400_000;
const now = Date.now();

let resolver: ResolverProcess;
let scorer: ScorerProcess;
let topfive: { values: (TopFiveChanged & { key: string })[]; stop(): Promise<void> };
let alerts: { values: (BoroughAlert & { key: string })[]; stop(): Promise<void> };

/** A synthetic person, typed the same way each time (the resolver's matching is tested elsewhere). */
type Person = { given: string; family: string; dob: string; phone: string };
const person = (given: string, family: string, dob: string, phone: string): Person => ({ given, family, dob, phone });
const party = (p: Person, partyId: string, roles: string[]) => ({
  partyId,
  roles,
  name: { title: null, given: p.given, middle: null, family: p.family, full: null, aliases: [] },
  dateOfBirth: p.dob,
  ageYears: null,
  gender: null,
  phones: [p.phone],
  emails: [],
  addresses: [],
  relationshipToVictim: roles.includes('SUSPECT') ? 'partner' : null,
});

function call(id: string, daysAgo: number, borough: string, victim: Person, suspect: Person, abuseTypes: string[]) {
  const receivedAt = now - daysAgo * DAY;
  return {
    incidentId: id,
    eventId: `${id}:v1`,
    version: 1,
    source: 'EMERGENCY_999',
    reportedAt: receivedAt - 60_000,
    receivedAt,
    boroughCode: borough,
    location: { addressLines: [], postcode: null, uprn: null, latitude: null, longitude: null },
    parties: [party(victim, 'P1', ['VICTIM', 'CALLER']), party(suspect, 'P2', ['SUSPECT'])],
    domesticAbuse: true,
    abuseTypes,
    weapons: [],
    childrenPresent: false,
    childrenCount: null,
    injuries: [],
    callGrade: 'IMMEDIATE',
    riskLevel: 'MEDIUM',
  };
}

async function sendCalls(list: ReturnType<typeof call>[]): Promise<void> {
  await producer.send({ topic: calls, messages: await Promise.all(list.map(async (c) => ({ key: c.incidentId, value: await codec.encode(valueSubject(calls), c) }))) });
}

// Five coercive controllers in Lambeth, each with a victim of their own; every detail invented.
const SURNAMES = ['ALDERTON', 'BECKWITH', 'CARRADINE', 'DUNMORE', 'ELLSWORTH'];
const seeds = SURNAMES.map((family, i) => ({
  suspect: person(['Gareth', 'Howard', 'Ivor', 'Julian', 'Keith'][i]!, family, `1980-0${i + 1}-1${i}`, `07700 90010${i}`),
  victim: person(['Alison', 'Bryony', 'Cerys', 'Delia', 'Esme'][i]!, `${family}-VICTIM`, `1984-0${i + 1}-2${i}`, `07700 90020${i}`),
}));
const perpetrator = person('Marcus', 'QUENTINSHAW', '1979-11-03', '07700 900999');
const partnerA = person('Nadia', 'ROWLEY-TEST', '1990-02-14', '07700 900301');
const partnerB = person('Olivia', 'STANMORE-TEST', '1992-07-21', '07700 900302');
const victimC = person('Petra', 'TILBURY-TEST', '1988-09-09', '07700 900303');

beforeAll(async () => {
  [resolver, scorer] = await Promise.all([
    startResolverProcess({
      endpoints,
      inputTopic: calls,
      intelTopic,
      groupId: uniqueName('resolver'),
      graphNamespace: namespace,
      graphEventsTopic: graphEvents,
      env: { DAUNTLESS_RESOLVER_TOPICS: `${calls},${justice}` },
    }),
    startScorerProcess({ endpoints, inputTopic: graphEvents, topFiveTopic, alertsTopic, groupId: uniqueName('scorer'), graphNamespace: namespace }),
  ]);
  topfive = (await collectDecoded(kafka, codec, topFiveTopic)) as typeof topfive;
  alerts = (await collectDecoded(kafka, codec, alertsTopic)) as typeof alerts;
}, 120_000);

afterAll(async () => {
  await Promise.all([resolver?.kill('SIGTERM'), scorer?.kill('SIGTERM')]);
  await Promise.all([topfive?.stop(), alerts?.stop()]);
  await clearNamespace(redis, namespace);
  await clearNamespace(redis, scorerNamespaceFor(namespace));
  redis.disconnect();
});

const latest = (borough: string) => topfive.values.filter((m) => m.key === borough).at(-1);

describe('the top five per borough, end to end', () => {
  it('puts a perpetrator who abuses two partners in one borough into its top five, and the message says why', async () => {
    await sendCalls([
      ...seeds.map((s, i) => call(`CAD-E2E-S${i}`, 10 + i, LAMBETH, s.victim, s.suspect, ['COERCIVE_CONTROL'])),
      // The first partner: harassment, a low harm.
      call('CAD-E2E-A1', 5, LAMBETH, partnerA, perpetrator, ['HARASSMENT']),
    ]);
    const suspectOf = (incidentId: string) => (resolver.logs.find((l) => l.incidentId === incidentId) as any)?.entities.find((e: any) => e.partyId === 'P2').entityId as string | undefined;
    const scored = (incidentId: string) => scorer.logs.some((l) => l.msg === 'event scored' && l.eventId === `${incidentId}:v1`);
    await waitFor('all six calls scored', () => ['CAD-E2E-A1', ...seeds.map((_, i) => `CAD-E2E-S${i}`)].every(scored), { timeoutMs: 60_000 });
    const controllers = seeds.map((_, i) => suspectOf(`CAD-E2E-S${i}`)!);
    const perpetratorId = suspectOf('CAD-E2E-A1')!;
    // Once the scorer has seen all six calls (in whatever order the partitions gave them), the five controllers lead and he is sixth.
    await waitFor('Lambeth led by the five controllers', () => new Set(latest(LAMBETH)?.ranking.map((r) => r.entityId)).size === 5 && controllers.every((id) => latest(LAMBETH)!.ranking.some((r) => r.entityId === id)), { timeoutMs: 60_000 });
    const board = await createScoreBoard({ redis, namespace: scorerNamespaceFor(namespace) }).read(LAMBETH, 6);
    expect(board.entries.map((e) => e.entityId)).toEqual([...latest(LAMBETH)!.ranking.map((r) => r.entityId), perpetratorId]);
    const seen = topfive.values.length;

    // The second partner: strangulation. A second victim multiplies his harm by 1.5.
    await sendCalls([call('CAD-E2E-B1', 1, LAMBETH, partnerB, perpetrator, ['STRANGULATION'])]);
    const risen = await waitFor('a Lambeth top five with him in it', () => topfive.values.slice(seen).find((m) => m.key === LAMBETH && m.ranking.some((r) => r.entityId === perpetratorId)), { timeoutMs: 60_000 });
    expect(risen.causeEventId).toBe('CAD-E2E-B1:v1');
    const top = risen.ranking[0]!;
    expect(top).toMatchObject({ rank: 1, entityId: perpetratorId, distinctVictims: 2, incidentsInWindow: 2, serial: true });
    expect(top.contributions.map((c) => c.incidentId)).toEqual(['CAD-E2E-B1', 'CAD-E2E-A1']);
    expect(top.contributions[0]!.why).toMatch(/^Incident CAD-E2E-B1, .* in Lambeth: strangulation 548 d × 2 homicide risk → 1096 days/);
    expect(risen.entered).toEqual([perpetratorId]);
    const entered = risen.changes.find((c) => c.change === 'ENTERED')!;
    expect(entered).toMatchObject({ entityId: perpetratorId, rank: 1, previousRank: null, addedRecordIds: ['CAD-E2E-B1:v1'] });
    expect(entered.reason).toMatch(/^new: incident CAD-E2E-B1 \(\+1\d{3}(\.\d)?\); score \d+(\.\d)? → \d{4}(\.\d)?$/);
    // The fifth controller drops out, overtaken.
    expect(risen.left).toHaveLength(1);
    expect(risen.left[0]!.reason).toMatch(new RegExp(`overtaken by ${perpetratorId}$`));
    expect(risen.ranking.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
    // Entity ids only: nothing of the people's names reached the message.
    expect(JSON.stringify(risen)).not.toMatch(/QUENTINSHAW|ROWLEY|STANMORE|Marcus|7700 ?900\d{3}/i);
  }, 150_000);

  it("alerts the boroughs of a released perpetrator's victims, with the bail conditions, and no other", async () => {
    // A third victim, in Southwark.
    await sendCalls([call('CAD-E2E-C1', 3, SOUTHWARK, victimC, perpetrator, ['STALKING'])]);
    await waitFor('the Southwark call scored', () => scorer.logs.some((l) => l.msg === 'event scored' && l.eventId === 'CAD-E2E-C1:v1'), { timeoutMs: 60_000 });
    const releasedAt = now - 60_000;
    const release = {
      eventId: 'JUS-E2E-RELEASE',
      occurredAt: releasedAt,
      recordedAt: releasedAt,
      boroughCode: LAMBETH,
      incidentId: 'CAD-E2E-B1',
      subject: { systemRef: null, given: perpetrator.given, family: perpetrator.family, full: null, dateOfBirth: perpetrator.dob, phones: [perpetrator.phone], addresses: [] },
      relatedPersons: [{ systemRef: null, given: partnerB.given, family: partnerB.family, full: null, dateOfBirth: partnerB.dob, phones: [partnerB.phone], addresses: [] }],
      detail: wrapDetail('CustodyRelease', {
        releaseType: 'PRE_CHARGE_BAIL',
        bailExpiresAt: releasedAt + 90 * DAY,
        bailConditions: [
          { kind: 'NO_CONTACT', description: 'not to contact the victim directly or indirectly', expiresAt: null },
          { kind: 'RESIDENCE', description: 'to live and sleep at the address given to custody', expiresAt: null },
        ],
      }),
    };
    await producer.send({ topic: justice, messages: [{ key: 'JUS-E2E-RELEASE', value: await codec.encode(valueSubject(justice), release) }] });
    await waitFor('the alerts', () => alerts.values.length >= 2 && scorer.logs.some((l) => l.msg === 'custody release alerts'), { timeoutMs: 60_000 });
    expect(alerts.values.map((a) => a.key).sort()).toEqual([LAMBETH, SOUTHWARK]);
    const lambeth = alerts.values.find((a) => a.key === LAMBETH)!;
    const southwark = alerts.values.find((a) => a.key === SOUTHWARK)!;
    expect(lambeth).toMatchObject({ alertId: `JUS-E2E-RELEASE:${LAMBETH}`, kind: 'CUSTODY_RELEASE', boroughCode: LAMBETH, causeEventId: 'JUS-E2E-RELEASE', serial: true });
    expect(lambeth.victims.map((v) => [v.incidentIds, v.protectedByRelease])).toEqual(
      expect.arrayContaining([
        [['CAD-E2E-A1'], false],
        [['CAD-E2E-B1'], true],
      ]),
    );
    expect(lambeth.victims).toHaveLength(2);
    expect(southwark.victims.map((v) => v.incidentIds)).toEqual([['CAD-E2E-C1']]);
    for (const alert of [lambeth, southwark]) {
      expect(alert.perpetratorEntityId).toBe(lambeth.perpetratorEntityId);
      expect(alert.custodyRelease).toEqual({
        releasedAt,
        releaseType: 'PRE_CHARGE_BAIL',
        bailExpiresAt: releasedAt + 90 * DAY,
        bailConditions: [
          { kind: 'NO_CONTACT', description: 'not to contact the victim directly or indirectly', expiresAt: releasedAt + 90 * DAY },
          { kind: 'RESIDENCE', description: 'to live and sleep at the address given to custody', expiresAt: releasedAt + 90 * DAY },
        ],
      });
      expect(alert.harmScore).toBeGreaterThan(1000);
      expect(alert.summary).toMatch(/^Perpetrator \S+ released from custody \(pre charge bail until .*\), bail conditions: no contact, residence; /);
      expect(JSON.stringify(alert)).not.toMatch(/QUENTINSHAW|ROWLEY|STANMORE|TILBURY|Marcus|7700 ?900\d{3}/i);
    }
  }, 120_000);
});
