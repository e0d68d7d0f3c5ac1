import { describe, expect, it } from 'vitest';
import { buildIntelligence, orderOrBailBreach } from './build-intelligence.ts';
import { partyMatch, type IncidentFacts } from '../../shared/graph/incident-facts.ts';
import type { EntityHistory, GraphEvent } from '../../shared/graph/incident-graph.ts';
import type { JusticeFacts, JusticeWhat } from '../../shared/graph/justice-facts.ts';
import type { PreArrivalIntelligence } from '../../shared/contracts/intelligence.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 25, 21, 0, 0);
const VICTIM = 'Pvictim', SUSPECT = 'Psuspect', OTHER_VICTIM = 'Pother';

function incident(id: string, daysAgo: number, parties: [string, string[]][], extra: Partial<IncidentFacts> = {}): IncidentFacts {
  return {
    kind: 'incident',
    incidentId: id,
    eventId: `${id}:v1`,
    version: 1,
    receivedAt: NOW - daysAgo * DAY,
    boroughCode: 'E09000022',
    postcode: 'SE11 4AA',
    domesticAbuse: true,
    abuseTypes: ['COERCIVE_CONTROL'],
    riskLevel: 'STANDARD',
    callGrade: 'PRIORITY',
    weapons: [],
    childrenPresent: false,
    injuries: [],
    parties: parties.map(([partyId, roles]) => ({ partyId, recordId: `${id}:v1:${partyId}`, roles, relationshipToVictim: null })),
    ...extra,
  };
}
/** An event as history returns it: the parties' entities in order. */
const event = (facts: IncidentFacts, entities: string[]): GraphEvent => ({ facts, partyEntityIds: entities });

const called = incident('CAD-3', 0, [['P1', ['VICTIM', 'CALLER']], ['P2', ['SUSPECT']]], { childrenPresent: false });
const now: IncidentFacts = {
  ...called,
  parties: [
    { ...called.parties[0]!, match: partyMatch({ outcome: 'link', entityId: VICTIM, score: { matchWeight: 12, probability: 0.9998, evidence: [{ field: 'phone', level: 'exact', weight: 13.337 }] } }) },
    { ...called.parties[1]!, match: partyMatch({ outcome: 'new' }) },
  ],
};

