// A perpetrator's Operation Dauntless harm score (RFH: recency, frequency,
// harm), from their history on the identity graph. Pure: the same history at
// the same time gives the same score, with every record that made it.
//
//   harm of a record   = base harm (days, harm-config.ts) × 2^(−age / half-life)
//   score              = Σ harm over the window × victims multiplier
//   victims multiplier = min(1 + step × (distinct victims − 1), max)
//   per borough        = the same, over the records in that borough (× the same multiplier)
//
// What counts (docs/HARM-SCORE.md says why):
//   incident          each incident where this entity is a SUSPECT, in its latest version known at `at`,
//                     dated by its first version; only calls flagged as domestic abuse (config)
//   conviction        a charge outcome in config.convictionOutcomes (CONVICTED) against this entity, for
//                     offences the table knows, when no incident on the graph already carries that harm
//                     (its incidentId unknown): a court's finding of abuse the calls never showed
//   order breach      a protective order BREACHED by this entity (its subject): a fresh act of abuse and
//                     defiance of a court, itself an offence
//   never             arrests, charges, DASH, MARAC, custody releases (evidence of risk, shown as flags,
//                     not harm done), and outcomes never take harm away: the CCHI counts reported crime
//                     whether or not anyone is convicted
//
// A perpetrator's harm counts where it happened: each record adds to its own
// borough, so they can rank in several. A justice event with no borough takes
// its incident's; with neither, it counts in the total only.
//
// Time-invariant ranking key: every record decays at the same rate, so the
// order of two scores never changes with time alone, only when a record
// enters or leaves the window. `scoreAtEpoch` is the score with every record
// grown back to the Unix epoch (Σ base × 2^(t / half-life) × multiplier);
// `score` is that decayed to `at`. Ranking by it is ranking at any moment,
// and a score kept since an earlier update equals one computed now, to the
// bit, until `nextChangeAt`.
import { boroughByCode } from '../geography/boroughs.ts';
import type { IncidentFacts } from '../graph/incident-facts.ts';
import type { EntityHistory } from '../graph/incident-graph.ts';
import type { JusticeFacts } from '../graph/justice-facts.ts';
import { DEFAULT_HARM_CONFIG, offenceHarm, offenceKeyOf, type HarmConfig } from './harm-config.ts';

export const DAY_MS = 86_400_000;

export type ContributionKind = 'INCIDENT' | 'CONVICTION' | 'ORDER_BREACH';

/** One record's part in a score. */
export type HarmContribution = {
  kind: ContributionKind;
  /** The graph event counted: the incident's latest version, or the justice event. */
  eventId: string;
  incidentId: string | null;
  /** When it happened (an incident: its first version's receivedAt), ms since the epoch. */
  occurredAt: number;
  /** ONS code where it happened; null when a justice event says nowhere and has no incident. */
  boroughCode: string | null;
  /** The victims (entity ids now): an incident's VICTIM parties, or those an order protects. */
  victimEntityIds: string[];
  /** Offence keys of the harm table counted, gravest first. */
  offences: string[];
  /** Days of harm with aggravations, before decay. */
  baseHarm: number;
  /** 2^(−age / half-life), 1 when it happened at `at`. */
  decay: number;
  /** baseHarm × decay: its part of the score before the victims multiplier. */
  harm: number;
  /** The sum, in words: "Incident CAD-1, 3 Mar 2026 in Lambeth: ...". */
  why: string;
};

/** A perpetrator's standing in one borough. */
export type BoroughHarm = {
  /** Harm here × the victims multiplier, at `at`. */
  score: number;
  /** The time-invariant ranking key (see the file's opening comment). */
  scoreAtEpoch: number;
  /** Most recent incident here in the window. */
  lastIncidentAt: number | null;
  /** Incidents here in the window: the frequency tie-break. */
  incidents: number;
};

/** The same pair seen with roles reversed (docs/DOMAIN.md "Counter-allegations": never merge roles; show who was victim first and more often). */
export type CounterAllegation = {
  otherEntityId: string;
  /** Incidents where this perpetrator was the suspect and the other the victim. */
  asSuspect: number;
  /** Incidents where this perpetrator was the victim and the other the suspect. */
  asVictim: number;
  /** This perpetrator's role in their first incident together. */
  firstRole: 'SUSPECT' | 'VICTIM';
};

