// A borough's new top five as TopFiveChanged (schemas/top-five-changed.avsc,
// topic dauntless.topfive.v1, key ONS borough code): the ranking with each
// perpetrator's score broken down, and every change since the last message
// with the records that moved it. Pure: the scorer reads the board and the
// graph, this says what changed and why.
//
// "Changed" means another order, someone in or out, or someone in the five
// with a new ranking key (a new record, or one that left the window). Scores
// decaying with time alone change no order (docs/HARM-SCORE.md), so they are
// no news: a reader decays a ranking itself with halfLifeDays.
import { decayFactor, scoreAt, type HarmScore } from '../harm/harm-score.ts';
import { changeReason, diffTopFive, type RankedPerpetrator, type RankInput } from '../harm/rank.ts';
import type { KeptContribution, PublishedEntry, PublishedRanking, ScoreSummary } from './score-board.ts';

export type ScoreContributionMessage = {
  recordId: string;
  kind: string;
  occurredAt: number;
  harmWeight: number;
  decay: number;
  points: number;
  incidentId: string | null;
  why: string;
};

export type RankedPerpetratorMessage = {
  rank: number;
  entityId: string;
  harmScore: number;
  distinctVictims: number;
  incidentsInWindow: number;
  lastIncidentAt: number | null;
  serial: boolean;
  contributions: ScoreContributionMessage[];
  scoreAtEpoch: number;
  victimEntityIds: string[];
};

export type RankChangeKind = 'ENTERED' | 'LEFT' | 'MOVED' | 'RESCORED';

export type RankChangeMessage = {
  entityId: string;
  change: RankChangeKind;
  rank: number | null;
  previousRank: number | null;
  reason: string;
  addedRecordIds: string[];
  droppedRecordIds: string[];
};

/** The decoded value of schemas/top-five-changed.avsc (timestamps in ms since the epoch). */
export type TopFiveChanged = {
  boroughCode: string;
  generatedAt: number;
  causeEventId: string | null;
  ranking: RankedPerpetratorMessage[];
  entered: string[];
  left: { entityId: string; reason: string }[];
  changes: RankChangeMessage[];
  boardVersion: number;
  halfLifeDays: number;
};

/** A score's records as kept between scorings: harm before decay, so they decay to any moment. */
export function keptContributions(score: HarmScore): KeptContribution[] {
  return score.contributions.map((c) => ({ kind: c.kind, eventId: c.eventId, incidentId: c.incidentId, occurredAt: c.occurredAt, boroughCode: c.boroughCode, baseHarm: c.baseHarm }));
}

/** What the scorer keeps of a scoring. */
export function scoreSummary(score: HarmScore): ScoreSummary {
  return {
    entityId: score.entityId,
    at: score.at,
    scoreAtEpoch: score.scoreAtEpoch,
    boroughKeys: Object.fromEntries(Object.entries(score.boroughs).map(([code, b]) => [code, b.scoreAtEpoch])),
    distinctVictims: score.distinctVictims,
    contributions: keptContributions(score),
  };
}

const decayed = (kept: readonly KeptContribution[], at: number, halfLifeDays: number) =>
  kept.map(({ baseHarm, ...c }) => ({ ...c, harm: baseHarm * decayFactor(at - c.occurredAt, halfLifeDays) }));

/** A perpetrator's standing in a borough from a fresh score; undefined when they score nothing there. */
export function standingOf(score: HarmScore, boroughCode: string): RankInput | undefined {
  const b = score.boroughs[boroughCode];
  if (!b) return undefined;
  return { entityId: score.entityId, score: b.score, lastIncidentAt: b.lastIncidentAt, incidents: b.incidents, contributions: score.contributions.filter((c) => c.boroughCode === boroughCode) };
}

/** A perpetrator's standing in a borough from their last scoring, decayed to `at`. */
export function standingFromSummary(summary: ScoreSummary, boroughCode: string, at: number, halfLifeDays: number): RankInput | undefined {
  const key = summary.boroughKeys[boroughCode];
  if (key === undefined) return undefined;
  const contributions = decayed(summary.contributions.filter((c) => c.boroughCode === boroughCode), at, halfLifeDays);
  const incidents = contributions.filter((c) => c.kind === 'INCIDENT');
  return {
    entityId: summary.entityId,
    score: scoreAt(key, at, halfLifeDays),
    lastIncidentAt: incidents.reduce<number | null>((last, c) => (last === null || c.occurredAt > last ? c.occurredAt : last), null),
    incidents: incidents.length,
    contributions,
  };
}

/** Two rankings say the same when the same people stand in the same places on the same keys. */
export function sameRanking(a: readonly Pick<PublishedEntry, 'entityId' | 'scoreAtEpoch'>[], b: readonly Pick<PublishedEntry, 'entityId' | 'scoreAtEpoch'>[]): boolean {
  return a.length === b.length && a.every((e, i) => e.entityId === b[i]!.entityId && e.scoreAtEpoch === b[i]!.scoreAtEpoch);
}

export type TopFiveInput = {
  boroughCode: string;
  at: number;
  cause: string | null;
  /** The board's version the ranking was read at. */
  version: number;
  /** What was published last (null: nothing yet). */
  before: PublishedRanking | null;
  /** The ranking now (rankBorough over the board), with each one's ranking key. */
  after: readonly (RankedPerpetrator & { scoreAtEpoch: number })[];
  /** A fresh score for everyone in `before` and `after`, by the id asked (a merged-away id maps to its survivor's score). */
  scores: ReadonlyMap<string, HarmScore>;
  /** Each perpetrator's last scoring before this step, for those scored in it; null for one scored now for the first time. */
  previous: ReadonlyMap<string, ScoreSummary | null>;
  halfLifeDays: number;
};

