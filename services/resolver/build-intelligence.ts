// Pre-arrival intelligence for one incident, from the history of each of its
// parties on the identity graph (College of Policing call-handling guidance;
// docs/DOMAIN.md "Pre-arrival intelligence"). Pure: the same incident over the same
// graph gives the same intelligence, so a replay emits what a clean run did.
//
// History is what was known when the call came in: events received before
// this incident, never this incident's own versions, so a later call already
// on the graph (a replay of an old offset) does not leak into an earlier one.
// Justice events count when they happened before the call (occurredAt before
// receivedAt); orders, bail and MARAC are judged at the call's time.
//
// Justice rules (justice-facts.ts; docs/DOMAIN.md "MARAC and repeat MARAC", "Orders and events"):
//   MARAC in the last 12 months  a MARAC referral whose subject (the victim) is this person, within maracWindowDays
//   repeat MARAC          this call is abuse between a victim referred to MARAC within the window and
//                         the perpetrator(s) named in that referral (or, when it named none, a domestic-abuse call)
//   active order          ISSUED or VARIED (a BREACHED order stays in force), not EXPIRED or DISCHARGED since,
//                         started and not past expiresAt at the call; on the person it binds and the persons it protects
//   bail conditions       the person's latest custody release, unless a charge outcome has disposed of the case since;
//                         its conditions not past their expiry (or the bail's) at the call
//   DASH                  a completed DASH is a risk grade of its time, beside the incidents' risk grades
//   breach                a suspect of this call bound by an active order, or no-contact bail, protecting a victim of this call
import { boroughByCode } from '../../shared/geography/boroughs.ts';
import { incompleteWords } from '../../shared/format/intel-format.ts';
import type { IncidentFacts } from '../../shared/graph/incident-facts.ts';
import type { EntityHistory } from '../../shared/graph/incident-graph.ts';
import { bailInForce, byExpiry, isWhat, justiceBefore, ordersInForce, type JusticeSeen } from '../../shared/graph/orders-and-bail.ts';
import type { IncompletePicture, PersonIntelligence, PreArrivalIntelligence, PreviousIncident } from '../../shared/contracts/intelligence.ts';

export type IntelligenceSettings = {
  /** Rolling window for a repeat victim and for "recent" counts (docs/DOMAIN.md "Repeat victim": 12 months). */
  repeatWindowDays: number;
  /** Previous incidents listed per person, most recent first; the counts cover all. */
  maxPreviousIncidents: number;
  /** How long after a MARAC referral a further incident is a repeat MARAC, in days (docs/DOMAIN.md "MARAC and repeat MARAC": 12 months). */
  maracWindowDays: number;
};

export const DEFAULT_INTELLIGENCE_SETTINGS: IntelligenceSettings = Object.freeze({ repeatWindowDays: 365, maxPreviousIncidents: 10, maracWindowDays: 365 });

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

/** A suspect of this call under an order, or no-contact bail, that protects a victim of this call. */
export function orderOrBailBreach({
  suspects,
  victims,
  orders,
  bails,
}: {
  suspects: ReadonlySet<string>;
  victims: ReadonlySet<string>;
  orders: readonly { bound: ReadonlySet<string>; protects: ReadonlySet<string> }[];
  bails: ReadonlyMap<string, { conditions: readonly { kind: string }[]; protects: ReadonlySet<string> } | undefined>;
}): boolean {
  const protectsAVictim = (protects: ReadonlySet<string>, s: string) => [...protects].some((v) => victims.has(v) && v !== s);
  return [...suspects].some((s) => {
    const bail = bails.get(s);
    return orders.some((o) => o.bound.has(s) && protectsAVictim(o.protects, s)) || Boolean(bail?.conditions.some((c) => c.kind === 'NO_CONTACT') && protectsAVictim(bail.protects, s));
  });
}

/** Serial: the distinct victims of a suspect, this call's and those of their earlier incidents as a suspect. */
function victimsAsSuspect(entityId: string, victimsNow: ReadonlySet<string>, before: readonly PersonIncident[]): Set<string> {
  const found = new Set<string>();
  victimsNow.forEach((v) => v !== entityId && found.add(v));
  for (const p of before) {
    if (!has(p.roles, 'SUSPECT')) continue;
    for (const other of p.others) if (has(other.roles, 'VICTIM')) found.add(other.entityId);
  }
  return found;
}

