// The identity graph the operator tools read and change: Redis from
// REDIS_URL (or .stack/endpoints.env), graph DAUNTLESS_GRAPH (default
// "dauntless:{g}"). Opens, runs, and always closes the connection.
import { Redis } from 'ioredis';
import { loadEndpoints } from '../../shared/config/endpoints.ts';
import { createRedisIdentityStore, DEFAULT_NAMESPACE, type RedisIdentityStore } from '../../shared/graph/redis-identity-store.ts';

export async function withGraphStore<T>(use: (store: RedisIdentityStore) => Promise<T>, namespace = process.env.DAUNTLESS_GRAPH ?? DEFAULT_NAMESPACE): Promise<T> {
  const redis = new Redis(loadEndpoints().redisUrl, { maxRetriesPerRequest: 2 });
  try {
    return await use(createRedisIdentityStore({ redis, namespace }));
  } finally {
    redis.disconnect();
  }
}

/** The one positional id a command takes, or a usage error (exit 2). */
export function oneId(command: string, what: string, args: string[], usage: string): string | number {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  const ids = args.filter((a) => !a.startsWith('-'));
  if (ids.length !== 1) {
    process.stderr.write(`dauntless ${command}: give exactly one ${what}.\n\n${usage}\n`);
    return 2;
  }
  return ids[0]!;
}