export type HarmScore = {
  /** The entity scored: the history's (it may differ from the id asked for after a merge). */
  entityId: string;
  at: number;
  score: number;
  scoreAtEpoch: number;
  /** Σ harm before the victims multiplier. */
  harmBeforeVictims: number;
  victimMultiplier: number;
  /** Records in the window, newest first. */
  contributions: HarmContribution[];
  distinctVictims: number;
  victimEntityIds: string[];
  /** MATAC serial perpetrator. */
  serial: boolean;
  serialEvidence: { incidents: number; victimEntityIds: string[]; lookbackDays: number };
  /** Most recent incident as a suspect, at any age. */
  lastIncidentAt: number | null;
  /** Incidents as a suspect in the last config.recentDays. */
  incidents12m: number;
  /** score per ONS borough code; they sum to score, less any record with no borough. */
  perBorough: Record<string, number>;
  boroughs: Record<string, BoroughHarm>;
  /** Weapons mentioned in the window's incidents. */
  weapons: string[];
  /** Children present at any of the window's incidents. */
  childrenPresent: boolean;
  counterAllegations: CounterAllegation[];
  /** Records in the window that could have counted and did not, with why. */
  skipped: { eventId: string; reason: string }[];
  /** When this score next changes other than by decay (a record leaves the window or a look-back), or null: re-score then. */
  nextChangeAt: number | null;
};

/** 2^(−ageMs / half-life). */
export function decayFactor(ageMs: number, halfLifeDays: number): number {
  return Math.pow(2, -ageMs / (halfLifeDays * DAY_MS));
}

/** A time-invariant key (scoreAtEpoch) as a score at `at`. Board and from-scratch ranking both use this, so they agree to the bit. */
export function scoreAt(scoreAtEpoch: number, at: number, halfLifeDays: number): number {
  return scoreAtEpoch === 0 ? 0 : scoreAtEpoch * Math.pow(2, -at / (halfLifeDays * DAY_MS));
}

/** base × 2^(t / half-life): a record's harm grown back to the epoch. */
const atEpoch = (base: number, t: number, halfLifeDays: number) => base * Math.pow(2, t / (halfLifeDays * DAY_MS));

export function victimMultiplier(victims: number, config: HarmConfig): number {
  return victims <= 1 ? 1 : Math.min(1 + config.victims.step * (victims - 1), config.victims.maxMultiplier);
}

type OffencePart = { key: string; harm: number; share: number };

/**
 * The harm of offences that describe one event: of each family only the gravest, then the gravest offence in
 * full and each further one at config.additionalOffenceFraction.
 */
export function combineOffences(keys: readonly string[], config: HarmConfig): { harm: number; parts: OffencePart[] } {
  const byFamily = new Map<string, { key: string; harm: number }>();
  for (const key of new Set(keys)) {
    const harm = offenceHarm(key, config);
    const family = config.offences[key]?.family ?? key;
    const seen = byFamily.get(family);
    if (!seen || harm > seen.harm || (harm === seen.harm && key < seen.key)) byFamily.set(family, { key, harm });
  }
  const ordered = [...byFamily.values()].sort((a, b) => b.harm - a.harm || a.key.localeCompare(b.key));
  const parts = ordered.map((o, i) => ({ ...o, share: i === 0 ? 1 : config.additionalOffenceFraction }));
  return { harm: parts.reduce((sum, p) => sum + p.harm * p.share, 0), parts };
}

const DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short', year: 'numeric' });
const n1 = (x: number) => (Math.round(x * 10) / 10).toString();
/** A multiplier, to two places: ×1.25. */
const n2 = (x: number) => (Math.round(x * 100) / 100).toString();
/** "1 day ago", "30 days ago", "2.5 days ago". */
const ago = (ms: number) => {
  const days = n1(ms / DAY_MS);
  return `${days} ${days === '1' ? 'day' : 'days'} ago`;
};
const where = (code: string | null) => (code ? (boroughByCode(code)?.name ?? code) : 'no borough');