describe('buildIntelligence', () => {
  it('says so when nobody in the call has any history', () => {
    const histories: EntityHistory[] = [
      { entityId: VICTIM, events: [event(now, [VICTIM, SUSPECT])] },
      { entityId: SUSPECT, events: [event(now, [VICTIM, SUSPECT])] },
    ];
    const intel = buildIntelligence({ incident: now, histories, generatedAt: NOW + 40 });
    expect(intel.hasHistory).toBe(false);
    expect(intel.summary).toBe('No previous incidents known for anyone in this call.');
    expect(intel.warningMarkers).toEqual([]);
    expect(intel.persons.map((p) => [p.entityId, p.match, p.incidentsAllTime])).toEqual([[VICTIM, 'MATCHED', 0], [SUSPECT, 'NEW_PERSON', 0]]);
    expect(intel.persons[0]!.matchEvidence).toEqual([{ field: 'phone', level: 'exact', weight: 13.34 }]);
  });

  it("names a repeat victim's earlier incidents, newest first, with the perpetrator, and counts only the last 12 months as recent", () => {
    const first = incident('CAD-1', 400, [['P1', ['VICTIM']], ['P2', ['SUSPECT']]], { riskLevel: 'HIGH', abuseTypes: ['PHYSICAL', 'STRANGULATION'] });
    const second = incident('CAD-2', 30, [['P1', ['VICTIM']], ['P2', ['SUSPECT']]], { riskLevel: 'MEDIUM', abuseTypes: ['ECONOMIC'], weapons: ['KNIFE'] });
    const pair = (f: IncidentFacts) => event(f, [VICTIM, SUSPECT]);
    const histories = [
      { entityId: VICTIM, events: [pair(now), pair(second), pair(first)] },
      { entityId: SUSPECT, events: [pair(now), pair(second), pair(first)] },
    ];
    const intel = buildIntelligence({ incident: now, histories, generatedAt: NOW + 40 });
    const victim = intel.persons[0]!;
    expect(victim.previousIncidents.map((p) => [p.incidentId, p.roles, p.otherPartyEntityIds, p.abuseTypes])).toEqual([
      ['CAD-2', ['VICTIM'], [SUSPECT], ['ECONOMIC']],
      ['CAD-1', ['VICTIM'], [SUSPECT], ['PHYSICAL', 'STRANGULATION']],
    ]);
    expect([victim.incidentsLast12Months, victim.incidentsAllTime, victim.highestRiskLevel, victim.latestRiskLevel]).toEqual([1, 2, 'HIGH', 'MEDIUM']);
    expect(victim.weaponsMentionedBefore).toEqual(['KNIFE']);
    expect(intel.persons[1]!.serialPerpetrator).toBe(false);
    expect(intel.warningMarkers).toEqual(['HIGH_RISK_BEFORE', 'REPEAT_VICTIM', 'STRANGULATION_BEFORE', 'WEAPON_MENTIONED_BEFORE']);
    expect(intel.summary).toContain('Victim: 2 previous incidents (1 in 12 months, latest 26 Oct 2026 in Lambeth, highest risk HIGH)');
    expect(intel.summary).toContain('knife mentioned before');
  });

  it('flags a serial perpetrator with the other victims, and a counter-allegation when the pair was seen with roles reversed', () => {
    const elsewhere = incident('CAD-7', 100, [['P1', ['VICTIM']], ['P2', ['SUSPECT']]], { boroughCode: 'E09000030', weapons: ['FIREARM'] });
    const reversed = incident('CAD-8', 50, [['P1', ['VICTIM']], ['P2', ['SUSPECT']]]);
    const histories = [
      { entityId: VICTIM, events: [event(now, [VICTIM, SUSPECT]), event(reversed, [SUSPECT, VICTIM])] },
      { entityId: SUSPECT, events: [event(now, [VICTIM, SUSPECT]), event(reversed, [SUSPECT, VICTIM]), event(elsewhere, [OTHER_VICTIM, SUSPECT])] },
    ];
    const intel = buildIntelligence({ incident: now, histories, generatedAt: NOW });
    const [victim, suspect] = intel.persons;
    expect(suspect!.serialPerpetrator).toBe(true);
    expect(suspect!.otherVictimEntityIds).toEqual([OTHER_VICTIM]);
    expect(victim!.counterAllegation).toBe(true);
    expect(suspect!.counterAllegation).toBe(true);
    expect(intel.warningMarkers).toEqual(expect.arrayContaining(['SERIAL_PERPETRATOR', 'COUNTER_ALLEGATION', 'FIREARM_MENTIONED_BEFORE']));
    expect(intel.summary).toContain('serial: 2 victims known');
    expect(intel.summary).toContain('FIREARM mentioned before');
  });

  it('leaves out later calls and this call\'s own versions, so a replay says what the first run said', () => {
    const later = incident('CAD-9', -5, [['P1', ['VICTIM']], ['P2', ['SUSPECT']]]);
    const v2 = { ...now, eventId: 'CAD-3:v2', version: 2 };
    const histories = [
      { entityId: VICTIM, events: [event(later, [VICTIM, SUSPECT]), event(v2, [VICTIM, SUSPECT]), event(now, [VICTIM, SUSPECT])] },
      { entityId: SUSPECT, events: [] },
    ];
    const intel = buildIntelligence({ incident: now, histories, generatedAt: NOW });
    expect(intel.hasHistory).toBe(false);
  });

  it('counts one incident once however many versions of it are on the graph, with the latest version\'s facts', () => {
    const v1 = incident('CAD-4', 10, [['P1', ['VICTIM']]], { riskLevel: 'STANDARD' });
    const v2 = { ...v1, eventId: 'CAD-4:v2', version: 2, riskLevel: 'HIGH', receivedAt: v1.receivedAt + 60_000 };
    const histories = [{ entityId: VICTIM, events: [event(v2, [VICTIM]), event(v1, [VICTIM])] }, { entityId: SUSPECT, events: [] }];
    const victim = buildIntelligence({ incident: now, histories, generatedAt: NOW }).persons[0]!;
    expect([victim.incidentsAllTime, victim.highestRiskLevel]).toEqual([1, 'HIGH']);
  });

  it('reports children at the address from this call, or from a recent call at the same postcode', () => {
    const before = incident('CAD-5', 20, [['P1', ['VICTIM']]], { childrenPresent: true });
    const histories = [{ entityId: VICTIM, events: [event(before, [VICTIM])] }, { entityId: SUSPECT, events: [] }];
    expect(buildIntelligence({ incident: now, histories, generatedAt: NOW }).persons[0]!.childrenAtAddress).toBe(true);
    const moved = { ...now, postcode: 'E1 6AN' };
    expect(buildIntelligence({ incident: moved, histories, generatedAt: NOW }).persons[0]!.childrenAtAddress).toBe(false);
  });

  it('reports a link made in the possible-match band as a possible match', () => {
    const match = partyMatch({ outcome: 'link', entityId: VICTIM, score: { matchWeight: 3, probability: 0.89, evidence: [], corroboratedBy: ['phone:exact'] } });
    const possible = { ...now, parties: [{ ...now.parties[0]!, match }, now.parties[1]!] };
    const histories = [{ entityId: VICTIM, events: [] }, { entityId: SUSPECT, events: [] }];
    expect(buildIntelligence({ incident: possible, histories, generatedAt: NOW }).persons[0]!.match).toBe('POSSIBLE_MATCH');
  });
});

