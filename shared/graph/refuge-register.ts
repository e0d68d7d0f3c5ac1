// The refuge register in Redis, beside the graph it protects:
//   ns:refuges   set   refugeHash of each refuge's phone and address keys (shared/er/refuges.ts)
// The resolver holds a copy, read again every few seconds, so a refuge added
// is withheld from the next calls without a restart; only hashes are kept, so
// neither Redis nor a copy of it lists where the refuges are.
import type { Redis } from 'ioredis';
import type { RefugeRegister } from '../er/refuges.ts';
import type { Logger } from '../logging/create-logger.ts';
import { redisCall } from '../redis/redis-call.ts';

export type RefugeRegisterStore = {
  add(hashes: readonly string[]): Promise<number>;
  remove(hashes: readonly string[]): Promise<number>;
  /** Whether any of these hashes is a refuge's. */
  containsAny(hashes: readonly string[]): Promise<boolean>;
  load(): Promise<RefugeRegister>;
};

export function createRefugeRegisterStore({ redis, namespace }: { redis: Redis; namespace: string }): RefugeRegisterStore {
  const key = `${namespace}:refuges`;
  return {
    add: (hashes) => (hashes.length ? redisCall('add a refuge', () => redis.sadd(key, ...hashes)) : Promise.resolve(0)),
    remove: (hashes) => (hashes.length ? redisCall('remove a refuge', () => redis.srem(key, ...hashes)) : Promise.resolve(0)),
    async containsAny(hashes) {
      if (hashes.length === 0) return false;
      return (await redisCall('look up a refuge', () => redis.smismember(key, ...hashes))).some((x) => x === 1);
    },
    async load() {
      return { hashes: new Set(await redisCall('read the refuges', () => redis.smembers(key))) };
    },
  };
}

/** A copy of the register kept fresh; a failed read keeps the last copy (and says so), never an empty one. */
export async function watchRefuges({ store, refreshMs, logger }: { store: Pick<RefugeRegisterStore, 'load'>; refreshMs: number; logger: Logger }): Promise<{ current(): RefugeRegister; stop(): void }> {
  let register = await store.load();
  const timer = setInterval(() => {
    store.load().then(
      (fresh) => (register = fresh),
      (error: Error) => logger.warn({ err: error.message }, 'the refuge register was not read again; the last copy stays in force'),
    );
  }, refreshMs);
  timer.unref();
  return { current: () => register, stop: () => clearInterval(timer) };
}
