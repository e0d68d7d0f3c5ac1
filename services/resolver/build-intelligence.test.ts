import { describe, expect, it } from 'vitest';
import { buildIntelligence } from './build-intelligence.ts';
import { partyMatch, type IncidentFacts } from './incident-facts.ts';
import type { EntityHistory, GraphEvent } from './incident-graph.ts';

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
    { ...called.parties[0]!, match: partyMatch({ outcome: 'link', entityId: VICTIM, score: { matchWeight: 12, probability: 0.9998, evidence: [{ field: 'phone', level: 'exact', weight: 13.337 }] } }, VICTIM) },
    { ...called.parties[1]!, match: partyMatch({ outcome: 'new' }, SUSPECT) },
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
    const match = partyMatch({ outcome: 'link', entityId: VICTIM, score: { matchWeight: 3, probability: 0.89, evidence: [], corroboratedBy: ['phone:exact'] } }, VICTIM);
    const possible = { ...now, parties: [{ ...now.parties[0]!, match }, now.parties[1]!] };
    const histories = [{ entityId: VICTIM, events: [] }, { entityId: SUSPECT, events: [] }];
    expect(buildIntelligence({ incident: possible, histories, generatedAt: NOW }).persons[0]!.match).toBe('POSSIBLE_MATCH');
  });
});