const ACRONYMS = new Set(['ABH', 'GBH', 'FGM']);

/** An offence key in words: COERCIVE_CONTROL → "coercive control", GBH_WITH_INTENT → "GBH with intent". */
export function offenceName(key: string): string {
  return key
    .split('_')
    .map((w) => (ACRONYMS.has(w) ? w : w.toLowerCase()))
    .join(' ');
}

function offenceWords(parts: readonly OffencePart[], config: HarmConfig): string {
  return parts
    .map((p) => {
      const w = config.offences[p.key]!;
      const name = offenceName(p.key);
      const days = w.homicideRiskUplift === 1 ? `${n1(w.days)} d` : `${n1(w.days)} d × ${n2(w.homicideRiskUplift)} homicide risk`;
      return p.share === 1 ? `${name} ${days}` : `${Math.round(p.share * 100)}% of ${name} ${days}`;
    })
    .join(' + ');
}

/** An incident as counted: its latest version known at `at`, dated by its first. */
type KnownIncident = { facts: IncidentFacts; partyEntityIds: (string | undefined)[]; occurredAt: number };

function knownIncidents(history: EntityHistory, at: number): { incidents: KnownIncident[]; futureAt: number | null } {
  const byId = new Map<string, KnownIncident>();
  let futureAt: number | null = null;
  for (const { facts, partyEntityIds } of history.events) {
    if (facts.kind !== 'incident') continue;
    if (facts.receivedAt > at) {
      futureAt = futureAt === null ? facts.receivedAt : Math.min(futureAt, facts.receivedAt);
      continue;
    }
    const seen = byId.get(facts.incidentId);
    if (!seen) {
      byId.set(facts.incidentId, { facts, partyEntityIds, occurredAt: facts.receivedAt });
      continue;
    }
    seen.occurredAt = Math.min(seen.occurredAt, facts.receivedAt);
    if (facts.version > seen.facts.version) {
      seen.facts = facts;
      seen.partyEntityIds = partyEntityIds;
    }
  }
  return { incidents: [...byId.values()], futureAt };
}

const rolesOf = (facts: IncidentFacts, partyEntityIds: readonly (string | undefined)[], entityId: string): Set<string> => {
  const roles = new Set<string>();
  facts.parties.forEach((p, i) => partyEntityIds[i] === entityId && p.roles.forEach((r) => roles.add(r)));
  return roles;
};

const withRole = (facts: IncidentFacts, partyEntityIds: readonly (string | undefined)[], role: string, except: string): string[] => {
  const ids = new Set<string>();
  facts.parties.forEach((p, i) => {
    const id = partyEntityIds[i];
    if (id && id !== except && p.roles.includes(role)) ids.add(id);
  });
  return [...ids].sort();
};

/** The entities of a justice event's parties in one role. */
const justiceParties = (facts: JusticeFacts, partyEntityIds: readonly (string | undefined)[], role: 'SUBJECT' | 'RELATED'): string[] =>
  [...new Set(facts.parties.flatMap((p, i) => (p.role === role && partyEntityIds[i] ? [partyEntityIds[i]!] : [])))].sort();

