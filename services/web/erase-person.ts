// A supervisor's erasure of a person (docs/SECURITY.md "Erasure"), for the
// web route POST /api/persons/:entityId/erase, which has written the audit
// entry before calling it. In order: the graph (one atomic script: the
// person's records, entities and merges; the events they were in keep the
// incident without them), the boards and the kept briefings, the web
// service's own keys, and last the people who shared an event with them,
// scored again without them (the scorer publishes the boroughs changed at its
// next tick). Service-local: shared/ does not import it.
import type { Redis } from 'ioredis';
import type { BriefingStore } from '../../shared/boards/briefing-store.ts';
import type { ScoreBoard } from '../../shared/boards/score-board.ts';
import { createScorer } from '../../shared/boards/scorer.ts';
import { erasePersonFromGraph, erasePersonFromGraphUnlessSince, ERASED_RECORD_ID, peopleInEvents, type GraphErasure } from '../../shared/graph/erase-person.ts';
import type { EventFacts, IncidentGraph } from '../../shared/graph/incident-graph.ts';
import type { HarmConfig } from '../../shared/harm/harm-config.ts';
import type { Logger } from '../../shared/logging/create-logger.ts';
import type { WebStore } from './web-store.ts';

export type ErasureResult = Pick<GraphErasure, 'entityId' | 'entityIds' | 'recordIds' | 'counts'> & {
  /** Incidents whose kept intelligence was rewritten without the person. */
  incidentsRewritten: string[];
  boroughsChanged: string[];
  briefingsChanged: string[];
  /** The people who shared an event with them, scored again. */
  scoredAgain: string[];
};

export type ErasureDeps = {
  redis: Redis;
  graphNamespace: string;
  graph: Pick<IncidentGraph, 'histories' | 'counts'>;
  board: ScoreBoard;
  briefings: Pick<BriefingStore, 'forget'>;
  store: Pick<WebStore, 'forgetPerson'>;
  harm: HarmConfig;
  logger: Logger;
  now?: () => number;
};

/** The incident ids of events (justice events have none). */
async function incidentsOf(redis: Redis, ns: string, eventIds: readonly string[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const eventId of eventIds) {
    const facts = await redis.hget(`${ns}:evt:${eventId}`, 'facts');
    const parsed = facts ? (JSON.parse(facts) as EventFacts) : undefined;
    if (parsed?.kind === 'incident') ids.add(parsed.incidentId);
  }
  return [...ids];
}

export async function erasePerson(deps: ErasureDeps, entityId: string): Promise<ErasureResult> {
  return eraseEverywhere(deps, await erasePersonFromGraph(deps.redis, deps.graphNamespace, entityId));
}

/**
 * The retention review's erasure (retention-review.ts): the same, unless a record of the person came from an event
 * at or after `unlessSince` (checked atomically with the graph's erasure); then nothing changes and undefined comes back.
 */
export async function erasePersonUnlessSince(deps: ErasureDeps, entityId: string, unlessSince: number): Promise<ErasureResult | undefined> {
  const erased = await erasePersonFromGraphUnlessSince(deps.redis, deps.graphNamespace, entityId, unlessSince);
  return erased ? eraseEverywhere(deps, erased) : undefined;
}

/** After the graph: the boards, the briefings, the web service's keys, and the people who shared an event with them. */
async function eraseEverywhere(deps: ErasureDeps, erased: GraphErasure): Promise<ErasureResult> {
  const { redis, graphNamespace: ns, logger } = deps;
  const boroughsChanged = await deps.board.erase(erased.entityIds, ERASED_RECORD_ID);
  const briefingsChanged = await deps.briefings.forget(erased.entityIds);
  const incidentsRewritten = await deps.store.forgetPerson(erased.entityIds, await incidentsOf(redis, ns, erased.eventIds));
  const scoredAgain = await peopleInEvents(redis, ns, erased.eventIds);
  const rescored = await createScorer({ graph: deps.graph, board: deps.board, harm: deps.harm, logger }).rescoreEntities(scoredAgain, (deps.now ?? Date.now)());
  // Ids and counts only: the person's data is gone, and a log keeps nothing of it.
  logger.info({ entityId: erased.entityId, entityIds: erased.entityIds, records: erased.counts.records, events: erased.eventIds.length, scoredAgain: scoredAgain.length }, 'person erased');
  return {
    entityId: erased.entityId,
    entityIds: erased.entityIds,
    recordIds: erased.recordIds,
    counts: erased.counts,
    incidentsRewritten,
    boroughsChanged: [...new Set([...boroughsChanged, ...rescored])].sort(),
    briefingsChanged,
    scoredAgain,
  };
}