/** The ranking to keep as published, the message, and whether anything changed since `before`. */
export function topFiveChanged(input: TopFiveInput): { changed: boolean; ranking: PublishedRanking; message: TopFiveChanged } {
  const { boroughCode: b, at, halfLifeDays, scores } = input;
  const entries: PublishedEntry[] = input.after.map((r) => {
    const score = scores.get(r.entityId);
    return {
      entityId: r.entityId,
      rank: r.rank,
      scoreAtEpoch: r.scoreAtEpoch,
      lastIncidentAt: r.lastIncidentAt,
      incidents: r.incidents,
      contributions: score ? keptContributions(score).filter((c) => c.boroughCode === b) : [],
    };
  });
  const ranking: PublishedRanking = { at, version: input.version, entries };
  const beforeEntries = input.before?.entries ?? [];
  const changed = !sameRanking(beforeEntries, entries);

  // Both rankings at this moment, so "score a → b" shows what the records did, not the decay since.
  const was: RankedPerpetrator[] = beforeEntries.map((e) => ({
    entityId: e.entityId,
    rank: e.rank,
    score: scoreAt(e.scoreAtEpoch, at, halfLifeDays),
    lastIncidentAt: e.lastIncidentAt,
    incidents: e.incidents,
    contributions: decayed(e.contributions, at, halfLifeDays),
  }));
  const is: RankedPerpetrator[] = input.after.map((r) => {
    const score = scores.get(r.entityId);
    return { ...r, contributions: score?.contributions.filter((c) => c.boroughCode === b) ?? [] };
  });
  const mergedInto = (id: string) => {
    const s = scores.get(id);
    return s && s.entityId !== id ? s.entityId : undefined;
  };
  // Someone scored who no longer scores here stands at zero with no records, so their reason names the records that left.
  const current = (id: string): RankInput | undefined => {
    const s = scores.get(id);
    if (!s || mergedInto(id)) return undefined;
    return standingOf(s, b) ?? { entityId: id, score: 0, lastIncidentAt: null, incidents: 0, contributions: [] };
  };
  const diff = diffTopFive(was, is, {
    current,
    previous: (id) => {
      const p = input.previous.get(id);
      // Never scored before: everything they have is new.
      if (p === null) return { entityId: id, score: 0, lastIncidentAt: null, incidents: 0, contributions: [] };
      return p ? (standingFromSummary(p, b, at, halfLifeDays) ?? { entityId: id, score: 0, lastIncidentAt: null, incidents: 0, contributions: [] }) : current(id);
    },
    since: input.before?.at,
  });
  const wasById = new Map(was.map((w) => [w.entityId, w]));
  const moved = new Set(diff.moved.map((m) => m.entityId));
  const rescored = is
    .filter((r) => wasById.has(r.entityId) && !moved.has(r.entityId) && beforeEntries.find((e) => e.entityId === r.entityId)!.scoreAtEpoch !== input.after.find((a) => a.entityId === r.entityId)!.scoreAtEpoch)
    .map((r) => ({ entityId: r.entityId, rank: r.rank, ...changeReason(wasById.get(r.entityId), r, undefined) }));

  const changes: RankChangeMessage[] = [
    ...diff.entered.map((e) => ({ entityId: e.entityId, change: 'ENTERED' as const, rank: e.rank, previousRank: null, reason: e.reason, addedRecordIds: e.added, droppedRecordIds: e.dropped })),
    ...diff.left.map((l) => {
      const survivor = mergedInto(l.entityId);
      return {
        entityId: l.entityId,
        change: 'LEFT' as const,
        rank: null,
        previousRank: l.previousRank,
        // A merged-away id is the same person under the survivor's id now.
        reason: survivor ? `merged into ${survivor}: the same person, ranked under that id` : l.reason,
        addedRecordIds: l.added,
        droppedRecordIds: l.dropped,
      };
    }),
    ...diff.moved.map((m) => ({ entityId: m.entityId, change: 'MOVED' as const, rank: m.to, previousRank: m.from, reason: m.reason, addedRecordIds: m.added, droppedRecordIds: m.dropped })),
    ...rescored.map((r) => ({ entityId: r.entityId, change: 'RESCORED' as const, rank: r.rank, previousRank: r.rank, reason: r.reason, addedRecordIds: r.added, droppedRecordIds: r.dropped })),
  ];

  const message: TopFiveChanged = {
    boroughCode: b,
    generatedAt: at,
    causeEventId: input.cause,
    ranking: input.after.map((r) => {
      const s = scores.get(r.entityId);
      const inBorough = s?.contributions.filter((c) => c.boroughCode === b) ?? [];
      return {
        rank: r.rank,
        entityId: r.entityId,
        harmScore: r.score,
        distinctVictims: s?.distinctVictims ?? 0,
        incidentsInWindow: r.incidents,
        lastIncidentAt: r.lastIncidentAt,
        serial: s?.serial ?? false,
        contributions: inBorough.map((c) => ({ recordId: c.eventId, kind: c.kind, occurredAt: c.occurredAt, harmWeight: c.baseHarm, decay: c.decay, points: c.harm, incidentId: c.incidentId, why: c.why })),
        scoreAtEpoch: r.scoreAtEpoch,
        victimEntityIds: s?.victimEntityIds ?? [],
      };
    }),
    entered: diff.entered.map((e) => e.entityId),
    left: changes.filter((c) => c.change === 'LEFT').map((c) => ({ entityId: c.entityId, reason: c.reason })),
    changes,
    boardVersion: input.version,
    halfLifeDays,
  };
  return { changed, ranking, message };
}
