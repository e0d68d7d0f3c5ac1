// Pre-arrival intelligence for one incident, from the history of each of its
// parties on the identity graph (College of Policing call-handling guidance;
// ../shared/DESIGN.md, "Domain facts"). Pure: the same incident over the same
// graph gives the same intelligence, so a replay emits what a clean run did.
//
// History is what was known when the call came in: events received before
// this incident, never this incident's own versions, so a later call already
// on the graph (a replay of an old offset) does not leak into an earlier one.
import { boroughByCode } from '../../shared/geography/boroughs.ts';
import type { IncidentFacts } from './incident-facts.ts';
import type { EntityHistory } from './incident-graph.ts';
import type { PersonIntelligence, PreArrivalIntelligence, PreviousIncident } from './intelligence-types.ts';

export type IntelligenceSettings = {
  /** Rolling window for a repeat victim and for "recent" counts (DESIGN.md: 12 months). */
  repeatWindowDays: number;
  /** Previous incidents listed per person, most recent first; the counts cover all. */
  maxPreviousIncidents: number;
};

export const DEFAULT_INTELLIGENCE_SETTINGS: IntelligenceSettings = Object.freeze({ repeatWindowDays: 365, maxPreviousIncidents: 10 });

const DAY_MS = 86_400_000;
const RISK_ORDER = ['STANDARD', 'MEDIUM', 'HIGH'];
const riskRank = (risk: string | null): number => (risk ? RISK_ORDER.indexOf(risk) : -1);
/** DASH questions that raise risk whatever the count: worth a marker when seen before. */
const HIGH_HARM_ABUSE = ['STRANGULATION', 'THREATS_TO_KILL', 'STALKING', 'HONOUR_BASED'];

/** A previous incident of one person, with what this person was in it. */
type PersonIncident = { facts: IncidentFacts; roles: string[]; others: { entityId: string; roles: string[] }[] };

/** The incidents an entity took part in before `incident`, newest first, one per incident id (its latest version). */
function previousIncidents(history: EntityHistory, incident: IncidentFacts): PersonIncident[] {
  const latest = new Map<string, PersonIncident>();
  for (const { facts, partyEntityIds } of history.events) {
    if (facts.kind !== 'incident' || facts.incidentId === incident.incidentId || facts.receivedAt >= incident.receivedAt) continue;
    const roles = new Set<string>();
    const others = new Map<string, Set<string>>();
    facts.parties.forEach((party, i) => {
      const entityId = partyEntityIds[i];
      if (!entityId) return;
      if (entityId === history.entityId) party.roles.forEach((role) => roles.add(role));
      else party.roles.forEach((role) => others.set(entityId, (others.get(entityId) ?? new Set()).add(role)));
    });
    const seen = latest.get(facts.incidentId);
    if (seen && seen.facts.version >= facts.version) continue;
    latest.set(facts.incidentId, { facts, roles: [...roles], others: [...others].map(([entityId, r]) => ({ entityId, roles: [...r] })) });
  }
  return [...latest.values()].sort((a, b) => b.facts.receivedAt - a.facts.receivedAt || a.facts.incidentId.localeCompare(b.facts.incidentId));
}

const has = (roles: readonly string[], role: string) => roles.includes(role);

