// What the retention review reads and keeps on the graph (docs/SECURITY.md
// "Retention"), so that a sweep costs what has come due since the last one,
// not the size of the graph:
//
//   ns:review:events   zset  eventId by when it happened (ms); record-event.lua adds each event as it is recorded.
//                            The review takes an event off once it has looked at everyone in it.
//   ns:review:recheck  set   recordIds whose person changed shape (an unmerge, a correction): the person they stand
//                            for now is looked at again at the next sweep, whatever the events say.
//   ns:review:indexed  string  the review period (days) the queue is complete for: every event recorded before the
//                            queue existed is on it, and none was taken off under a shorter period.
//
// Why that is enough: a person is due when their latest event is past the
// period, and that event is still on the queue, since the review takes an
// event off only when it is past the period and everyone in it was looked at
// (a person kept then has a later event, still queued). Only a person's
// shape changing outside a call (an unmerge or a correction moving records
// between people) can leave one whose events were all looked at: those go on
// the recheck set. An event recorded late with an old time is queued like any
// other and looked at by the next sweep. A longer period moves the cutoff back
// past events taken off under the shorter one: the queue is filled again once.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { defineReadOnlyLuaCommands } from '../redis/lua-scripts.ts';
import { redisCall, redisJson } from '../redis/redis-call.ts';
import { scanKeys } from '../redis/keys.ts';
import type { EventFacts } from './incident-graph.ts';
import type { PersonUnderReview } from './retention-rule.ts';

const LUA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'lua');

export type PersonAsReviewed = PersonUnderReview & { records: number };

export type RetentionIndex = {
  /** Queued events before `cutoff` (ms), oldest first: `limit` of them from `offset`. */
  dueEvents(cutoff: number, limit: number, offset?: number): Promise<string[]>;
  /** Looked at: off the queue. */
  lookedAt(eventIds: readonly string[]): Promise<void>;
  /** Records whose person is to be looked at again (at most `limit`). */
  rechecks(limit: number): Promise<string[]>;
  rechecked(recordIds: readonly string[]): Promise<void>;
  /** The people in these events and those these records stand for now, each with their latest event's time; records on no entity apart. */
  people(eventIds: readonly string[], recordIds?: readonly string[]): Promise<{ people: PersonAsReviewed[]; unplaced: string[] }>;
  /**
   * Queues every event of the graph, once: before the first review (events recorded before the queue existed), and
   * again when the period grows (events taken off under the shorter one). An interrupted run is run again. Returns
   * how many it queued (0 when the queue was complete for this period already).
   */
  queueEarlierEvents(reviewDays: number): Promise<number>;
};

type Commands = Redis & { dauntlessReviewPeople(metaKey: string, ...args: (string | number)[]): Promise<string> };

/** Event ids per script call: a batch's people are read in one round trip. */
const PER_CALL = 200;

export function createRetentionIndex({ redis, namespace: ns }: { redis: Redis; namespace: string }): RetentionIndex {
  defineReadOnlyLuaCommands(redis, LUA_DIR, { dauntlessReviewPeople: 'review-people' });
  const queue = `${ns}:review:events`;
  const recheck = `${ns}:review:recheck`;
  const indexed = `${ns}:review:indexed`;
  return {
    dueEvents: (cutoff, limit, offset = 0) => redisCall('read the retention queue', () => redis.zrangebyscore(queue, '-inf', `(${cutoff}`, 'LIMIT', offset, limit)),
    async lookedAt(eventIds) {
      if (eventIds.length > 0) await redisCall('take events off the retention queue', () => redis.zrem(queue, ...eventIds));
    },
    rechecks: (limit) => redisCall('read the retention rechecks', () => redis.srandmember(recheck, limit)),
    async rechecked(recordIds) {
      if (recordIds.length > 0) await redisCall('clear retention rechecks', () => redis.srem(recheck, ...recordIds));
    },
    async people(eventIds, recordIds = []) {
      const people = new Map<string, PersonAsReviewed>();
      const unplaced: string[] = [];
      const calls: [string[], string[]][] = [];
      for (let i = 0; i < eventIds.length; i += PER_CALL) calls.push([eventIds.slice(i, i + PER_CALL), []]);
      for (let i = 0; i < recordIds.length; i += PER_CALL) calls.push([[], recordIds.slice(i, i + PER_CALL)]);
      for (const [events, records] of calls) {
        const reply = await redisJson<{ people: [string, number, number][] | object; unplaced: string[] | object }>('read the people under review', () =>
          (redis as Commands).dauntlessReviewPeople(`${ns}:meta`, ns, events.length, ...events, ...records),
        );
        for (const [entityId, latestAt, count] of Array.isArray(reply.people) ? reply.people : []) {
          people.set(entityId, { entityId, latestAt: latestAt >= 0 ? latestAt : undefined, records: count });
        }
        if (Array.isArray(reply.unplaced)) unplaced.push(...(reply.unplaced as string[]));
      }
      return { people: [...people.values()], unplaced };
    },
    async queueEarlierEvents(reviewDays) {
      const completeFor = await redisCall('read the retention queue', () => redis.get(indexed));
      if (completeFor !== null && Number(completeFor) >= reviewDays) return 0;
      let queued = 0;
      const prefix = `${ns}:evt:`;
      for await (const keys of scanKeys(redis, prefix)) {
        const pipeline = redis.pipeline();
        for (const k of keys) pipeline.hget(k, 'facts');
        const rows = (await redisCall('read events', () => pipeline.exec())) ?? [];
        const add: (string | number)[] = [];
        rows.forEach(([, facts], i) => {
          if (typeof facts !== 'string') return;
          const f = JSON.parse(facts) as EventFacts;
          add.push(f.kind === 'incident' ? f.receivedAt : f.occurredAt, keys[i]!.slice(prefix.length));
        });
        if (add.length > 0) queued += await redisCall('queue events for retention', () => redis.zadd(queue, ...add));
      }
      await redisCall('mark the retention queue complete', () => redis.set(indexed, String(reviewDays)));
      return queued;
    },
  };
}
