// Custody release alerts (docs/DOMAIN.md "Orders and events": custody release
// of a perpetrator should alert the boroughs of their victims). Pure.
//
// When a custody release is recorded whose subject has victims on the graph,
// each borough where those victims' incidents were (as victims, with anyone:
// the calls come mostly from where they live) gets one BoroughAlert
// (schemas/borough-alert.avsc, topic dauntless.alerts.v1, key the borough's
// ONS code) with the release, its bail conditions and the victims there.
//
// A victim is anyone the perpetrator harmed or is kept from: a VICTIM of an
// incident where they were the SUSPECT, a person an order, arrest or release
// of theirs names (RELATED), or the subject of a DASH or MARAC that names
// them. A victim the release protects who never called is alerted to the
// release's own borough, when it has one. No victims, no alert.
import { boroughByCode } from '../geography/boroughs.ts';
import type { HarmScore } from '../harm/harm-score.ts';
import type { EntityHistory } from '../graph/incident-graph.ts';
import type { JusticeFacts } from '../graph/justice-facts.ts';

export type CustodyReleaseFacts = Extract<JusticeFacts, { what: 'CUSTODY_RELEASE' }>;

export type AlertVictim = { entityId: string; incidentIds: string[]; lastIncidentAt: number | null; protectedByRelease: boolean };

/** The decoded value of schemas/borough-alert.avsc. */
export type BoroughAlert = {
  alertId: string;
  kind: 'CUSTODY_RELEASE' | 'OTHER';
  boroughCode: string;
  generatedAt: number;
  causeEventId: string;
  perpetratorEntityId: string;
  summary: string;
  victims: AlertVictim[];
  custodyRelease: {
    releasedAt: number;
    releaseType: string;
    bailExpiresAt: number | null;
    bailConditions: { kind: string; description: string; expiresAt: number | null }[];
  } | null;
  harmScore: number | null;
  serial: boolean;
};

/** The release among a history's events, with the entities it names now. */
export function findCustodyRelease(history: EntityHistory, eventId: string): { facts: CustodyReleaseFacts; subjects: string[]; related: string[] } | undefined {
  for (const { facts, partyEntityIds } of history.events) {
    if (facts.kind !== 'justice' || facts.eventId !== eventId || facts.what !== 'CUSTODY_RELEASE') continue;
    const ids = (role: string) => [...new Set(facts.parties.flatMap((p, i) => (p.role === role && partyEntityIds[i] ? [partyEntityIds[i]!] : [])))].sort();
    return { facts, subjects: ids('SUBJECT'), related: ids('RELATED') };
  }
  return undefined;
}

/** Everyone this perpetrator harmed or is kept from, by their history (entity ids now). */
export function victimsOf(perpetrator: EntityHistory): string[] {
  const self = perpetrator.entityId;
  const victims = new Set<string>();
  for (const { facts, partyEntityIds } of perpetrator.events) {
    if (facts.kind === 'incident') {
      if (!facts.parties.some((p, i) => partyEntityIds[i] === self && p.roles.includes('SUSPECT'))) continue;
      facts.parties.forEach((p, i) => {
        const id = partyEntityIds[i];
        if (id && id !== self && p.roles.includes('VICTIM')) victims.add(id);
      });
      continue;
    }
    // DASH and MARAC are about the victim (SUBJECT) and name the perpetrator; the rest are about the perpetrator.
    const aboutVictim = facts.what === 'DASH' || facts.what === 'MARAC_REFERRAL';
    const mine = aboutVictim ? 'RELATED' : 'SUBJECT';
    const theirs = aboutVictim ? 'SUBJECT' : 'RELATED';
    if (!facts.parties.some((p, i) => partyEntityIds[i] === self && p.role === mine)) continue;
    facts.parties.forEach((p, i) => {
      const id = partyEntityIds[i];
      if (id && id !== self && p.role === theirs) victims.add(id);
    });
  }
  return [...victims].sort();
}