// ---- justice events: orders, bail, MARAC, DASH ----------------------------------------

/** A justice event as history returns it: subject first, then the related persons, as entities. */
function justice(id: string, daysAgo: number, what: JusticeWhat, subject: string, related: string[] = []): GraphEvent {
  const at = NOW - daysAgo * DAY;
  const facts = {
    kind: 'justice',
    eventId: id,
    occurredAt: at,
    recordedAt: at,
    boroughCode: 'E09000022',
    incidentId: null,
    parties: [{ recordId: `${id}:subject`, role: 'SUBJECT' }, ...related.map((_, i) => ({ recordId: `${id}:related:${i}`, role: 'RELATED' }))],
    ...what,
  } as JusticeFacts;
  return { facts, partyEntityIds: [subject, ...related] };
}
const days = (n: number) => NOW + n * DAY;
const order = (orderId: string, action: string, extra: Partial<Extract<JusticeWhat, { what: 'PROTECTIVE_ORDER' }>> = {}): JusticeWhat => ({
  what: 'PROTECTIVE_ORDER', orderId, orderType: 'DVPO', action, startsAt: null, expiresAt: days(20), conditions: ['not to enter 10 Acacia Rd'], ...extra,
});
const release = (bailExpiresAt: number | null, conditions: [string, number | null][], releaseType = 'PRE_CHARGE_BAIL'): JusticeWhat => ({
  what: 'CUSTODY_RELEASE', releaseType, bailExpiresAt, bailConditions: conditions.map(([kind, expiresAt]) => ({ kind, description: `${kind.toLowerCase()} condition`, expiresAt })),
});
const marac: JusticeWhat = { what: 'MARAC_REFERRAL', reason: 'HIGH_RISK_DASH', meetingAt: null };
const dash = (level: string, riskFactors: string[] = []): JusticeWhat => ({ what: 'DASH', level, yesCount: 15, riskFactors });
const charge = (outcome: string): JusticeWhat => ({ what: 'CHARGE_OUTCOME', offences: ['ABH'], outcome });

/** The call (victim P1, suspect P2) over these justice events, each in both parties' histories as the graph would give them. */
const over = (...events: GraphEvent[]): PreArrivalIntelligence =>
  buildIntelligence({ incident: now, histories: [{ entityId: VICTIM, events }, { entityId: SUSPECT, events }], generatedAt: NOW });
const ordersOf = (intel: PreArrivalIntelligence) => intel.persons.map((p) => p.activeOrders.map((o) => `${o.orderType}:${o.expiresAt === null ? 'open' : (o.expiresAt - NOW) / DAY}`));
const justiceMarkers = (intel: PreArrivalIntelligence) => intel.warningMarkers.filter((m) => ['ACTIVE_ORDER', 'BAIL_CONDITIONS', 'REPEAT_MARAC', 'ORDER_OR_BAIL_BREACH'].includes(m));

