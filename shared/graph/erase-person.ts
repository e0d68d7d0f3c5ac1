// Erasing a person from the identity graph (Data Protection Act 2018 Part 3;
// docs/SECURITY.md "Erasure"): one Lua script (lua/erase.lua), atomic. It takes
// the entity an id stands for now (following mergedInto), every entity merged
// into it, their member records with their filings under blocking keys and
// their term counts, and the merges they took part in. Each event the person
// was in stays, for the other people in it: the person's record ids in it are
// replaced by ERASED_RECORD_ID, which names nobody, so a history read through
// history.lua finds the incident with one party on no entity.
//
// Moving the graph's seq drops any store's mirror of the candidate index at
// its next apply (graph-mirror.ts), as an unmerge does. The boards and the web
// service's keys are erased by their own owners (shared/boards/score-board.ts,
// services/web/erase-person-web.ts), with the ids returned here.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { DauntlessError } from '../errors/dauntless-error.ts';
import { defineLuaCommands } from '../redis/lua-scripts.ts';
import { redisJson } from '../redis/redis-call.ts';
import { currentEntityIn } from './redis-identity-store.ts';

const LUA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'lua');

/** What an erased record's id becomes in the events it was in: no record has it, so it stands for nobody. */
export const ERASED_RECORD_ID = 'erased';

export type GraphErasure = {
  /** The entity the requested id stood for. */
  entityId: string;
  /** Every id the person had: the entity and those merged into it. */
  entityIds: string[];
  recordIds: string[];
  /** The events the person was in: kept, without them. */
  eventIds: string[];
  mergeIds: string[];
  counts: { entities: number; records: number; events: number; merges: number; blockFilings: number; terms: number };
};

type Commands = Redis & { dauntlessErase(metaKey: string, ...args: (string | number)[]): Promise<string> };

/** A list as cjson sends it: an empty table arrives as {}. */
const list = (value: unknown): string[] => (Array.isArray(value) ? (value as string[]) : []);

/**
 * Erases the person an entity id (current or merged away) stands for from graph `namespace`. Throws
 * VALIDATION_FAILED when the graph has no such person (nothing changes).
 */
export async function erasePersonFromGraph(redis: Redis, namespace: string, entityId: string): Promise<GraphErasure> {
  const erased = await eraseFromGraph(redis, namespace, entityId, '');
  if (!erased) throw new DauntlessError('VALIDATION_FAILED', `Person ${entityId} has a record at or after the time given.`);
  return erased;
}

/**
 * As erasePersonFromGraph, for the retention review: nothing is erased, and undefined comes back, if any record of
 * the person came from an event at or after `unlessSince` (ms), checked in the same script, so a call that arrives
 * between the review's look and the erasure keeps the person.
 */
export function erasePersonFromGraphUnlessSince(redis: Redis, namespace: string, entityId: string, unlessSince: number): Promise<GraphErasure | undefined> {
  return eraseFromGraph(redis, namespace, entityId, unlessSince);
}

async function eraseFromGraph(redis: Redis, namespace: string, entityId: string, unlessSince: number | ''): Promise<GraphErasure | undefined> {
  defineLuaCommands(redis, LUA_DIR, { dauntlessErase: 'erase' });
  const reply = await redisJson<{ status: string } & Partial<GraphErasure>>('erase a person', () =>
    (redis as Commands).dauntlessErase(`${namespace}:meta`, namespace, entityId, JSON.stringify(ERASED_RECORD_ID), unlessSince),
  );
  if (reply.status === 'recent') return undefined;
  if (reply.status !== 'erased') throw new DauntlessError('VALIDATION_FAILED', `No person ${entityId} in this graph.`);
  return {
    entityId: reply.entityId!,
    entityIds: list(reply.entityIds),
    recordIds: list(reply.recordIds),
    eventIds: list(reply.eventIds),
    mergeIds: list(reply.mergeIds),
    counts: reply.counts!,
  };
}

/**
 * The people (entities now) still in some events: after an erasure, those who shared an event with the erased
 * person, to be scored again without them.
 */
export async function peopleInEvents(redis: Redis, namespace: string, eventIds: readonly string[]): Promise<string[]> {
  const people = new Set<string>();
  for (const eventId of eventIds) {
    const stored = await redis.hget(`${namespace}:evt:${eventId}`, 'records');
    for (const recordId of stored ? (JSON.parse(stored) as string[]) : []) {
      if (recordId === ERASED_RECORD_ID) continue;
      const entity = await redis.hget(`${namespace}:rec:${recordId}`, 'entity');
      if (entity) people.add(await currentEntityIn(redis, namespace, entity));
    }
  }
  return [...people].sort();
}
