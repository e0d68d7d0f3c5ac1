// The CLI's Redis client: opened for one command, always closed. A person is
// waiting at the terminal and nothing will retry for them, so a Redis that
// does not answer fails the command within a few seconds (a bounded connect
// timeout and reconnect strategy, where a service waits for Redis forever),
// and the failure names that Redis.
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { createRedis } from '../../shared/redis/create-redis.ts';
import { loadRedisConnection, REDIS_USER, type RedisConnection } from '../../shared/redis/redis-connection.ts';

/** Milliseconds to wait for one connection attempt. */
const CONNECT_TIMEOUT_MS = 2_000;
/** Reconnection attempts after the first; with the waits below, given up in about a second on a refused port. */
const RECONNECTS = 2;
const reconnectDelayMs = (attempt: number): number | null => (attempt > RECONNECTS ? null : attempt * 250);
/**
 * Milliseconds ioredis waits for a socket to close after disconnect() before destroying it. Its
 * timer is never cleared for a socket that had already failed, so its default (2 s) kept every
 * command against a dead Redis alive that long after it had finished.
 */
const DISCONNECT_TIMEOUT_MS = 200;

/** host:port of a Redis URL, without its user or password. */
export function redisAddress(url: string): string {
  try {
    const { hostname, port } = new URL(url);
    return `${hostname}:${port || '6379'}`;
  } catch {
    return 'REDIS_URL (not a URL)';
  }
}

export function redisUnavailable(url: string, cause: Error): DauntlessError {
  return new DauntlessError(
    'REDIS_UNAVAILABLE',
    `Redis at ${redisAddress(url)} is not answering (${cause.message}): start the local servers with \`npm run stack:up\`, or set REDIS_URL to a Redis that runs.`,
    { retriable: true, cause },
  );
}

/** How ioredis, and the stores over it, fail a command when the connection is down. */
const isConnectionFailure = (error: unknown): boolean =>
  (error instanceof DauntlessError && error.code === 'REDIS_UNAVAILABLE') ||
  (error instanceof Error && (error.name === 'MaxRetriesPerRequestError' || error.message === 'Connection is closed.' || /enableOfflineQueue/.test(error.message)));

export type WithRedisOptions = { maxRetriesPerRequest: number; env?: NodeJS.ProcessEnv };

/** The operators' connection: REDIS_URL, as the user dauntless-operator unless DAUNTLESS_REDIS_USER names another. */
export function operatorConnection(env: NodeJS.ProcessEnv = process.env): RedisConnection {
  return loadRedisConnection(env, REDIS_USER.operator);
}

export async function withRedis<T>({ maxRetriesPerRequest, env = process.env }: WithRedisOptions, use: (redis: Redis) => Promise<T>): Promise<T> {
  const connection = operatorConnection(env);
  const { url } = connection;
  // Each failed attempt is logged only with LOG_LEVEL=warn or lower: the failure of the command says it once.
  const logger = createLogger('dauntless', { level: process.env.LOG_LEVEL ?? 'error' }, pino.destination(2));
  const redis = createRedis({ connection, logger, maxRetriesPerRequest, connectTimeout: CONNECT_TIMEOUT_MS, retryStrategy: reconnectDelayMs, disconnectTimeout: DISCONNECT_TIMEOUT_MS });
  let connectionError: Error | undefined;
  redis.on('error', (error: Error) => (connectionError = error));
  try {
    return await use(redis);
  } catch (error) {
    // Said with the address and the reason the socket gave, not ioredis's "max retries per request".
    if (connectionError && redis.status !== 'ready' && isConnectionFailure(error)) throw redisUnavailable(url, connectionError);
    throw error;
  } finally {
    redis.disconnect();
  }
}
