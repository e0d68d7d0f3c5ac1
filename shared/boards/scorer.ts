// The scorer's work, apart from Kafka: for an event recorded on the graph,
// score the perpetrators it concerns from their histories, put them on the
// boards (Redis), and say what changed: a TopFiveChanged for every borough
// whose top five moved, and a BoroughAlert for each borough of the victims of
// a perpetrator released from custody. A timer asks it to score again whoever
// is due (a record leaving the window). Dependencies come in (graph, board),
// and time is a parameter, so tests drive it over simulated years.
//
// Exactly-once effect from at-least-once delivery:
//   - the board update is once per event id (lua/apply.lua keeps a record);
//   - each message is kept beside that record as it is decided, so a replay
//     (a crash before Kafka acknowledged it) sends the same message again and
//     never a second, different one;
//   - whatever changed a board and was never published (a crash in between)
//     is published by the next look at that borough (publishPending).
// In one process all of it runs one call at a time; several processes stay
// consistent through the board's versions (lua/publish.lua) and the graph
// basis (lua/apply.lua), and the message carries boardVersion.
import { harmScore, scoreAt, type HarmScore } from '../harm/harm-score.ts';
import type { HarmConfig } from '../harm/harm-config.ts';
import { changeReason, rankBorough } from '../harm/rank.ts';
import type { Logger } from '../logging/create-logger.ts';
import type { EntityHistory, IncidentGraph } from '../graph/incident-graph.ts';
import type { GraphEventRecorded } from '../contracts/graph-event.ts';
import { custodyReleaseAlerts, victimsOf, type BoroughAlert } from './custody-release-alerts.ts';
import { perpetratorsOfVictim, perpetratorsToRescore } from './rescoring.ts';
import type { BoardRead, ScoreBoard, ScoreSummary, StandingUpdate, TrajectoryPoint } from './score-board.ts';
import { scoreSummary, topFiveChanged, type TopFiveChanged } from './top-five-message.ts';

export type ScorerOutput =
  | { kind: 'topfive'; boroughCode: string; value: TopFiveChanged }
  | { kind: 'alert'; boroughCode: string; value: BoroughAlert };

export type Scorer = {
  /**
   * Scores what an event on the graph concerns, at `at` (ms). Idempotent by event id: a replay returns what the
   * first run sent. `where` (topic, partition, offset) goes on the log line.
   */
  scoreEvent(event: GraphEventRecorded, at: number, where?: { topic: string; partition: number; offset: string }): Promise<ScorerOutput[]>;
  /** Scores again whoever's standing changes with time alone by `at`. */
  rescoreDue(at: number): Promise<ScorerOutput[]>;
  /** Publishes every borough whose board changed since its last publication. */
  publishPending(at: number): Promise<ScorerOutput[]>;
  /**
   * Changes decided by time alone that Kafka has not acknowledged (board.sent marks them), oldest decision kept
   * per borough: sent again by the service's next tick, so a crash or an outage loses none.
   */
  unsent(): Promise<ScorerOutput[]>;
  /**
   * Scores these entities again from the graph and puts them on the boards, publishing nothing: the service's next
   * tick publishes the boroughs changed (publishPending). For a backfill of a graph recorded before the scorer ran,
   * or after a merge was undone. Returns the boroughs changed.
   */
  rescoreEntities(entityIds: readonly string[], at: number): Promise<string[]>;
  /** The borough's top n at `at`, from the board (for briefings and tests). */
  topFive(boroughCode: string, at: number): Promise<(ReturnType<typeof rankBorough>[number] & { scoreAtEpoch: number })[]>;
};

export type ScorerDeps = {
  graph: Pick<IncidentGraph, 'histories' | 'counts'>;
  board: ScoreBoard;
  harm: HarmConfig;
  logger: Logger;
  /** Places in a borough's ranking. Default 5. */
  n?: number;
};

/** Tries at publishing one borough when other writers keep moving it. */
const PUBLISH_ATTEMPTS = 20;
/** Perpetrators re-scored per round of rescoreDue, and rounds per call. */
const DUE_BATCH = 200;
const DUE_ROUNDS = 20;

/**
 * What the board keeps of a perpetrator scored now: where they stand in each borough (boroughs where they score), when
 * time alone next changes that, their summary, and a point of their score history when their ranking key moved (with
 * the records added and dropped, in words). Pure.
 */
