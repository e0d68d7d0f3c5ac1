// Ranking perpetrators in a borough, what changed between two rankings and
// why, and the incremental board that keeps every borough's top five as
// scores arrive and time passes. Pure: no Redis, no Kafka; the scorer keeps
// the same structure in Redis (docs/HARM-SCORE.md, "Keeping it live").
//
// Order (docs/DOMAIN.md "Perpetrator ranking"): higher score first; on a tie the
// most recent incident, then more incidents, then the entity id, so the same
// scores always give the same ranking.
//
// Why the board can be incremental although every score decays: all records
// decay at one rate, so time alone never reorders two scores; a perpetrator's
// standing changes only when their score is recomputed (a new record) or a
// record leaves the window (HarmScore.nextChangeAt). The board keeps each
// (borough, perpetrator) as its time-invariant key (HarmScore.scoreAtEpoch)
// with the tie-break facts, hands back who is due for re-scoring, and turns
// keys into scores at the moment asked with the same function a from-scratch
// ranking uses, so the two agree exactly (rank.test.ts checks it over long
// random streams).
import { scoreAt, type HarmContribution, type HarmScore } from './harm-score.ts';

/** What the ranking needs of a perpetrator's standing in one borough. */
export type RankInput = {
  entityId: string;
  /** Harm score in the borough, at the ranking's moment. */
  score: number;
  /** Most recent incident in the borough in the window (tie-break 1). */
  lastIncidentAt: number | null;
  /** Incidents in the borough in the window (tie-break 2). */
  incidents: number;
  /** The records behind the score, when the caller has them: a change's reasons name them. */
  contributions?: readonly ContributionRef[];
};

/** A record as a change's reason names it. */
export type ContributionRef = Pick<HarmContribution, 'kind' | 'eventId' | 'incidentId' | 'occurredAt' | 'boroughCode' | 'harm'>;

export type RankedPerpetrator = RankInput & { rank: number };

/** Negative when a ranks above b. */
export function compareRank(a: RankInput, b: RankInput): number {
  if (a.score !== b.score) return b.score - a.score;
  const recentA = a.lastIncidentAt ?? -Infinity;
  const recentB = b.lastIncidentAt ?? -Infinity;
  if (recentA !== recentB) return recentB > recentA ? 1 : -1;
  if (a.incidents !== b.incidents) return b.incidents - a.incidents;
  return a.entityId < b.entityId ? -1 : a.entityId > b.entityId ? 1 : 0;
}

/** The top n of one borough from every perpetrator's standing there; nobody with no harm is ranked. */
export function rankBorough(scores: Iterable<RankInput>, n = 5): RankedPerpetrator[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`rankBorough: n must be a whole number from 1, not ${n}`);
  const ranked = [...scores].filter((s) => Number.isFinite(s.score) && s.score > 0).sort(compareRank);
  return ranked.slice(0, n).map((s, i) => ({ ...s, rank: i + 1 }));
}

/** Why one perpetrator's place changed: the records that moved the score. */
export type ChangeReason = {
  reason: string;
  /** Event ids of records counted now and not before. */
  added: string[];
  /** Event ids of records counted before and not now (left the window). */
  dropped: string[];
};

export type TopFiveDiff = {
  entered: ({ entityId: string; rank: number; score: number } & ChangeReason)[];
  /** score: now, 0 when no harm is left, null when not known (no `current`). */
  left: ({ entityId: string; previousRank: number; score: number | null } & ChangeReason)[];
  moved: ({ entityId: string; from: number; to: number; score: number } & ChangeReason)[];
  /** True when nobody entered, left or moved. */
  unchanged: boolean;
};

export type DiffOptions = {
  /** A perpetrator's standing now, for those who left (they are not in `after`). */
  current?: (entityId: string) => RankInput | undefined;
  /** A perpetrator's standing at the time of `before`, for those who entered (they are not in `before`). */
  previous?: (entityId: string) => RankInput | undefined;
  /** When `before` was taken: without `previous`, an entrant's records since then are the new ones. */
  since?: number;
};

const n1 = (x: number) => (Math.round(x * 10) / 10).toString();
const recordName = (c: ContributionRef) =>
  c.kind === 'INCIDENT' ? `incident ${c.incidentId ?? c.eventId}` : c.kind === 'ORDER_BREACH' ? `order breach ${c.eventId}` : `conviction ${c.eventId}`;