/** Counter-allegation: this person and the other side of this call were seen before with their roles reversed. */
function rolesReversedBefore(roles: readonly string[], call: { victims: ReadonlySet<string>; suspects: ReadonlySet<string> }, before: readonly PersonIncident[]): boolean {
  const opposite = has(roles, 'VICTIM') ? call.suspects : has(roles, 'SUSPECT') ? call.victims : new Set<string>();
  const myRoleNow = has(roles, 'VICTIM') ? 'VICTIM' : 'SUSPECT';
  const reversedRole = myRoleNow === 'VICTIM' ? 'SUSPECT' : 'VICTIM';
  return before.some((p) => has(p.roles, reversedRole) && p.others.some((o) => opposite.has(o.entityId) && has(o.roles, myRoleNow)));
}

/** The call's warning markers for officer safety, from what each person's intelligence says and their history, sorted. */
function warningMarkersOf(persons: readonly PersonIntelligence[], befores: readonly PersonIncident[][], justice: readonly JusticeSeen[], breach: boolean): string[] {
  const markers = new Set<string>();
  persons.forEach((p, i) => {
    if (has(p.roles, 'VICTIM') && p.incidentsLast12Months > 0) markers.add('REPEAT_VICTIM');
    if (p.serialPerpetrator) markers.add('SERIAL_PERPETRATOR');
    if (p.weaponsMentionedBefore.includes('FIREARM')) markers.add('FIREARM_MENTIONED_BEFORE');
    if (p.weaponsMentionedBefore.some((w) => w !== 'FIREARM')) markers.add('WEAPON_MENTIONED_BEFORE');
    if (p.highestRiskLevel === 'HIGH') markers.add('HIGH_RISK_BEFORE');
    if (p.counterAllegation) markers.add('COUNTER_ALLEGATION');
    if (p.childrenAtAddress) markers.add('CHILDREN_AT_ADDRESS');
    const dashFactors = justice.filter(isWhat('DASH')).filter((d) => d.subjects.has(p.entityId) || d.related.has(p.entityId)).flatMap((d) => d.facts.riskFactors);
    for (const abuse of HIGH_HARM_ABUSE) {
      if (befores[i]!.some((b) => b.facts.abuseTypes.includes(abuse)) || dashFactors.includes(abuse)) markers.add(`${abuse}_BEFORE`);
    }
    if (p.activeOrders.length) markers.add('ACTIVE_ORDER');
    if (p.bailConditions.length) markers.add('BAIL_CONDITIONS');
    if (p.repeatMarac) markers.add('REPEAT_MARAC');
  });
  if (breach) markers.add('ORDER_OR_BAIL_BREACH');
  return [...markers].sort();
}