/** What one incident in the window adds to a perpetrator's score at `at`: its offences' harm, aggravated, decayed, in words. */
function incidentContribution(i: KnownIncident, self: string, at: number, config: HarmConfig): HarmContribution {
  const f = i.facts;
  const keys = [
    ...(f.abuseTypes.length ? f.abuseTypes : ['OTHER']).map((t) => config.abuseTypeOffence[t] ?? 'OTHER'),
    ...f.injuries.flatMap((s) => (config.injuryOffence[s] ? [config.injuryOffence[s]!] : [])),
  ];
  const { harm: offencesHarm, parts } = combineOffences(keys, config);
  const weapon = f.weapons.reduce<{ kind: string; m: number } | null>((top, kind) => {
    const m = config.aggravation.weapon[kind] ?? config.aggravation.weapon.OTHER ?? 1;
    return !top || m > top.m ? { kind, m } : top;
  }, null);
  const children = f.childrenPresent ? config.aggravation.childrenPresent : 1;
  const baseHarm = offencesHarm * (weapon?.m ?? 1) * children;
  const decay = decayFactor(at - i.occurredAt, config.halfLifeDays);
  const aggravations = [
    ...(weapon && weapon.m !== 1 ? [`${weapon.kind.toLowerCase().replaceAll('_', ' ')} ×${n2(weapon.m)}`] : []),
    ...(children !== 1 ? [`children present ×${n2(children)}`] : []),
  ];
  return {
    kind: 'INCIDENT',
    eventId: f.eventId,
    incidentId: f.incidentId,
    occurredAt: i.occurredAt,
    boroughCode: f.boroughCode,
    victimEntityIds: withRole(f, i.partyEntityIds, 'VICTIM', self),
    offences: parts.map((p) => p.key),
    baseHarm,
    decay,
    harm: baseHarm * decay,
    why:
      `Incident ${f.incidentId}, ${DATE.format(i.occurredAt)} in ${where(f.boroughCode)}: ${offenceWords(parts, config)}` +
      (aggravations.length ? `; ${aggravations.join('; ')}` : '') +
      ` → ${n1(baseHarm)} days; ${ago(at - i.occurredAt)}, decay ${decay.toFixed(3)} → ${n1(baseHarm * decay)}`,
  };
}

/**
 * What one justice event adds to its subject's score at `at`: a breach of an order, or a conviction for offences the
 * harm table knows (not for an incident already counted), with any reason a part of it was not counted.
 */
function justiceContribution(
  facts: JusticeFacts,
  partyEntityIds: readonly (string | undefined)[],
  self: string,
  at: number,
  config: HarmConfig,
  known: { incidentIds: ReadonlySet<string>; incidentBorough: ReadonlyMap<string, string | null> },
): { contribution?: HarmContribution; skipped: HarmScore['skipped'] } {
  const skipped: HarmScore['skipped'] = [];
  let kind: ContributionKind;
  let keys: string[];
  let what: string;
  if (facts.what === 'PROTECTIVE_ORDER' && facts.action === 'BREACHED') {
    kind = 'ORDER_BREACH';
    keys = [config.breachOffence];
    what = `Breach of ${facts.orderType} ${facts.orderId}`;
  } else if (facts.what === 'CHARGE_OUTCOME' && config.convictionOutcomes.includes(facts.outcome)) {
    if (facts.incidentId && known.incidentIds.has(facts.incidentId)) {
      return { skipped: [{ eventId: facts.eventId, reason: `${facts.outcome.toLowerCase()} for incident ${facts.incidentId}, whose harm is already counted` }] };
    }
    keys = facts.offences.flatMap((o) => offenceKeyOf(o, config) ?? []);
    const unknown = facts.offences.filter((o) => !offenceKeyOf(o, config));
    if (!keys.length) {
      return { skipped: [{ eventId: facts.eventId, reason: `${facts.outcome.toLowerCase()} for offences the harm table does not know (${unknown.join(', ') || 'none named'})` }] };
    }
    if (unknown.length) skipped.push({ eventId: facts.eventId, reason: `offences the harm table does not know: ${unknown.join(', ')}` });
    kind = 'CONVICTION';
    what = `${facts.outcome.charAt(0)}${facts.outcome.slice(1).toLowerCase()}`;
  } else {
    return { skipped };
  }
  const { harm: baseHarm, parts } = combineOffences(keys, config);
  const decay = decayFactor(at - facts.occurredAt, config.halfLifeDays);
  const boroughCode = facts.boroughCode ?? (facts.incidentId ? (known.incidentBorough.get(facts.incidentId) ?? null) : null);
  const contribution: HarmContribution = {
    kind,
    eventId: facts.eventId,
    incidentId: facts.incidentId,
    occurredAt: facts.occurredAt,
    boroughCode,
    victimEntityIds: justiceParties(facts, partyEntityIds, 'RELATED').filter((v) => v !== self),
    offences: parts.map((p) => p.key),
    baseHarm,
    decay,
    harm: baseHarm * decay,
    why:
      `${what}, ${DATE.format(facts.occurredAt)} in ${where(boroughCode)}: ${offenceWords(parts, config)} → ${n1(baseHarm)} days; ` +
      `${ago(at - facts.occurredAt)}, decay ${decay.toFixed(3)} → ${n1(baseHarm * decay)}`,
  };
  return { contribution, skipped };
}