/** Why one standing became another: the records added and dropped, and the score before and after (also used by the scorer for a perpetrator who stays in place with a new score). */
export function changeReason(before: RankInput | undefined, now: RankInput | undefined, since: number | undefined): ChangeReason {
  const was = new Map((before?.contributions ?? []).map((c) => [c.eventId, c]));
  const is = new Map((now?.contributions ?? []).map((c) => [c.eventId, c]));
  let added: ContributionRef[];
  if (before?.contributions) added = [...is.values()].filter((c) => !was.has(c.eventId));
  else if (since !== undefined) added = [...is.values()].filter((c) => c.occurredAt > since);
  else added = [];
  const dropped = now?.contributions && before?.contributions ? [...was.values()].filter((c) => !is.has(c.eventId)) : [];
  const words: string[] = [];
  if (added.length) words.push(`new: ${added.map((c) => `${recordName(c)} (+${n1(c.harm)})`).join(', ')}`);
  if (dropped.length) words.push(`out of the window: ${dropped.map(recordName).join(', ')}`);
  if (!now || now.score <= 0) words.push('no harm left in the window');
  else if (before) words.push(`score ${n1(before.score)} → ${n1(now.score)}`);
  else words.push(`score ${n1(now.score)}`);
  return { reason: words.join('; '), added: added.map((c) => c.eventId), dropped: dropped.map((c) => c.eventId) };
}

/** Who entered, left and moved between two rankings of one borough, each with the records that moved them. */
export function diffTopFive(before: readonly RankedPerpetrator[], after: readonly RankedPerpetrator[], options: DiffOptions = {}): TopFiveDiff {
  const was = new Map(before.map((r) => [r.entityId, r]));
  const is = new Map(after.map((r) => [r.entityId, r]));
  const entered = after
    .filter((r) => !was.has(r.entityId))
    .map((r) => ({ entityId: r.entityId, rank: r.rank, score: r.score, ...changeReason(options.previous?.(r.entityId), r, options.since) }));
  const left = before
    .filter((r) => !is.has(r.entityId))
    .map((r) => {
      const overtaken = entered.length ? `overtaken by ${entered.map((e) => e.entityId).join(', ')}` : 'overtaken';
      if (!options.current) return { entityId: r.entityId, previousRank: r.rank, score: null, reason: overtaken, added: [], dropped: [] };
      const now = options.current(r.entityId);
      const why = changeReason(r, now, undefined);
      // Still scoring but below the top: say who pushed them out.
      if (now && now.score > 0) why.reason += `; ${overtaken}`;
      return { entityId: r.entityId, previousRank: r.rank, score: now?.score ?? 0, ...why };
    });
  const moved = after
    .filter((r) => was.has(r.entityId) && was.get(r.entityId)!.rank !== r.rank)
    .map((r) => {
      const why = changeReason(was.get(r.entityId), r, undefined);
      if (!why.added.length && !why.dropped.length) why.reason += '; no new records: others moved';
      return { entityId: r.entityId, from: was.get(r.entityId)!.rank, to: r.rank, score: r.score, ...why };
    });
  return { entered, left, moved, unchanged: !entered.length && !left.length && !moved.length };
}

/** One perpetrator's standing in one borough as the board keeps it. */
type BoardEntry = { entityId: string; scoreAtEpoch: number; lastIncidentAt: number | null; incidents: number };

export type TopFiveBoard = {
  readonly n: number;
  /**
   * Puts a perpetrator's newly computed score on the board: their standing in every borough it names,
   * and off the boards of boroughs it no longer names. Returns the boroughs whose entries changed.
   */
  apply(score: Pick<HarmScore, 'entityId' | 'boroughs' | 'nextChangeAt'>): string[];
  /** Takes a perpetrator off every board (e.g. after a merge folded them into another). Returns the boroughs changed. */
  remove(entityId: string): string[];
  /** Perpetrators whose standing changes with time alone by `at` (a record leaves the window): re-score each and apply. */
  due(at: number): string[];
  /** A borough's top n at `at`, scores decayed to `at`. */
  top(boroughCode: string, at: number): RankedPerpetrator[];
  /** Boroughs with anyone on the board. */
  boroughCodes(): string[];
  /** Perpetrators on a borough's board. */
  size(boroughCode: string): number;
};

