// A supervisor's correction of a person record (docs/SECURITY.md
// "Rectification"), for the web routes PATCH /api/records/:recordId and the
// person page's form, which have checked the correction and written its
// audit entry before calling it. The graph first (the record corrected and
// resolved again: shared/graph/correct-record.ts), then everyone whose score
// may follow from where the record is: the person it left, the person it
// joined (and any it merged), and the others in its event (a victim moved to
// another person changes whose victim she is). The scorer publishes the
// boroughs changed at its next tick. Service-local: shared/ does not import it.
import type { Redis } from 'ioredis';
import type { ScoreBoard } from '../../shared/boards/score-board.ts';
import { createScorer } from '../../shared/boards/scorer.ts';
import type { PersonRecord } from '../../shared/er/identity-store.ts';
import type { CorrectionResult, RecordCorrections } from '../../shared/graph/correct-record.ts';
import { peopleInEvents } from '../../shared/graph/erase-person.ts';
import type { IncidentGraph } from '../../shared/graph/incident-graph.ts';
import type { HarmConfig } from '../../shared/harm/harm-config.ts';
import type { Logger } from '../../shared/logging/create-logger.ts';

export type CorrectionDeps = {
  redis: Redis;
  graphNamespace: string;
  corrections: Pick<RecordCorrections, 'correct' | 'read' | 'resumePending'>;
  graph: Pick<IncidentGraph, 'histories' | 'counts'>;
  board: ScoreBoard;
  harm: HarmConfig;
  logger: Logger;
  now?: () => number;
};

export type CorrectedRecord = Pick<CorrectionResult, 'recordId' | 'before' | 'after' | 'refugeWithheld' | 'resumed'> & {
  outcome: CorrectionResult['resolution']['decision']['outcome'];
  /** Entities the record's new place merged into `after`. */
  merged: string[];
  /** Everyone scored again. */
  scoredAgain: string[];
  boroughsChanged: string[];
};

async function scoreAgain(deps: CorrectionDeps, result: CorrectionResult): Promise<CorrectedRecord> {
  const { redis, graphNamespace: ns, logger } = deps;
  const eventId = await redis.hget(`${ns}:recevt`, result.recordId);
  const others = eventId ? await peopleInEvents(redis, ns, [eventId]) : [];
  const scoredAgain = [...new Set([result.before, result.after, ...result.resolution.mergedEntityIds, ...others].filter(Boolean))].sort();
  const boroughsChanged = await createScorer({ graph: deps.graph, board: deps.board, harm: deps.harm, logger }).rescoreEntities(scoredAgain, (deps.now ?? Date.now)());
  // Ids only: the corrected values are on the graph, and a log keeps nothing of them.
  logger.info({ recordId: result.recordId, before: result.before, after: result.after, outcome: result.resolution.decision.outcome, scoredAgain: scoredAgain.length }, 'record corrected');
  return {
    recordId: result.recordId,
    before: result.before,
    after: result.after,
    refugeWithheld: result.refugeWithheld,
    resumed: result.resumed,
    outcome: result.resolution.decision.outcome,
    merged: result.resolution.mergedEntityIds,
    scoredAgain,
    boroughsChanged,
  };
}

export async function correctRecord(deps: CorrectionDeps, recordId: string, corrected: PersonRecord): Promise<CorrectedRecord> {
  return scoreAgain(deps, await deps.corrections.correct(recordId, corrected));
}

/** The corrections a crash left half done (taken off, not placed again), finished and scored: at the web service's start. */
export async function resumeCorrections(deps: CorrectionDeps): Promise<CorrectedRecord[]> {
  const done: CorrectedRecord[] = [];
  for (const result of await deps.corrections.resumePending()) done.push(await scoreAgain(deps, result));
  return done;
}