export function buildIntelligence({
  incident,
  histories,
  generatedAt,
  settings = DEFAULT_INTELLIGENCE_SETTINGS,
  incomplete = [],
}: {
  /** As recorded on the graph (its first recording, on a replay): parties with their roles and matches. */
  incident: IncidentFacts;
  /** The history of each party's entity, in the order of the incident's parties. */
  histories: readonly EntityHistory[];
  generatedAt: number;
  settings?: IntelligenceSettings;
  /** Parts of the picture the histories were read without (justice events not caught up): said in the summary too. */
  incomplete?: readonly IncompletePicture[];
}): PreArrivalIntelligence {
  const windowStart = incident.receivedAt - settings.repeatWindowDays * DAY_MS;
  const { parties } = incident;
  const entityOf = (i: number) => histories[i]!.entityId;
  const victims = new Set(parties.flatMap((p, i) => (has(p.roles, 'VICTIM') ? [entityOf(i)] : [])));
  const suspects = new Set(parties.flatMap((p, i) => (has(p.roles, 'SUSPECT') ? [entityOf(i)] : [])));

  const befores = parties.map((_, i) => previousIncidents(histories[i]!, incident));
  const justice = justiceBefore(histories, incident.receivedAt);
  const orders = ordersInForce(justice, incident.receivedAt);
  const maracStart = incident.receivedAt - settings.maracWindowDays * DAY_MS;
  const maracs = justice.filter(isWhat('MARAC_REFERRAL')).filter((m) => m.facts.occurredAt >= maracStart);
  // Repeat MARAC: a victim of this call referred within the window, and this call is abuse between them and the
  // perpetrator(s) that referral named (any suspect of a domestic-abuse call, when it named none).
  const repeatMaracs = maracs.filter(
    (m) =>
      [...m.subjects].some((v) => victims.has(v)) &&
      (m.facts.parties.some((p) => p.role === 'RELATED') ? [...m.related].some((s) => suspects.has(s)) : incident.domesticAbuse),
  );
  const bails = new Map([...new Set(histories.map((h) => h.entityId))].map((e) => [e, bailInForce(justice, e, incident.receivedAt)]));
  const breach = orderOrBailBreach({ suspects, victims, orders, bails });

  const persons = parties.map((party, i): PersonIntelligence => {
    const entityId = entityOf(i);
    const before = befores[i]!;
    const recent = before.filter((p) => p.facts.receivedAt >= windowStart);
    // Risk grades of this person's past, newest first: the incidents' and any completed DASH naming them.
    const grades = [
      ...before.filter((p) => p.facts.riskLevel).map((p) => ({ at: p.facts.receivedAt, level: p.facts.riskLevel! })),
      ...justice.filter(isWhat('DASH')).filter((d) => d.subjects.has(entityId) || d.related.has(entityId)).map((d) => ({ at: d.facts.occurredAt, level: d.facts.level })),
    ].sort((a, b) => b.at - a.at);
    const highest = grades.reduce<string | null>((top, g) => (riskRank(g.level) > riskRank(top) ? g.level : top), null);

    const victimsOfThisPerson = has(party.roles, 'SUSPECT') ? victimsAsSuspect(entityId, victims, before) : new Set<string>();
    const otherVictimEntityIds = [...victimsOfThisPerson].filter((v) => !victims.has(v)).sort();

    const counterAllegation = rolesReversedBefore(party.roles, { victims, suspects }, before);

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
      // Facts may hold a party without its match (written by a resolver that did not report a replayed
      // party's decision): the party is on the graph, so matched.
      match: party.match?.outcome ?? 'MATCHED',
      matchProbability: party.match?.probability ?? null,
      matchEvidence: party.match?.evidence ?? [],
      previousIncidents: previous,
      incidentsLast12Months: recent.length,
      incidentsAllTime: before.length,
      highestRiskLevel: highest,
      latestRiskLevel: grades[0]?.level ?? null,
      maracLast12Months: maracs.some((m) => m.subjects.has(entityId)),
      // The victim, and the perpetrator named in the referral.
      repeatMarac: repeatMaracs.some((m) => (m.subjects.has(entityId) && victims.has(entityId)) || (m.related.has(entityId) && suspects.has(entityId))),
      serialPerpetrator: victimsOfThisPerson.size >= 2,
      otherVictimEntityIds,
      weaponsMentionedBefore: weapons,
      activeOrders: orders
        .filter((o) => o.bound.has(entityId) || o.protects.has(entityId))
        .map((o) => o.order)
        .sort((a, b) => byExpiry(a, b) || a.orderType.localeCompare(b.orderType)),
      bailConditions: [...(bails.get(entityId)?.conditions ?? [])].sort((a, b) => byExpiry(a, b) || a.kind.localeCompare(b.kind)),
      childrenAtAddress,
      counterAllegation,
    };
  });

  const markers = warningMarkersOf(persons, befores, justice, breach);

  const hasHistory = persons.some(isKnown);
  return {
    incidentId: incident.incidentId,
    sourceEventId: incident.eventId,
    boroughCode: incident.boroughCode,
    receivedAt: incident.receivedAt,
    generatedAt,
    // In the summary too: a reader of the schema before `incomplete` shows the summary.
    summary: [summarise(persons, hasHistory, { breach }), ...incomplete.map(incompleteWords)].join(' '),
    hasHistory,
    warningMarkers: markers,
    persons,
    incomplete: incomplete.map((i) => ({ ...i, partitions: [...i.partitions] })),
  };
}

const DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short', year: 'numeric' });
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const roleWord = (p: PersonIntelligence) => (has(p.roles, 'VICTIM') ? 'Victim' : has(p.roles, 'SUSPECT') ? 'Suspect' : has(p.roles, 'CHILD') ? 'Child' : 'Party');

/** Anything known of this person before the call: incidents, or what justice events say now. */
const isKnown = (p: PersonIntelligence): boolean =>
  p.incidentsAllTime > 0 || p.highestRiskLevel !== null || p.maracLast12Months || p.repeatMarac || p.activeOrders.length > 0 || p.bailConditions.length > 0;

const until = (expiresAt: number | null) => (expiresAt === null ? '' : ` until ${DATE.format(expiresAt)}`);
const words = (symbol: string) => symbol.toLowerCase().replaceAll('_', ' ');

/** MARAC, orders and bail of one person, in words. */
function justiceWords(p: PersonIntelligence): string[] {
  const out: string[] = [];
  if (p.maracLast12Months) out.push(`MARAC referral in the last 12 months${p.repeatMarac ? ' (repeat MARAC)' : ''}`);
  else if (p.repeatMarac) out.push('named in a MARAC referral in the last 12 months (repeat MARAC)');
  if (p.activeOrders.length) out.push(p.activeOrders.map((o) => `active ${o.orderType}${until(o.expiresAt)}`).join(', '));
  if (p.bailConditions.length) out.push(`bail conditions: ${p.bailConditions.map((c) => `${words(c.kind)}${until(c.expiresAt)}`).join(', ')}`);
  return out;
}

/** One line a dispatcher can take in at a glance: most important first, no names (CAD already shows them). */
export function summarise(persons: readonly PersonIntelligence[], hasHistory: boolean, { breach = false }: { breach?: boolean } = {}): string {
  if (!hasHistory) return 'No previous incidents known for anyone in this call.';
  const parts: string[] = [];
  if (breach) parts.push('Possible breach: the suspect is under an order or no-contact bail protecting the victim');
  const counted = persons.filter((p) => isKnown(p) && (has(p.roles, 'VICTIM') || has(p.roles, 'SUSPECT')));
  const twice = (word: string) => persons.filter((p) => roleWord(p) === word).length > 1;
  for (const p of counted) {
    const who = twice(roleWord(p)) ? `${roleWord(p)} ${p.partyId}` : roleWord(p);
    const latest = p.previousIncidents[0];
    const where = latest ? `, latest ${DATE.format(latest.occurredAt)} in ${boroughByCode(latest.boroughCode)?.name ?? latest.boroughCode}` : '';
    const risk = p.highestRiskLevel ? `, highest risk ${p.highestRiskLevel}` : '';
    let line =
      p.incidentsAllTime > 0
        ? `${who}: ${plural(p.incidentsAllTime, 'previous incident')} (${p.incidentsLast12Months} in 12 months${where}${risk})`
        : `${who}: no previous incidents${risk}`;
    for (const said of justiceWords(p)) line += `; ${said}`;
    if (p.serialPerpetrator) line += `; serial: ${plural(p.otherVictimEntityIds.length + 1, 'victim')} known`;
    if (p.match === 'POSSIBLE_MATCH') line += '; possible match, check identity';
    parts.push(line);
  }
  const others = persons.filter((p) => isKnown(p) && !counted.includes(p));
  if (others.length) parts.push(`${plural(others.length, 'other party', 'other parties')} known`);
  const weapons = [...new Set(persons.flatMap((p) => p.weaponsMentionedBefore))];
  if (weapons.includes('FIREARM')) parts.push('FIREARM mentioned before');
  else if (weapons.length) parts.push(`${weapons.map((w) => w.toLowerCase().replace('_', ' ')).join(', ')} mentioned before`);
  if (persons.some((p) => p.counterAllegation)) parts.push('counter-allegation: roles reversed in an earlier report');
  if (persons.some((p) => p.childrenAtAddress)) parts.push('children at the address');
  return parts.join('. ') + '.';
}