describe('buildIntelligence: protective orders', () => {
  it.each<[string, GraphEvent[], string[][], string[]]>([
    ['a DVPO issued against the suspect protecting the victim is on both, and this call is a possible breach',
      [justice('J1', 5, order('O1', 'ISSUED'), SUSPECT, [VICTIM])], [['DVPO:20'], ['DVPO:20']], ['ACTIVE_ORDER', 'ORDER_OR_BAIL_BREACH']],
    ['an order past its expiry at the call is not active',
      [justice('J1', 3, order('O1', 'ISSUED', { orderType: 'DVPN', expiresAt: days(-1) }), SUSPECT, [VICTIM])], [[], []], []],
    ['an order discharged since it was issued is not active',
      [justice('J1', 10, order('O1', 'ISSUED'), SUSPECT, [VICTIM]), justice('J2', 2, order('O1', 'DISCHARGED', { expiresAt: null }), SUSPECT)], [[], []], []],
    ['an order marked expired is not active, whatever its expiry said',
      [justice('J1', 10, order('O1', 'ISSUED'), SUSPECT, [VICTIM]), justice('J2', 1, order('O1', 'EXPIRED'), SUSPECT)], [[], []], []],
    ['a variation restates the expiry; a breach leaves the order in force',
      [justice('J1', 30, order('O1', 'ISSUED', { expiresAt: days(-2) }), SUSPECT, [VICTIM]), justice('J2', 4, order('O1', 'VARIED', { expiresAt: days(60), conditions: [] }), SUSPECT), justice('J3', 1, order('O1', 'BREACHED', { expiresAt: null }), SUSPECT)],
      [['DVPO:60'], ['DVPO:60']], ['ACTIVE_ORDER', 'ORDER_OR_BAIL_BREACH']],
    ['a discharge after the call does not count: the call is judged on what was so when it came in',
      [justice('J1', 10, order('O1', 'ISSUED', { expiresAt: null }), SUSPECT, [VICTIM]), justice('J2', -1, order('O1', 'DISCHARGED'), SUSPECT)], [['DVPO:open'], ['DVPO:open']], ['ACTIVE_ORDER', 'ORDER_OR_BAIL_BREACH']],
    ['an order that starts after the call is not active yet',
      [justice('J1', 1, order('O1', 'ISSUED', { startsAt: days(1) }), SUSPECT, [VICTIM])], [[], []], []],
    ['an order protecting someone else is on the suspect, but this call is no breach of it',
      [justice('J1', 5, order('O1', 'ISSUED', { orderType: 'NON_MOLESTATION' }), SUSPECT, [OTHER_VICTIM])], [[], ['NON_MOLESTATION:20']], ['ACTIVE_ORDER']],
    ['an order against the victim protecting the suspect is no breach by the suspect',
      [justice('J1', 5, order('O1', 'ISSUED'), VICTIM, [SUSPECT])], [['DVPO:20'], ['DVPO:20']], ['ACTIVE_ORDER']],
  ])('%s', (_, events, orders, markers) => {
    const intel = over(...events);
    expect(ordersOf(intel)).toEqual(orders);
    expect(justiceMarkers(intel)).toEqual(markers);
  });

  it('gives the order its conditions and says so in the summary, the possible breach first', () => {
    const intel = over(justice('J1', 5, order('O1', 'ISSUED'), SUSPECT, [VICTIM]));
    expect(intel.persons[1]!.activeOrders).toEqual([{ orderType: 'DVPO', expiresAt: days(20), conditions: ['not to enter 10 Acacia Rd'] }]);
    expect(intel.hasHistory).toBe(true);
    expect(intel.summary).toBe(
      'Possible breach: the suspect is under an order or no-contact bail protecting the victim. Victim: no previous incidents; active DVPO until 15 Dec 2026. Suspect: no previous incidents; active DVPO until 15 Dec 2026.',
    );
  });
});