export function harmScore(perpetratorEntityId: string, history: EntityHistory, at: number, config: HarmConfig = DEFAULT_HARM_CONFIG): HarmScore {
  if (!Number.isFinite(at)) throw new RangeError(`harmScore: at must be a time in ms, not ${at}`);
  // After a merge the history stands for the surviving entity; parties carry entity ids as they are now.
  const self = history.entityId || perpetratorEntityId;
  const window = config.windowDays * DAY_MS;
  const inWindow = (t: number) => t <= at && at - t <= window;
  const changes: number[] = [];
  const skipped: HarmScore['skipped'] = [];

  const { incidents, futureAt } = knownIncidents(history, at);
  if (futureAt !== null) changes.push(futureAt);
  const knownIncidentIds = new Set(incidents.map((i) => i.facts.incidentId));
  const incidentBorough = new Map(incidents.map((i) => [i.facts.incidentId, i.facts.boroughCode]));

  // Incidents where this entity is a suspect (and, by default, domestic abuse): the pool for every count.
  const asSuspect = incidents.filter((i) => rolesOf(i.facts, i.partyEntityIds, self).has('SUSPECT'));
  const counted = asSuspect.filter((i) => {
    if (!config.domesticAbuseOnly || i.facts.domesticAbuse) return true;
    if (inWindow(i.occurredAt)) skipped.push({ eventId: i.facts.eventId, reason: `incident ${i.facts.incidentId} is not flagged as domestic abuse` });
    return false;
  });

  const contributions: HarmContribution[] = [];
  for (const i of counted) {
    if (!inWindow(i.occurredAt)) continue;
    changes.push(i.occurredAt + window + 1);
    contributions.push(incidentContribution(i, self, at, config));
  }

  const justiceSeen = new Set<string>();
  for (const { facts, partyEntityIds } of history.events) {
    if (facts.kind !== 'justice' || justiceSeen.has(facts.eventId)) continue;
    justiceSeen.add(facts.eventId);
    if (facts.occurredAt > at) {
      changes.push(facts.occurredAt);
      continue;
    }
    if (!inWindow(facts.occurredAt) || !justiceParties(facts, partyEntityIds, 'SUBJECT').includes(self)) continue;
    const counts = justiceContribution(facts, partyEntityIds, self, at, config, { incidentIds: knownIncidentIds, incidentBorough });
    skipped.push(...counts.skipped);
    if (!counts.contribution) continue;
    changes.push(facts.occurredAt + window + 1);
    contributions.push(counts.contribution);
  }

  // Newest first; one order for every sum, so the same records always give the same bits.
  contributions.sort((a, b) => b.occurredAt - a.occurredAt || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));

  const victimEntityIds = [...new Set(contributions.flatMap((c) => c.victimEntityIds))].sort();
  const multiplier = victimMultiplier(victimEntityIds.length, config);
  let sumAtEpoch = 0;
  const boroughSums = new Map<string, { atEpoch: number; lastIncidentAt: number | null; incidents: number }>();
  for (const c of contributions) {
    const grown = atEpoch(c.baseHarm, c.occurredAt, config.halfLifeDays);
    sumAtEpoch += grown;
    if (c.boroughCode === null) continue;
    const b = boroughSums.get(c.boroughCode) ?? { atEpoch: 0, lastIncidentAt: null, incidents: 0 };
    b.atEpoch += grown;
    if (c.kind === 'INCIDENT') {
      b.incidents += 1;
      b.lastIncidentAt = Math.max(b.lastIncidentAt ?? -Infinity, c.occurredAt);
    }
    boroughSums.set(c.boroughCode, b);
  }
  const scoreAtEpoch = sumAtEpoch * multiplier;
  const boroughs: Record<string, BoroughHarm> = {};
  const perBorough: Record<string, number> = {};
  for (const code of [...boroughSums.keys()].sort()) {
    const b = boroughSums.get(code)!;
    const key = b.atEpoch * multiplier;
    boroughs[code] = { score: scoreAt(key, at, config.halfLifeDays), scoreAtEpoch: key, lastIncidentAt: b.lastIncidentAt, incidents: b.incidents };
    perBorough[code] = boroughs[code].score;
  }

  // MATAC serial: incidents against a victim within the look-back, and the distinct victims across them.
  const lookback = config.serial.lookbackDays * DAY_MS;
  const serialPool = counted.filter((i) => at - i.occurredAt <= lookback && withRole(i.facts, i.partyEntityIds, 'VICTIM', self).length > 0);
  serialPool.forEach((i) => changes.push(i.occurredAt + lookback + 1));
  const serialVictims = [...new Set(serialPool.flatMap((i) => withRole(i.facts, i.partyEntityIds, 'VICTIM', self)))].sort();

  const recent = counted.filter((i) => at - i.occurredAt <= config.recentDays * DAY_MS);
  recent.forEach((i) => changes.push(i.occurredAt + config.recentDays * DAY_MS + 1));

  const windowed = counted.filter((i) => inWindow(i.occurredAt));
  return {
    entityId: self,
    at,
    score: scoreAt(scoreAtEpoch, at, config.halfLifeDays),
    scoreAtEpoch,
    harmBeforeVictims: contributions.reduce((sum, c) => sum + c.harm, 0),
    victimMultiplier: multiplier,
    contributions,
    distinctVictims: victimEntityIds.length,
    victimEntityIds,
    serial: serialPool.length >= config.serial.minIncidents && serialVictims.length >= config.serial.minVictims,
    serialEvidence: { incidents: serialPool.length, victimEntityIds: serialVictims, lookbackDays: config.serial.lookbackDays },
    lastIncidentAt: counted.reduce<number | null>((last, i) => (last === null || i.occurredAt > last ? i.occurredAt : last), null),
    incidents12m: recent.length,
    perBorough,
    boroughs,
    weapons: [...new Set(windowed.flatMap((i) => i.facts.weapons))].sort(),
    childrenPresent: windowed.some((i) => i.facts.childrenPresent),
    counterAllegations: counterAllegations(self, incidents, config),
    skipped,
    nextChangeAt: changes.reduce<number | null>((next, t) => (t > at && (next === null || t < next) ? t : next), null),
  };
}