export function standingUpdate(score: HarmScore, previous: ScoreSummary | undefined, cause: string | null, halfLifeDays: number): StandingUpdate {
  const summary = scoreSummary(score);
  const before = previous?.scoreAtEpoch ?? 0;
  let trajectory: TrajectoryPoint | null = null;
  if (score.scoreAtEpoch !== before) {
    // Never scored before: every record is new.
    const was = {
      entityId: score.entityId,
      score: previous ? scoreAt(previous.scoreAtEpoch, score.at, halfLifeDays) : 0,
      lastIncidentAt: null,
      incidents: 0,
      contributions: (previous?.contributions ?? []).map(({ baseHarm, ...c }) => ({ ...c, harm: baseHarm })),
    };
    const why = changeReason(was, { entityId: score.entityId, score: score.score, lastIncidentAt: null, incidents: 0, contributions: score.contributions }, undefined);
    trajectory = {
      at: score.at,
      cause,
      score: score.score,
      scoreAtEpoch: score.scoreAtEpoch,
      perBorough: score.perBorough,
      distinctVictims: score.distinctVictims,
      serial: score.serial,
      incidents12m: score.incidents12m,
      added: why.added,
      dropped: why.dropped,
      why: why.reason + (previous && previous.distinctVictims !== score.distinctVictims ? `; ${score.distinctVictims} distinct victims (×${score.victimMultiplier})` : ''),
    };
  }
  return {
    entityId: score.entityId,
    boroughs: Object.entries(score.boroughs)
      .filter(([, b]) => b.scoreAtEpoch > 0)
      .map(([code, b]) => ({ code, scoreAtEpoch: b.scoreAtEpoch, lastIncidentAt: b.lastIncidentAt, incidents: b.incidents })),
    nextChangeAt: score.nextChangeAt,
    summary,
    trajectory,
  };
}

/** A board read as a ranking at `at`: the first n by decayed score (ties by rankBorough), each with its ranking key. Pure. */
export function rankedFrom(read: Pick<BoardRead, 'entries'>, at: number, n: number, halfLifeDays: number) {
  const keyOf = new Map(read.entries.map((e) => [e.entityId, e.scoreAtEpoch]));
  return rankBorough(
    read.entries.map((e) => ({ entityId: e.entityId, score: scoreAt(e.scoreAtEpoch, at, halfLifeDays), lastIncidentAt: e.lastIncidentAt, incidents: e.incidents })),
    n,
  ).map((r) => ({ ...r, scoreAtEpoch: keyOf.get(r.entityId)! }));
}

/** Runs the work it is given one at a time, in order, whether or not the one before failed. */
export function oneAtATime(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}