describe('buildIntelligence: bail conditions', () => {
  it.each<[string, GraphEvent[], string[], string[]]>([
    ['no-contact bail protecting the victim is on the suspect, and this call is a possible breach',
      [justice('J1', 7, release(days(80), [['NO_CONTACT', null], ['CURFEW', days(10)]]), SUSPECT, [VICTIM])], ['CURFEW:10', 'NO_CONTACT:80'], ['BAIL_CONDITIONS', 'ORDER_OR_BAIL_BREACH']],
    ['bail past its expiry has no conditions left',
      [justice('J1', 90, release(days(-1), [['NO_CONTACT', null]]), SUSPECT, [VICTIM])], [], []],
    ['a condition past its own expiry goes; the others stay',
      [justice('J1', 20, release(days(60), [['NO_CONTACT', days(-3)], ['EXCLUSION_ZONE', null]]), SUSPECT, [VICTIM])], ['EXCLUSION_ZONE:60'], ['BAIL_CONDITIONS']],
    ['the latest release wins: released under investigation since, with no conditions',
      [justice('J1', 40, release(days(50), [['NO_CONTACT', null]]), SUSPECT, [VICTIM]), justice('J2', 5, release(null, [], 'RELEASED_UNDER_INVESTIGATION'), SUSPECT)], [], []],
    ['no further action since the release ends its bail',
      [justice('J1', 40, release(days(50), [['NO_CONTACT', null]]), SUSPECT, [VICTIM]), justice('J2', 5, charge('NO_FURTHER_ACTION'), SUSPECT)], [], []],
    ['a charge (not a disposal) leaves the bail standing',
      [justice('J1', 40, release(days(50), [['NO_CONTACT', null]]), SUSPECT, [VICTIM]), justice('J2', 5, charge('CHARGED'), SUSPECT)], ['NO_CONTACT:50'], ['BAIL_CONDITIONS', 'ORDER_OR_BAIL_BREACH']],
    ['no-contact bail protecting someone else is no breach by this call',
      [justice('J1', 7, release(days(80), [['NO_CONTACT', null]]), SUSPECT, [OTHER_VICTIM])], ['NO_CONTACT:80'], ['BAIL_CONDITIONS']],
  ])('%s', (_, events, conditions, markers) => {
    const intel = over(...events);
    expect(intel.persons[0]!.bailConditions).toEqual([]);
    expect(intel.persons[1]!.bailConditions.map((c) => `${c.kind}:${c.expiresAt === null ? 'open' : (c.expiresAt - NOW) / DAY}`)).toEqual(conditions);
    expect(justiceMarkers(intel)).toEqual(markers);
  });

  it('says which conditions in the summary', () => {
    const intel = over(justice('J1', 7, release(days(80), [['NO_CONTACT', null]]), SUSPECT, [VICTIM]));
    expect(intel.summary).toContain('Suspect: no previous incidents; bail conditions: no contact until 13 Feb 2027');
  });
});

describe('buildIntelligence: MARAC', () => {
  it.each<[string, GraphEvent[], [boolean, boolean][], string[]]>([
    ['a referral of the victim naming this suspect within 12 months makes this call a repeat MARAC, for both',
      [justice('J1', 100, marac, VICTIM, [SUSPECT])], [[true, true], [false, true]], ['REPEAT_MARAC']],
    ['a referral more than 12 months ago counts for neither',
      [justice('J1', 400, marac, VICTIM, [SUSPECT])], [[false, false], [false, false]], []],
    ['a referral naming another perpetrator is MARAC in the last 12 months, not a repeat with this suspect',
      [justice('J1', 100, marac, VICTIM, [OTHER_VICTIM])], [[true, false], [false, false]], []],
    ['a referral naming nobody makes any domestic-abuse call of the victim a repeat MARAC',
      [justice('J1', 100, marac, VICTIM)], [[true, true], [false, false]], ['REPEAT_MARAC']],
    ['a referral after the call does not count',
      [justice('J1', -2, marac, VICTIM, [SUSPECT])], [[false, false], [false, false]], []],
  ])('%s', (_, events, flags, markers) => {
    const intel = over(...events);
    expect(intel.persons.map((p) => [p.maracLast12Months, p.repeatMarac])).toEqual(flags);
    expect(justiceMarkers(intel)).toEqual(markers);
  });

  it('does not call a non-domestic call a repeat MARAC when the referral named nobody', () => {
    const call = { ...now, domesticAbuse: false };
    const events = [justice('J1', 100, marac, VICTIM)];
    const intel = buildIntelligence({ incident: call, histories: [{ entityId: VICTIM, events }, { entityId: SUSPECT, events }], generatedAt: NOW });
    expect(intel.persons[0]!.repeatMarac).toBe(false);
  });

  it('says so in the summary, after the incidents', () => {
    const first = incident('CAD-1', 120, [['P1', ['VICTIM']], ['P2', ['SUSPECT']]]);
    const events = [event(first, [VICTIM, SUSPECT]), justice('J1', 100, marac, VICTIM, [SUSPECT])];
    const intel = buildIntelligence({ incident: now, histories: [{ entityId: VICTIM, events }, { entityId: SUSPECT, events }], generatedAt: NOW });
    expect(intel.summary).toContain('Victim: 1 previous incident (1 in 12 months, latest 28 Jul 2026 in Lambeth, highest risk STANDARD); MARAC referral in the last 12 months (repeat MARAC)');
    expect(intel.summary).toContain('Suspect: 1 previous incident (1 in 12 months, latest 28 Jul 2026 in Lambeth, highest risk STANDARD); named in a MARAC referral in the last 12 months (repeat MARAC)');
  });
});

