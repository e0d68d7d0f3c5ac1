// The identity graph the operator tools read and change: Redis from
// REDIS_URL (or .stack/endpoints.env), graph DAUNTLESS_GRAPH (default
// "dauntless:{g}"). Opens, runs, and always closes the connection.
import { loadEndpoints } from '../../shared/config/endpoints.ts';
import { createRedisIdentityStore, DEFAULT_NAMESPACE, type RedisIdentityStore } from '../../shared/graph/redis-identity-store.ts';
import { withRedis } from './with-redis.ts';

export async function withGraphStore<T>(use: (store: RedisIdentityStore) => Promise<T>, namespace = process.env.DAUNTLESS_GRAPH ?? DEFAULT_NAMESPACE): Promise<T> {
  const { redisUrl } = loadEndpoints(process.env, { need: ['redis'] });
  return withRedis({ url: redisUrl, maxRetriesPerRequest: 2 }, (redis) => use(createRedisIdentityStore({ redis, namespace })));
}
