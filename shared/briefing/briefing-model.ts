// The LPT briefing's content for one borough at one moment, from the scorer's
// board and the identity graph: the top five with each score broken down,
// their orders and bail, and what changed since the borough's last briefing.
// briefing-format.ts turns it into Markdown or HTML.
//
// The board says who the candidates are (the borough's first places, and a
// few more); each is scored afresh from the graph at `at`, so a record that
// left the window since the scorer last looked is already out, and the five
// are ranked from those fresh scores (rankBorough, as everywhere).
import type { HarmConfig } from '../harm/harm-config.ts';
import { harmScore, scoreAt, type HarmScore } from '../harm/harm-score.ts';
import { diffTopFive, rankBorough, type ContributionRef, type RankedPerpetrator, type RankInput } from '../harm/rank.ts';
import { ordersAndBailAt } from '../graph/orders-and-bail.ts';
import type { IncidentGraph } from '../graph/incident-graph.ts';
import type { ScoreBoard } from '../boards/score-board.ts';
import { standingOf } from '../boards/top-five-message.ts';
import { briefingPerpetrator, type BriefingModel } from './briefing-format.ts';
import type { BriefingStore } from '../boards/briefing-store.ts';

/**
 * What is kept of a briefing, so the next one can say what changed: each of the five as the LPT read them, and
 * the standing of the others just below, so someone who enters next time is told by the records they gained.
 */
export type KeptBriefing = {
  at: number;
  entries: (RankedPerpetrator & { contributions: ContributionRef[] })[];
  /** Everyone read as a candidate, the five included. */
  standings?: (RankInput & { contributions: ContributionRef[] })[];
};

/** Candidates read beyond the five: enough that someone whose record just left the window is replaced by the next. */
const EXTRA_CANDIDATES = 10;

/** Each id's history and score afresh at `at`, keyed by the id asked (a merged-away id answers as its survivor). */
async function freshScores(graph: Pick<IncidentGraph, 'histories'>, ids: readonly string[], at: number, harm: HarmConfig) {
  const histories = ids.length ? await graph.histories(ids) : [];
  const scores = new Map<string, HarmScore>();
  const historyOf = new Map(histories.map((h) => [h.entityId, h]));
  histories.forEach((h, i) => scores.set(ids[i]!, harmScore(h.entityId, h, at, harm)));
  return { scores, historyOf };
}

/** A borough's first n from its candidates' fresh scores. A merged-away id answers as its survivor: each person is ranked once, under the id they have now. */
function rankCandidates(candidates: readonly string[], scores: ReadonlyMap<string, HarmScore>, boroughCode: string, n: number) {
  const fresh = new Map<string, HarmScore>();
  for (const id of candidates) {
    const s = scores.get(id);
    if (s) fresh.set(s.entityId, s);
  }
  const standings = [...fresh.values()].flatMap((s) => standingOf(s, boroughCode) ?? []);
  return { fresh, standings, ranked: rankBorough(standings, n) };
}

/**
 * Every borough's first n at `at`, for the leads' page of every borough at once: rank, person and score, ranked as
 * briefingModel ranks its five (the same candidates off the board) without what only a briefing shows (each score
 * broken down, orders and bail, change since the last briefing). A candidate's standing on the board, decayed to
 * `at`, is their fresh score until time alone changes it (a record leaving the window or a look-back: the board's
 * due set, which the scorer drains every tick); so only candidates due by `at` are read from the graph and scored
 * afresh. Scoring every candidate afresh (32 boroughs of 15, each history read and scored) took about 1 s with
 * 100,000 incidents on the graph (npm run bench:web); the boards alone take some 30 ms.
 */