describe('buildIntelligence: DASH', () => {
  it('takes a completed DASH as a risk grade of its time, beside the incidents, with its risk factors as markers', () => {
    const older = incident('CAD-1', 60, [['P1', ['VICTIM']], ['P2', ['SUSPECT']]], { riskLevel: 'MEDIUM' });
    const events = [event(older, [VICTIM, SUSPECT]), justice('J1', 10, dash('HIGH', ['STRANGULATION']), VICTIM, [SUSPECT])];
    const intel = buildIntelligence({ incident: now, histories: [{ entityId: VICTIM, events }, { entityId: SUSPECT, events }], generatedAt: NOW });
    expect(intel.persons.map((p) => [p.highestRiskLevel, p.latestRiskLevel])).toEqual([['HIGH', 'HIGH'], ['HIGH', 'HIGH']]);
    expect(intel.warningMarkers).toEqual(expect.arrayContaining(['HIGH_RISK_BEFORE', 'STRANGULATION_BEFORE']));
  });

  it('leaves the latest grade to a later incident', () => {
    const later = incident('CAD-1', 5, [['P1', ['VICTIM']]], { riskLevel: 'MEDIUM' });
    const events = [event(later, [VICTIM]), justice('J1', 30, dash('STANDARD'), VICTIM)];
    const intel = buildIntelligence({ incident: now, histories: [{ entityId: VICTIM, events }, { entityId: SUSPECT, events: [] }], generatedAt: NOW });
    expect([intel.persons[0]!.highestRiskLevel, intel.persons[0]!.latestRiskLevel]).toEqual(['MEDIUM', 'MEDIUM']);
  });

  it('counts no justice event as history when it says nothing a dispatcher is told', () => {
    const intel = over(justice('J1', 30, { what: 'ARREST', offences: ['ABH'] }, SUSPECT));
    expect(intel.hasHistory).toBe(false);
    expect(intel.summary).toBe('No previous incidents known for anyone in this call.');
  });
});

describe('an order or bail breach', () => {
  const call = { suspects: new Set(['E-s']), victims: new Set(['E-v']) };
  const none = new Map<string, undefined>();
  it('is a suspect of the call bound by an order that protects a victim of the call', () => {
    expect(orderOrBailBreach({ ...call, orders: [{ bound: new Set(['E-s']), protects: new Set(['E-v']) }], bails: none })).toBe(true);
    expect(orderOrBailBreach({ ...call, orders: [{ bound: new Set(['E-s']), protects: new Set(['E-other']) }], bails: none })).toBe(false);
    expect(orderOrBailBreach({ ...call, orders: [{ bound: new Set(['E-x']), protects: new Set(['E-v']) }], bails: none })).toBe(false);
  });

  it('is a suspect on no-contact bail protecting a victim of the call, and not other bail conditions', () => {
    const bail = (kind: string) => new Map([['E-s', { conditions: [{ kind }], protects: new Set(['E-v']) }]]);
    expect(orderOrBailBreach({ ...call, orders: [], bails: bail('NO_CONTACT') })).toBe(true);
    expect(orderOrBailBreach({ ...call, orders: [], bails: bail('CURFEW') })).toBe(false);
  });
});