export function buildIntelligence({
  incident,
  histories,
  generatedAt,
  settings = DEFAULT_INTELLIGENCE_SETTINGS,
}: {
  /** As recorded on the graph (its first recording, on a replay): parties with their roles and matches. */
  incident: IncidentFacts;
  /** The history of each party's entity, in the order of the incident's parties. */
  histories: readonly EntityHistory[];
  generatedAt: number;
  settings?: IntelligenceSettings;
}): PreArrivalIntelligence {
  const windowStart = incident.receivedAt - settings.repeatWindowDays * DAY_MS;
  const { parties } = incident;
  const entityOf = (i: number) => histories[i]!.entityId;
  const victims = new Set(parties.flatMap((p, i) => (has(p.roles, 'VICTIM') ? [entityOf(i)] : [])));
  const suspects = new Set(parties.flatMap((p, i) => (has(p.roles, 'SUSPECT') ? [entityOf(i)] : [])));

  const befores = parties.map((_, i) => previousIncidents(histories[i]!, incident));
  const persons = parties.map((party, i): PersonIntelligence => {
    const entityId = entityOf(i);
    const before = befores[i]!;
    const recent = before.filter((p) => p.facts.receivedAt >= windowStart);
    const withRisk = before.filter((p) => p.facts.riskLevel);
    const highest = withRisk.reduce<string | null>((top, p) => (riskRank(p.facts.riskLevel) > riskRank(top) ? p.facts.riskLevel : top), null);

    // Serial: as a suspect, two or more distinct victims (this call's included).
    const victimsOfThisPerson = new Set<string>();
    if (has(party.roles, 'SUSPECT')) {
      victims.forEach((v) => v !== entityId && victimsOfThisPerson.add(v));
      for (const p of before) {
        if (!has(p.roles, 'SUSPECT')) continue;
        for (const other of p.others) if (has(other.roles, 'VICTIM')) victimsOfThisPerson.add(other.entityId);
      }
    }
    const otherVictimEntityIds = [...victimsOfThisPerson].filter((v) => !victims.has(v)).sort();

    // Counter-allegation: this person and the other side of this call were seen before with roles reversed.
    const opposite = has(party.roles, 'VICTIM') ? suspects : has(party.roles, 'SUSPECT') ? victims : new Set<string>();
    const myRoleNow = has(party.roles, 'VICTIM') ? 'VICTIM' : 'SUSPECT';
    const reversedRole = myRoleNow === 'VICTIM' ? 'SUSPECT' : 'VICTIM';
    const counterAllegation = before.some(
      (p) => has(p.roles, reversedRole) && p.others.some((o) => opposite.has(o.entityId) && has(o.roles, myRoleNow)),
    );

    const weapons = [...new Set(before.flatMap((p) => p.facts.weapons))].sort();
    const childrenAtAddress =
      incident.childrenPresent ||
      recent.some((p) => p.facts.childrenPresent && incident.postcode !== null && p.facts.postcode === incident.postcode);

    const previous: PreviousIncident[] = before.slice(0, settings.maxPreviousIncidents).map((p) => ({
      incidentId: p.facts.incidentId,
      occurredAt: p.facts.receivedAt,
      boroughCode: p.facts.boroughCode,
      roles: p.roles,
      abuseTypes: p.facts.abuseTypes,
      riskLevel: p.facts.riskLevel,
      otherPartyEntityIds: p.others.map((o) => o.entityId).sort(),
    }));

    return {
      partyId: party.partyId,
      roles: [...party.roles],
      entityId,
      // A party resolved before its incident was recorded (a crash in between) lost its decision: it is on the graph, so matched.
      match: party.match?.outcome ?? 'MATCHED',
      matchProbability: party.match?.probability ?? null,
      matchEvidence: party.match?.evidence ?? [],
      previousIncidents: previous,
      incidentsLast12Months: recent.length,
      incidentsAllTime: before.length,
      highestRiskLevel: highest,
      latestRiskLevel: withRisk[0]?.facts.riskLevel ?? null,
      // MARAC, orders and bail come from justice events; none are on the graph yet.
      maracLast12Months: false,
      repeatMarac: false,
      serialPerpetrator: victimsOfThisPerson.size >= 2,
      otherVictimEntityIds,
      weaponsMentionedBefore: weapons,
      activeOrders: [],
      bailConditions: [],
      childrenAtAddress,
      counterAllegation,
    };
  });

  const markers = new Set<string>();
  persons.forEach((p, i) => {
    if (has(p.roles, 'VICTIM') && p.incidentsLast12Months > 0) markers.add('REPEAT_VICTIM');
    if (p.serialPerpetrator) markers.add('SERIAL_PERPETRATOR');
    if (p.weaponsMentionedBefore.includes('FIREARM')) markers.add('FIREARM_MENTIONED_BEFORE');
    if (p.weaponsMentionedBefore.some((w) => w !== 'FIREARM')) markers.add('WEAPON_MENTIONED_BEFORE');
    if (p.highestRiskLevel === 'HIGH') markers.add('HIGH_RISK_BEFORE');
    if (p.counterAllegation) markers.add('COUNTER_ALLEGATION');
    if (p.childrenAtAddress) markers.add('CHILDREN_AT_ADDRESS');
    for (const abuse of HIGH_HARM_ABUSE) if (befores[i]!.some((b) => b.facts.abuseTypes.includes(abuse))) markers.add(`${abuse}_BEFORE`);
  });

  const hasHistory = persons.some((p) => p.incidentsAllTime > 0);
  return {
    incidentId: incident.incidentId,
    sourceEventId: incident.eventId,
    boroughCode: incident.boroughCode,
    receivedAt: incident.receivedAt,
    generatedAt,
    summary: summarise(persons, hasHistory),
    hasHistory,
    warningMarkers: [...markers].sort(),
    persons,
  };
}

const DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short', year: 'numeric' });
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const roleWord = (p: PersonIntelligence) => (has(p.roles, 'VICTIM') ? 'Victim' : has(p.roles, 'SUSPECT') ? 'Suspect' : has(p.roles, 'CHILD') ? 'Child' : 'Party');

/** One line a dispatcher can take in at a glance: most important first, no names (CAD already shows them). */
export function summarise(persons: readonly PersonIntelligence[], hasHistory: boolean): string {
  if (!hasHistory) return 'No previous incidents known for anyone in this call.';
  const parts: string[] = [];
  const counted = persons.filter((p) => p.incidentsAllTime > 0 && (has(p.roles, 'VICTIM') || has(p.roles, 'SUSPECT')));
  const twice = (word: string) => persons.filter((p) => roleWord(p) === word).length > 1;
  for (const p of counted) {
    const who = twice(roleWord(p)) ? `${roleWord(p)} ${p.partyId}` : roleWord(p);
    const latest = p.previousIncidents[0];
    const where = latest ? `, latest ${DATE.format(latest.occurredAt)} in ${boroughByCode(latest.boroughCode)?.name ?? latest.boroughCode}` : '';
    const risk = p.highestRiskLevel ? `, highest risk ${p.highestRiskLevel}` : '';
    let line = `${who}: ${plural(p.incidentsAllTime, 'previous incident')} (${p.incidentsLast12Months} in 12 months${where}${risk})`;
    if (p.serialPerpetrator) line += `; serial: ${plural(p.otherVictimEntityIds.length + 1, 'victim')} known`;
    if (p.match === 'POSSIBLE_MATCH') line += '; possible match, check identity';
    parts.push(line);
  }
  const others = persons.filter((p) => p.incidentsAllTime > 0 && !counted.includes(p));
  if (others.length) parts.push(`${plural(others.length, 'other party', 'other parties')} known`);
  const weapons = [...new Set(persons.flatMap((p) => p.weaponsMentionedBefore))];
  if (weapons.includes('FIREARM')) parts.push('FIREARM mentioned before');
  else if (weapons.length) parts.push(`${weapons.map((w) => w.toLowerCase().replace('_', ' ')).join(', ')} mentioned before`);
  if (persons.some((p) => p.counterAllegation)) parts.push('counter-allegation: roles reversed in an earlier report');
  if (persons.some((p) => p.childrenAtAddress)) parts.push('children at the address');
  return parts.join('. ') + '.';
}
