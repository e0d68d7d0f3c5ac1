// The LPT briefings kept for "change since the last briefing": the last
// briefing of each borough, beside the scorer's boards (same namespace and
// hash tag) but apart from them: the live boards are the scorer's hot path,
// a stored briefing is what `dauntless briefing` read and showed a person.
//   ns:briefing:<borough>  string  the last briefing kept (JSON)
import type { Redis } from 'ioredis';
import { redisCall } from '../redis/redis-call.ts';

export type BriefingStore = {
  lastBriefing<T>(boroughCode: string): Promise<T | undefined>;
  keepBriefing(boroughCode: string, briefing: unknown): Promise<void>;
};

export function createBriefingStore({ redis, namespace }: { redis: Redis; namespace: string }): BriefingStore {
  const key = (boroughCode: string) => `${namespace}:briefing:${boroughCode}`;
  return {
    async lastBriefing<T>(boroughCode: string) {
      const text = await redisCall('read the last briefing', () => redis.get(key(boroughCode)));
      return text ? (JSON.parse(text) as T) : undefined;
    },
    async keepBriefing(boroughCode, briefing) {
      await redisCall('keep the briefing', () => redis.set(key(boroughCode), JSON.stringify(briefing)));
    },
  };
}