export async function boroughRankings({
  graph,
  board,
  harm,
  boroughCodes,
  at,
  n = 5,
}: {
  graph: Pick<IncidentGraph, 'histories'>;
  board: Pick<ScoreBoard, 'read' | 'due'>;
  harm: HarmConfig;
  boroughCodes: readonly string[];
  at: number;
  n?: number;
}): Promise<{ boroughCode: string; ranked: RankedPerpetrator[] }[]> {
  const [reads, due] = await Promise.all([Promise.all(boroughCodes.map((code) => board.read(code, n + EXTRA_CANDIDATES))), board.due(at, 10_000)]);
  const candidates = new Set(reads.flatMap((read) => read.entries.map((e) => e.entityId)));
  const stale = due.filter((id) => candidates.has(id));
  const { scores } = await freshScores(graph, stale, at, harm);
  return reads.map((read, i) => {
    const boroughCode = boroughCodes[i]!;
    const { standings: afresh } = rankCandidates(read.entries.map((e) => e.entityId).filter((id) => scores.has(id)), scores, boroughCode, n);
    const scoredAfresh = new Set(afresh.map((s) => s.entityId));
    const onBoard: RankInput[] = read.entries
      .filter((e) => !scores.has(e.entityId) && !scoredAfresh.has(e.entityId))
      .map((e) => ({ entityId: e.entityId, score: scoreAt(e.scoreAtEpoch, at, harm.halfLifeDays), lastIncidentAt: e.lastIncidentAt, incidents: e.incidents, contributions: [] }));
    return { boroughCode, ranked: rankBorough([...onBoard, ...afresh], n) };
  });
}

export async function briefingModel({
  graph,
  board,
  briefings,
  harm,
  boroughCode,
  at,
  n = 5,
}: {
  graph: Pick<IncidentGraph, 'histories'>;
  board: Pick<ScoreBoard, 'read' | 'trajectory'>;
  briefings: Pick<BriefingStore, 'lastBriefing'>;
  harm: HarmConfig;
  boroughCode: string;
  at: number;
  n?: number;
}): Promise<{ model: BriefingModel; kept: KeptBriefing }> {
  const read = await board.read(boroughCode, n + EXTRA_CANDIDATES);
  const previous = (await briefings.lastBriefing<KeptBriefing>(boroughCode)) ?? null;
  const ids = [...new Set([...read.entries.map((e) => e.entityId), ...(previous?.entries.map((e) => e.entityId) ?? [])])];
  const { scores, historyOf } = await freshScores(graph, ids, at, harm);
  const { fresh, standings, ranked } = rankCandidates(read.entries.map((e) => e.entityId), scores, boroughCode, n);
  const topFive = ranked.map((r) => briefingPerpetrator(r.rank, boroughCode, fresh.get(r.entityId)!, ordersAndBailAt(historyOf.get(r.entityId)!, at)));

  const current = (id: string): RankInput | undefined => {
    const s = scores.get(id);
    if (!s || s.entityId !== id) return undefined;
    return standingOf(s, boroughCode) ?? { entityId: id, score: 0, lastIncidentAt: null, incidents: 0, contributions: [] };
  };
  // An entrant's standing at the last briefing: as kept then if they were a candidate; nothing at all if the scorer
  // had never scored them by then (every record of theirs is new); otherwise unknown, and records since then are new.
  const before = new Map((previous?.standings ?? previous?.entries ?? []).map((e) => [e.entityId, e]));
  const entrants = previous ? ranked.filter((r) => !before.has(r.entityId) && !previous.entries.some((e) => e.entityId === r.entityId)) : [];
  for (const r of entrants) {
    const points = await board.trajectory(r.entityId);
    if (!points.some((p) => p.at <= previous!.at)) before.set(r.entityId, { entityId: r.entityId, score: 0, lastIncidentAt: null, incidents: 0, contributions: [] });
  }
  const change = previous ? diffTopFive(previous.entries, ranked, { current, previous: (id) => before.get(id), since: previous.at }) : null;
  // Someone briefed under an id merged away since is the same person under the survivor's id.
  for (const left of change?.left ?? []) {
    const survivor = scores.get(left.entityId)?.entityId;
    if (survivor && survivor !== left.entityId) left.reason = `merged into ${survivor}: the same person, under that id now`;
  }

  const refs = (list: readonly ContributionRef[] | undefined) => (list ?? []).map((c) => ({ kind: c.kind, eventId: c.eventId, incidentId: c.incidentId, occurredAt: c.occurredAt, boroughCode: c.boroughCode, harm: c.harm }));
  const kept: KeptBriefing = {
    at,
    entries: ranked.map((r) => ({ ...r, contributions: refs(r.contributions) })),
    standings: standings.map((s) => ({ ...s, contributions: refs(s.contributions) })),
  };
  return {
    model: { boroughCode, generatedAt: at, previousBriefingAt: previous?.at ?? null, halfLifeDays: harm.halfLifeDays, windowDays: harm.windowDays, topFive, change },
    kept,
  };
}