/**
 * Two keys this close (relative) may round to the same score at some moment and then tie-break differently:
 * the board looks this far below the n-th key, so it never misses a tie a from-scratch ranking would see.
 */
const TIE_MARGIN = 1e-9;

/** Board order: key descending, then entity id. The ranking's tie-breaks are applied to the candidates in `top`. */
const boardOrder = (a: BoardEntry, b: BoardEntry) => (a.scoreAtEpoch !== b.scoreAtEpoch ? b.scoreAtEpoch - a.scoreAtEpoch : a.entityId < b.entityId ? -1 : a.entityId > b.entityId ? 1 : 0);

export function createTopFiveBoard({ n = 5, halfLifeDays }: { n?: number; halfLifeDays: number }): TopFiveBoard {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`createTopFiveBoard: n must be a whole number from 1, not ${n}`);
  if (!(halfLifeDays > 0)) throw new RangeError(`createTopFiveBoard: halfLifeDays must be positive, not ${halfLifeDays}`);
  /** Per borough, entries in board order (a Redis sorted set, in the scorer). */
  const boards = new Map<string, BoardEntry[]>();
  /** Per perpetrator, their entry in each borough. */
  const standings = new Map<string, Map<string, BoardEntry>>();
  /** Per perpetrator, when their standing next changes with time alone (a Redis sorted set by time, in the scorer). */
  const nextChange = new Map<string, number>();

  const position = (list: BoardEntry[], entry: BoardEntry): number => {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (boardOrder(list[mid]!, entry) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const insert = (code: string, entry: BoardEntry) => {
    const list = boards.get(code) ?? [];
    list.splice(position(list, entry), 0, entry);
    boards.set(code, list);
  };
  const drop = (code: string, entry: BoardEntry) => {
    const list = boards.get(code);
    if (!list) return;
    const i = position(list, entry);
    if (list[i] === entry) list.splice(i, 1);
    if (!list.length) boards.delete(code);
  };

  function remove(entityId: string): string[] {
    const mine = standings.get(entityId);
    standings.delete(entityId);
    nextChange.delete(entityId);
    if (!mine) return [];
    for (const [code, entry] of mine) drop(code, entry);
    return [...mine.keys()].sort();
  }

  return {
    n,
    apply(score) {
      const before = standings.get(score.entityId) ?? new Map<string, BoardEntry>();
      const after = new Map<string, BoardEntry>();
      const changed = new Set<string>();
      for (const [code, b] of Object.entries(score.boroughs)) {
        if (!(b.scoreAtEpoch > 0)) continue;
        const old = before.get(code);
        if (old && old.scoreAtEpoch === b.scoreAtEpoch && old.lastIncidentAt === b.lastIncidentAt && old.incidents === b.incidents) {
          after.set(code, old);
          continue;
        }
        if (old) drop(code, old);
        const entry = { entityId: score.entityId, scoreAtEpoch: b.scoreAtEpoch, lastIncidentAt: b.lastIncidentAt, incidents: b.incidents };
        insert(code, entry);
        after.set(code, entry);
        changed.add(code);
      }
      for (const [code, old] of before) {
        if (after.has(code)) continue;
        drop(code, old);
        changed.add(code);
      }
      if (after.size) standings.set(score.entityId, after);
      else standings.delete(score.entityId);
      if (after.size && score.nextChangeAt !== null) nextChange.set(score.entityId, score.nextChangeAt);
      else nextChange.delete(score.entityId);
      return [...changed].sort();
    },
    remove,
    due(at) {
      return [...nextChange].filter(([, t]) => t <= at).map(([id]) => id).sort();
    },
    top(boroughCode, at) {
      const list = boards.get(boroughCode) ?? [];
      if (!list.length) return [];
      const nth = list[Math.min(n, list.length) - 1]!.scoreAtEpoch;
      const candidates: RankInput[] = [];
      for (const e of list) {
        if (candidates.length >= n && e.scoreAtEpoch < nth * (1 - TIE_MARGIN)) break;
        candidates.push({ entityId: e.entityId, score: scoreAt(e.scoreAtEpoch, at, halfLifeDays), lastIncidentAt: e.lastIncidentAt, incidents: e.incidents });
      }
      return rankBorough(candidates, n);
    },
    boroughCodes: () => [...boards.keys()].sort(),
    size: (boroughCode) => boards.get(boroughCode)?.length ?? 0,
  };
}