export function createScorer({ graph, board, harm, logger, n = 5 }: ScorerDeps): Scorer {
  const log = logger.child({ stage: 'score' });
  const halfLifeDays = harm.halfLifeDays;
  // One call at a time in this process: the stage and the timer share the boards.
  const exclusive = oneAtATime();

  /** Histories of `ids` with each one's score at `at`, keyed by the id asked (a merged-away id answers with its survivor). */
  async function scoresOf(ids: readonly string[], at: number): Promise<{ histories: Map<string, EntityHistory>; scores: Map<string, HarmScore> }> {
    const histories = new Map<string, EntityHistory>();
    const scores = new Map<string, HarmScore>();
    const list = [...new Set(ids)];
    if (!list.length) return { histories, scores };
    const read = await graph.histories(list);
    read.forEach((h, i) => {
      histories.set(list[i]!, h);
      scores.set(list[i]!, harmScore(h.entityId, h, at, harm));
    });
    return { histories, scores };
  }

  /**
   * Scores `ids` (and, after merges, the perpetrators of the survivors as victims) and puts them on the boards.
   * Returns the boroughs changed, or the record of a first run for a replayed cause.
   */
  async function rescore(ids: readonly string[], removedIds: readonly string[], merged: readonly string[], cause: string | null, at: number) {
    // The graph's counter before reading: an update read later is never overwritten by this one (lua/apply.lua).
    const { events: basis } = await graph.counts();
    const { histories, scores } = await scoresOf(ids, at);
    const removed = new Set(removedIds);
    // An id asked for that answers as another entity was merged away since: off the boards, its survivor scored.
    for (const [id, h] of histories) if (h.entityId !== id) removed.add(id);
    const survivors = new Set(merged.map((id) => histories.get(id)?.entityId ?? id));
    const more = [...histories.values()].filter((h) => survivors.has(h.entityId)).flatMap(perpetratorsOfVictim).filter((id) => !histories.has(id));
    if (more.length) {
      const extra = await scoresOf(more, at);
      for (const [id, h] of extra.histories) {
        histories.set(id, h);
        scores.set(id, extra.scores.get(id)!);
        if (h.entityId !== id) removed.add(id);
      }
    }
    const byEntity = new Map<string, HarmScore>();
    for (const s of scores.values()) byEntity.set(s.entityId, s);
    for (const id of byEntity.keys()) removed.delete(id);
    const entities = [...byEntity.keys()].sort();
    const previous = await board.summaries(entities);
    const prevById = new Map<string, ScoreSummary>();
    previous.forEach((p, i) => p && prevById.set(entities[i]!, p));
    // Someone who never scored and scores nothing now (most victims) leaves no trace.
    const updates = entities.filter((id) => byEntity.get(id)!.scoreAtEpoch > 0 || prevById.has(id)).map((id) => standingUpdate(byEntity.get(id)!, prevById.get(id), cause, halfLifeDays));
    // For the reasons: each one scored now, as they stood before (null: never scored, so every record is new).
    const before = new Map<string, ScoreSummary | null>(updates.map((u) => [u.entityId, prevById.get(u.entityId) ?? null]));
    const result = await board.apply({ cause, basis, updates, removed: [...removed].sort(), prev: [...before] });
    return { result, histories, scores, previous: before };
  }

  /** Ranks a borough from its board and publishes the ranking if it changed; retried while others move the board. */
  async function publishBorough(boroughCode: string, at: number, cause: string | null, known: Map<string, HarmScore>, previous: ReadonlyMap<string, ScoreSummary | null>): Promise<ScorerOutput[]> {
    for (let attempt = 1; attempt <= PUBLISH_ATTEMPTS; attempt++) {
      const read: BoardRead = await board.read(boroughCode, n);
      const after = rankedFrom(read, at, n, halfLifeDays);
      const wanted = [...after.map((r) => r.entityId), ...(read.published?.entries.map((e) => e.entityId) ?? [])].filter((id) => !known.has(id));
      if (wanted.length) for (const [id, s] of (await scoresOf(wanted, at)).scores) known.set(id, s);
      const { changed, ranking, message } = topFiveChanged({
        boroughCode,
        at,
        cause,
        version: Number(read.version),
        before: read.published,
        after,
        scores: known,
        previous,
        halfLifeDays,
      });
      const outcome = await board.publish({ read, changed, ranking, cause, message: changed ? JSON.stringify(message) : '' });
      if (outcome === 'conflict') continue;
      if (outcome === 'unchanged') return [];
      log.info(
        { boroughCode, cause, boardVersion: message.boardVersion, ranking: message.ranking.map((r) => r.entityId), changes: message.changes.map((c) => ({ entityId: c.entityId, change: c.change })) },
        'top five changed',
      );
      return [{ kind: 'topfive', boroughCode, value: message }];
    }
    throw new Error(`the top five of ${boroughCode} kept moving under ${PUBLISH_ATTEMPTS} attempts to publish it`);
  }

  async function alertsFor(event: GraphEventRecorded, at: number, known: Map<string, HarmScore>, histories: Map<string, EntityHistory>): Promise<BoroughAlert[]> {
    if (event.kind !== 'JUSTICE' || event.what !== 'CUSTODY_RELEASE') return [];
    const alerts: BoroughAlert[] = [];
    for (const subject of event.parties.filter((p) => p.roles.includes('SUBJECT'))) {
      const perpetrator = histories.get(subject.entityId) ?? (await graph.histories([subject.entityId]))[0]!;
      const victimIds = [...new Set([...victimsOf(perpetrator), ...event.parties.filter((p) => p.roles.includes('RELATED')).map((p) => p.entityId)])].filter((id) => id !== perpetrator.entityId);
      if (!victimIds.length) continue;
      const victims = await graph.histories(victimIds);
      const score = known.get(subject.entityId) ?? harmScore(perpetrator.entityId, perpetrator, at, harm);
      alerts.push(...custodyReleaseAlerts({ eventId: event.eventId, perpetrator, victims, score, at }));
    }
    return alerts;
  }

  /** Scores again whoever is due by `at` (cause: time), so the boards stand as of `at`. */
  async function dueStep(at: number): Promise<ScorerOutput[]> {
    const outputs: ScorerOutput[] = [];
    const seen = new Set<string>();
    for (let round = 0; round < DUE_ROUNDS; round++) {
      // Anyone due again within one call is left for the next (a stale read, refused by the basis).
      const due = (await board.due(at, DUE_BATCH)).filter((id) => !seen.has(id));
      if (!due.length) break;
      due.forEach((id) => seen.add(id));
      const { result, scores, previous } = await rescore(due, [], [], null, at);
      if (result.status !== 'applied') continue;
      const known = new Map(scores);
      for (const code of result.boroughs) outputs.push(...(await publishBorough(code, at, null, known, previous)));
      log.info({ rescored: due.length, boroughsChanged: result.boroughs }, 're-scored by time');
    }
    return outputs;
  }

  const alertOutputs = (alerts: readonly BoroughAlert[]): ScorerOutput[] => alerts.map((a) => ({ kind: 'alert' as const, boroughCode: a.boroughCode, value: a }));

  async function keepAndSendAlerts(event: GraphEventRecorded, at: number, known: Map<string, HarmScore>, histories: Map<string, EntityHistory>): Promise<ScorerOutput[]> {
    const alerts = await alertsFor(event, at, known, histories);
    if (event.kind === 'JUSTICE' && event.what === 'CUSTODY_RELEASE') {
      await board.keepAlerts(event.eventId, JSON.stringify(alerts));
      log.info({ eventId: event.eventId, boroughs: alerts.map((a) => a.boroughCode), victims: alerts.flatMap((a) => a.victims.map((v) => v.entityId)) }, 'custody release alerts');
    }
    return alertOutputs(alerts);
  }

  return {
    scoreEvent(event, at, where) {
      return exclusive(async () => {
        // Time first: a record that left the window by now must not show in this event's rankings.
        const byTime = await dueStep(at);
        const { rescore: ids, removed, merged } = perpetratorsToRescore(event);
        const { result, histories, scores, previous } = await rescore(ids, removed, merged, event.eventId, at);
        const known = new Map(scores);
        const outputs: ScorerOutput[] = [...byTime];
        if (result.status === 'duplicate') {
          // Scored before: send what the first run decided; finish what it did not get to.
          const done = result.done;
          const prev = new Map<string, ScoreSummary | null>(done.prev);
          for (const code of done.boroughs) {
            const kept = done.messages[code];
            if (kept === undefined) outputs.push(...(await publishBorough(code, at, event.eventId, known, prev)));
            else if (kept) outputs.push({ kind: 'topfive', boroughCode: code, value: JSON.parse(kept) as TopFiveChanged });
          }
          if (done.alerts !== undefined) outputs.push(...alertOutputs(JSON.parse(done.alerts) as BoroughAlert[]));
          else outputs.push(...(await keepAndSendAlerts(event, at, known, histories)));
          log.info({ ...where, eventId: event.eventId, resent: outputs.length - byTime.length }, 'event scored before; its messages sent again');
          return outputs;
        }
        for (const code of result.boroughs) outputs.push(...(await publishBorough(code, at, event.eventId, known, previous)));
        outputs.push(...(await keepAndSendAlerts(event, at, known, histories)));
        log.info(
          { ...where, eventId: event.eventId, what: event.what, scored: [...new Set([...scores.values()].map((s) => s.entityId))], boroughsChanged: result.boroughs, messages: outputs.length },
          'event scored',
        );
        return outputs;
      });
    },

    rescoreDue(at) {
      return exclusive(() => dueStep(at));
    },

    async unsent() {
      return (await board.unsent()).map(({ boroughCode, message }) => ({ kind: 'topfive' as const, boroughCode, value: JSON.parse(message) as TopFiveChanged }));
    },

    publishPending(at) {
      return exclusive(async () => {
        const outputs: ScorerOutput[] = [];
        for (const code of await board.unpublished()) outputs.push(...(await publishBorough(code, at, null, new Map(), new Map())));
        return outputs;
      });
    },

    rescoreEntities(entityIds, at) {
      return exclusive(async () => {
        const changed = new Set<string>();
        for (let i = 0; i < entityIds.length; i += DUE_BATCH) {
          const { result } = await rescore(entityIds.slice(i, i + DUE_BATCH), [], [], null, at);
          if (result.status === 'applied') result.boroughs.forEach((b) => changed.add(b));
        }
        return [...changed].sort();
      });
    },

    async topFive(boroughCode, at) {
      return rankedFrom(await board.read(boroughCode, n), at, n, halfLifeDays);
    },
  };
}
