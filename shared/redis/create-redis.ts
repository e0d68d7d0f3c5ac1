// Every Redis client in the project is built here, so each has an 'error'
// listener. ioredis emits 'error' on every failed connection attempt; an
// EventEmitter with no listener for it would print "Unhandled error event"
// and a stack straight to stderr, outside the logs. Commands still fail (or
// are retried) as ioredis's options say: the listener only records the fact.
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logging/create-logger.ts';

export type CreateRedisOptions = RedisOptions & {
  /** redis://[user:password@]host:port[/db] */
  url: string;
  /** Connection errors go here, as `stage: redis` at warn. */
  logger: Logger;
};

export function createRedis({ url, logger, ...options }: CreateRedisOptions): Redis {
  const redis = new Redis(url, options);
  const log = logger.child({ stage: 'redis' });
  // The message and code only: the error's own fields can carry the URL, password included.
  redis.on('error', (error: Error & { code?: string }) => log.warn({ err: error.message, code: error.code }, 'Redis connection error'));
  return redis;
}
