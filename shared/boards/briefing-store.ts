// The LPT briefings kept for "change since the last briefing": the last
// briefing of each borough, beside the scorer's boards (same namespace and
// hash tag) but apart from them: the live boards are the scorer's hot path,
// a stored briefing is what `dauntless briefing` read and showed a person.
//   ns:briefing:<borough>  string  the last briefing kept (JSON)
import type { Redis } from 'ioredis';
import { scanKeys } from '../redis/keys.ts';
import { redisCall } from '../redis/redis-call.ts';

export type BriefingStore = {
  lastBriefing<T>(boroughCode: string): Promise<T | undefined>;
  keepBriefing(boroughCode: string, briefing: unknown): Promise<void>;
  /**
   * An erased person (every id they had) out of every kept briefing: their entries and standings go, the rest stay
   * as they were (the next briefing shows them as having left). Returns the boroughs whose briefing changed.
   */
  forget(entityIds: readonly string[]): Promise<string[]>;
};

/** What forget() reads of a kept briefing (shared/briefing/briefing-model.ts KeptBriefing): lists of entries by entity id. */
type Entries = { entries?: { entityId: string }[]; standings?: { entityId: string }[] };

/** A kept briefing without the entries of `ids`; undefined when none of them is in it. Pure. */
export function briefingWithout<T extends Entries>(briefing: T, ids: ReadonlySet<string>): T | undefined {
  const named = (list: { entityId: string }[] | undefined) => (list ?? []).some((e) => ids.has(e.entityId));
  if (!named(briefing.entries) && !named(briefing.standings)) return undefined;
  const keep = <E extends { entityId: string }>(list: E[] | undefined) => list?.filter((e) => !ids.has(e.entityId));
  return { ...briefing, entries: keep(briefing.entries), ...(briefing.standings ? { standings: keep(briefing.standings) } : {}) };
}

export function createBriefingStore({ redis, namespace }: { redis: Redis; namespace: string }): BriefingStore {
  const prefix = `${namespace}:briefing:`;
  const key = (boroughCode: string) => `${prefix}${boroughCode}`;
  return {
    async lastBriefing<T>(boroughCode: string) {
      const text = await redisCall('read the last briefing', () => redis.get(key(boroughCode)));
      return text ? (JSON.parse(text) as T) : undefined;
    },
    async keepBriefing(boroughCode, briefing) {
      await redisCall('keep the briefing', () => redis.set(key(boroughCode), JSON.stringify(briefing)));
    },
    async forget(entityIds) {
      const ids = new Set(entityIds);
      const changed: string[] = [];
      await redisCall('erase a person from the kept briefings', async () => {
        for await (const keys of scanKeys(redis, prefix)) {
          for (const k of keys) {
            const text = await redis.get(k);
            const without = text ? briefingWithout(JSON.parse(text) as Entries, ids) : undefined;
            if (!without) continue;
            await redis.set(k, JSON.stringify(without));
            changed.push(k.slice(prefix.length));
          }
        }
      });
      return changed.sort();
    },
  };
}