/** Other people this entity was both suspect against and victim of, over all known incidents. */
function counterAllegations(self: string, incidents: readonly KnownIncident[], config: HarmConfig): CounterAllegation[] {
  const pairs = new Map<string, { asSuspect: number; asVictim: number; first: { at: number; role: 'SUSPECT' | 'VICTIM' } }>();
  const note = (other: string, role: 'SUSPECT' | 'VICTIM', at: number) => {
    const p = pairs.get(other) ?? { asSuspect: 0, asVictim: 0, first: { at, role } };
    if (role === 'SUSPECT') p.asSuspect += 1;
    else p.asVictim += 1;
    if (at < p.first.at) p.first = { at, role };
    pairs.set(other, p);
  };
  for (const i of incidents) {
    if (config.domesticAbuseOnly && !i.facts.domesticAbuse) continue;
    const roles = rolesOf(i.facts, i.partyEntityIds, self);
    if (roles.has('SUSPECT')) withRole(i.facts, i.partyEntityIds, 'VICTIM', self).forEach((v) => note(v, 'SUSPECT', i.occurredAt));
    if (roles.has('VICTIM')) withRole(i.facts, i.partyEntityIds, 'SUSPECT', self).forEach((s) => note(s, 'VICTIM', i.occurredAt));
  }
  return [...pairs]
    .filter(([, p]) => p.asSuspect > 0 && p.asVictim > 0)
    .map(([otherEntityId, p]) => ({ otherEntityId, asSuspect: p.asSuspect, asVictim: p.asVictim, firstRole: p.first.role }))
    .sort((a, b) => (a.otherEntityId < b.otherEntityId ? -1 : 1));
}