/** Where a victim's incidents as a victim were: borough -> incident ids newest first, and the latest time. */
function victimBoroughs(history: EntityHistory): Map<string, { incidentIds: string[]; lastIncidentAt: number }> {
  const self = history.entityId;
  const latest = new Map<string, { borough: string; at: number }>();
  for (const { facts, partyEntityIds } of history.events) {
    if (facts.kind !== 'incident') continue;
    if (!facts.parties.some((p, i) => partyEntityIds[i] === self && p.roles.includes('VICTIM'))) continue;
    const seen = latest.get(facts.incidentId);
    // One incident once, dated by its first version, placed by its latest.
    latest.set(facts.incidentId, { borough: facts.boroughCode, at: Math.min(seen?.at ?? Infinity, facts.receivedAt) });
  }
  const byBorough = new Map<string, { incidentIds: string[]; lastIncidentAt: number; dated: [number, string][] }>();
  for (const [incidentId, { borough, at }] of latest) {
    const b = byBorough.get(borough) ?? { incidentIds: [], lastIncidentAt: -Infinity, dated: [] };
    b.dated.push([at, incidentId]);
    b.lastIncidentAt = Math.max(b.lastIncidentAt, at);
    byBorough.set(borough, b);
  }
  for (const b of byBorough.values()) b.incidentIds = b.dated.sort((x, y) => y[0] - x[0] || x[1].localeCompare(y[1])).map(([, id]) => id);
  return new Map([...byBorough].map(([code, { incidentIds, lastIncidentAt }]) => [code, { incidentIds, lastIncidentAt }]));
}

const DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short', year: 'numeric' });
const words = (symbol: string) => symbol.toLowerCase().replaceAll('_', ' ');
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function summaryOf(perpetrator: string, release: CustodyReleaseFacts, borough: string, victims: readonly AlertVictim[]): string {
  const bail = release.bailExpiresAt === null ? '' : ` until ${DATE.format(release.bailExpiresAt)}`;
  const conditions = release.bailConditions.length
    ? `bail conditions: ${release.bailConditions.map((c) => words(c.kind)).join(', ')}`
    : 'no bail conditions';
  const called = victims.filter((v) => v.incidentIds.length);
  const place = boroughByCode(borough)?.name ?? borough;
  const where = called.length
    ? `${plural(called.length, 'victim')} of theirs ${called.length === 1 ? 'has' : 'have'} called from ${place}`
    : `${plural(victims.length, 'person', 'people')} the release protects, in ${place}`;
  return `Perpetrator ${perpetrator} released from custody (${words(release.releaseType)}${bail}), ${conditions}; ${where}.`;
}

export type CustodyReleaseAlertInput = {
  /** The release's event id (the graph event). */
  eventId: string;
  /** The released perpetrator's history (its entityId is who they are now). */
  perpetrator: EntityHistory;
  /** The histories of the perpetrator's victims (victimsOf), in any order. */
  victims: readonly EntityHistory[];
  /** The perpetrator's harm score now, to show how dangerous they are; optional. */
  score?: Pick<HarmScore, 'score' | 'serial'>;
  at: number;
};

/** One alert per borough of the released perpetrator's victims; none when the event is no custody release or nobody is a victim. */
export function custodyReleaseAlerts({ eventId, perpetrator, victims, score, at }: CustodyReleaseAlertInput): BoroughAlert[] {
  const release = findCustodyRelease(perpetrator, eventId);
  if (!release || !release.subjects.includes(perpetrator.entityId)) return [];
  const known = new Set(victimsOf(perpetrator));
  const protectedByRelease = new Set(release.related.filter((id) => id !== perpetrator.entityId));
  const byBorough = new Map<string, AlertVictim[]>();
  const add = (code: string, victim: AlertVictim) => byBorough.set(code, [...(byBorough.get(code) ?? []), victim]);
  const histories = new Map(victims.map((h) => [h.entityId, h]));
  for (const id of [...new Set([...known, ...protectedByRelease])].sort()) {
    const places = histories.has(id) ? victimBoroughs(histories.get(id)!) : new Map();
    for (const [code, { incidentIds, lastIncidentAt }] of [...places].sort(([a], [b]) => a.localeCompare(b))) {
      add(code, { entityId: id, incidentIds, lastIncidentAt, protectedByRelease: protectedByRelease.has(id) });
    }
    if (places.size === 0 && protectedByRelease.has(id) && release.facts.boroughCode) {
      add(release.facts.boroughCode, { entityId: id, incidentIds: [], lastIncidentAt: null, protectedByRelease: true });
    }
  }
  const r = release.facts;
  return [...byBorough]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, list]) => ({
      alertId: `${eventId}:${code}`,
      kind: 'CUSTODY_RELEASE' as const,
      boroughCode: code,
      generatedAt: at,
      causeEventId: eventId,
      perpetratorEntityId: perpetrator.entityId,
      summary: summaryOf(perpetrator.entityId, r, code, list),
      victims: list,
      custodyRelease: {
        releasedAt: r.occurredAt,
        releaseType: r.releaseType,
        bailExpiresAt: r.bailExpiresAt,
        bailConditions: r.bailConditions.map((c) => ({ kind: c.kind, description: c.description, expiresAt: c.expiresAt ?? r.bailExpiresAt })),
      },
      harmScore: score ? score.score : null,
      serial: score?.serial ?? false,
    }));
}
