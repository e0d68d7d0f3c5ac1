// Every Redis client in the project is built here, so each has an 'error'
// listener and connects as its connection says (user, password, TLS with the
// stack's CA). ioredis emits 'error' on every failed connection attempt; an
// EventEmitter with no listener for it would print "Unhandled error event"
// and a stack straight to stderr, outside the logs. Commands still fail (or
// are retried) as ioredis's options say: the listener only records the fact.
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logging/create-logger.ts';
import type { RedisConnection } from './redis-connection.ts';

export type CreateRedisOptions = RedisOptions & {
  /** Where and as whom (shared/redis/redis-connection.ts); a bare URL connects as it says. */
  connection: RedisConnection | string;
  /** Connection errors go here, as `stage: redis` at warn. */
  logger: Logger;
};

/** ioredis's options for a connection: the user and password apart from the URL, TLS for rediss:// with the CA given. */
export function redisClientOptions(connection: RedisConnection | string): RedisOptions & { url: string } {
  const { url, username, password, ca } = typeof connection === 'string' ? { url: connection } : connection;
  return {
    url,
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    ...(url.startsWith('rediss:') ? { tls: ca ? { ca } : {} } : {}),
  };
}

export function createRedis({ connection, logger, ...options }: CreateRedisOptions): Redis {
  const { url, ...fromConnection } = redisClientOptions(connection);
  const redis = new Redis(url, { ...fromConnection, ...options });
  const log = logger.child({ stage: 'redis' });
  // The message and code only: the error's own fields can carry the URL, password included.
  redis.on('error', (error: Error & { code?: string }) => log.warn({ err: error.message, code: error.code }, 'Redis connection error'));
  return redis;
}
