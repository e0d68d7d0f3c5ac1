// The tests' Redis clients. The test code itself acts as the stack's admin
// user (dauntless-admin: every key, nothing dangerous; deploy/redis-acl.ts)
// over TLS with the stack's CA; services the tests start as child processes
// take their own users. Without the stack's secrets (a Redis of one's own,
// the testcontainers fallback) they connect as the URL says.
import type { Redis, RedisOptions } from 'ioredis';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { createRedis } from '../../shared/redis/create-redis.ts';
import { scanKeys } from '../../shared/redis/keys.ts';
import { loadRedisConnection, REDIS_USER, type RedisConnection, type RedisUserName } from '../../shared/redis/redis-connection.ts';
import { testEndpoints } from './endpoints.ts';

/** How the user `user` (default the admin) reaches the Redis at `url` (default the run's). */
export function testRedisConnection({ url = testEndpoints().redisUrl, user = REDIS_USER.admin }: { url?: string; user?: RedisUserName } = {}): RedisConnection {
  return loadRedisConnection({ ...process.env, REDIS_URL: url }, user);
}

/** A client of the run's Redis as the admin user, with ioredis's options given. */
export function adminRedis(options: RedisOptions = {}): Redis {
  return createRedis({ connection: testRedisConnection(), logger: createLogger('test', { level: process.env.LOG_LEVEL ?? 'silent' }), ...options });
}

/** Every key that starts with `prefix`, by SCAN: KEYS, which blocks Redis while it walks every key, is denied even to the admin. */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  for await (const keys of scanKeys(redis, prefix)) found.push(...keys);
  return found;
}
