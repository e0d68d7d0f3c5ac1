// Refuses to run a service on a Redis that could lose graph writes whose
// Kafka offsets the service has committed. The services commit an offset
// once its writes are acknowledged by Redis (docs/ARCHITECTURE.md, Delivery),
// so an acknowledged write must already be on disk: the append-only file on,
// fsynced before every reply (`appendfsync always`; `everysec` acknowledges
// up to two seconds of writes a host crash loses, and Redis 7.0 has no
// WAITAOF to wait for them), never skipped during a rewrite, and nothing
// evicted when memory is full (`noeviction`: a full Redis refuses writes,
// which the services retry, instead of dropping graph keys).
//
// DAUNTLESS_REDIS_DURABILITY=relaxed (development only) accepts a weaker
// fsync policy, logged at warn; a Redis without the append-only file or one
// that evicts is refused whatever it says.
import { DauntlessError } from '../errors/dauntless-error.ts';
import type { Logger } from '../logging/create-logger.ts';

export type RedisDurabilityMode = 'strict' | 'relaxed';

/** The settings that decide whether an acknowledged write survives; undefined where they could not be read. */
export type RedisDurabilitySettings = {
  appendonly?: string;
  appendfsync?: string;
  noAppendfsyncOnRewrite?: string;
  maxmemoryPolicy?: string;
  /** Why some settings could not be read (a managed Redis may refuse CONFIG). */
  unreadable?: string;
};

export type RedisDurabilityVerdict = {
  /** Sentences saying what to set; any one stops the service. */
  refusals: string[];
  /** Accepted, but said at warn: a relaxed fsync, settings that could not be read. */
  warnings: string[];
};

/** The commands this check sends: ioredis's `call`. */
export type RedisCommandCaller = { call(command: string, ...args: string[]): Promise<unknown> };

const MODES: readonly RedisDurabilityMode[] = ['strict', 'relaxed'];

/** DAUNTLESS_REDIS_DURABILITY: strict (default) or relaxed (development only). */
export function loadRedisDurabilityMode(env: NodeJS.ProcessEnv = process.env): RedisDurabilityMode {
  const raw = env.DAUNTLESS_REDIS_DURABILITY?.trim().toLowerCase();
  if (raw === undefined || raw === '') return 'strict';
  if (!(MODES as readonly string[]).includes(raw)) {
    throw new DauntlessError(
      'CONFIG_INVALID',
      `DAUNTLESS_REDIS_DURABILITY=${env.DAUNTLESS_REDIS_DURABILITY} is not a mode: write strict (the default) or relaxed (development only: accepts a Redis that fsyncs once a second), or leave it unset.`,
    );
  }
  return raw as RedisDurabilityMode;
}

/** What is wrong with these settings for the services' commit rule, in sentences that say what to set. Pure. */
export function judgeRedisDurability(settings: RedisDurabilitySettings, mode: RedisDurabilityMode): RedisDurabilityVerdict {
  const refusals: string[] = [];
  const warnings: string[] = [];
  const fsyncProblems: string[] = [];

  if (settings.appendonly !== undefined && settings.appendonly !== 'yes') {
    refusals.push(
      `Redis has no append-only file (appendonly ${settings.appendonly}), so a restart loses the identity graph while Kafka offsets past it are committed: start Redis with appendonly yes and appendfsync always.`,
    );
  }
  if (settings.maxmemoryPolicy !== undefined && settings.maxmemoryPolicy !== 'noeviction') {
    refusals.push(
      `Redis may evict keys when its memory is full (maxmemory-policy ${settings.maxmemoryPolicy}), which would silently drop parts of the graph: set maxmemory-policy noeviction, so a full Redis refuses writes and the services retry.`,
    );
  }
  if (settings.appendonly === 'yes' || settings.appendonly === undefined) {
    if (settings.appendfsync !== undefined && settings.appendfsync !== 'always') {
      fsyncProblems.push(
        `Redis acknowledges writes before they are on disk (appendfsync ${settings.appendfsync}), and the services commit Kafka offsets once Redis acknowledges, so a host crash would lose graph writes whose offsets are committed: set appendfsync always.`,
      );
    }
    if (settings.noAppendfsyncOnRewrite !== undefined && settings.noAppendfsyncOnRewrite !== 'no') {
      fsyncProblems.push(
        `Redis skips fsync while it rewrites its append-only file (no-appendfsync-on-rewrite ${settings.noAppendfsyncOnRewrite}), so writes acknowledged then are not on disk: set no-appendfsync-on-rewrite no.`,
      );
    }
  }
  if (mode === 'strict' && fsyncProblems.length > 0) {
    refusals.push(...fsyncProblems, 'The local stack sets both when Redis starts (npm run stack:down && npm run stack:up keeps the graph); DAUNTLESS_REDIS_DURABILITY=relaxed accepts a weaker fsync for development only.');
  }
  else warnings.push(...fsyncProblems.map((problem) => `${problem} Accepted because DAUNTLESS_REDIS_DURABILITY=relaxed: for development only.`));

  const unknown = [
    settings.appendonly === undefined && 'appendonly',
    settings.appendfsync === undefined && 'appendfsync',
    settings.noAppendfsyncOnRewrite === undefined && 'no-appendfsync-on-rewrite',
    settings.maxmemoryPolicy === undefined && 'maxmemory-policy',
  ].filter((name): name is string => typeof name === 'string');
  if (unknown.length > 0) {
    warnings.push(
      `Could not check ${unknown.join(', ')}${settings.unreadable ? ` (${settings.unreadable})` : ''}: whoever runs this Redis must make sure every write is on disk before it is acknowledged (appendfsync always, or the provider's equivalent) and that nothing is evicted.`,
    );
  }
  return { refusals, warnings };
}

function fieldOf(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*?)\\r?$`, 'm').exec(info)?.[1];
}

/**
 * Reads the settings with CONFIG GET; where CONFIG is refused (renamed or
 * denied on a managed Redis) falls back to INFO, which shows whether the
 * append-only file is on and the eviction policy but not the fsync policy.
 */
export async function readRedisDurabilitySettings(redis: RedisCommandCaller): Promise<RedisDurabilitySettings> {
  try {
    const reply = (await redis.call('CONFIG', 'GET', 'appendonly', 'appendfsync', 'no-appendfsync-on-rewrite', 'maxmemory-policy')) as string[];
    const config = new Map<string, string>();
    for (let i = 0; i + 1 < reply.length; i += 2) config.set(reply[i]!, reply[i + 1]!);
    return {
      appendonly: config.get('appendonly'),
      appendfsync: config.get('appendfsync'),
      noAppendfsyncOnRewrite: config.get('no-appendfsync-on-rewrite'),
      maxmemoryPolicy: config.get('maxmemory-policy'),
    };
  } catch (error) {
    const persistence = String(await redis.call('INFO', 'persistence'));
    const memory = String(await redis.call('INFO', 'memory'));
    const aofEnabled = fieldOf(persistence, 'aof_enabled');
    return {
      appendonly: aofEnabled === undefined ? undefined : aofEnabled === '1' ? 'yes' : 'no',
      maxmemoryPolicy: fieldOf(memory, 'maxmemory_policy'),
      unreadable: `CONFIG GET refused: ${(error as Error).message}; read from INFO instead`,
    };
  }
}

/**
 * At start, before consuming: reads the Redis's settings and throws
 * CONFIG_INVALID, saying what to set, when an acknowledged write could be
 * lost; logs what was accepted.
 */
export async function checkRedisDurability({
  redis,
  logger,
  env = process.env,
  waitMs = { initial: 200, max: 5_000 },
}: {
  redis: RedisCommandCaller;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** Backoff while Redis does not answer at all (it may start after this service): the check waits, it does not give up. */
  waitMs?: { initial: number; max: number };
}): Promise<RedisDurabilitySettings> {
  const mode = loadRedisDurabilityMode(env);
  let settings: RedisDurabilitySettings | undefined;
  for (let delay = waitMs.initial; settings === undefined; delay = Math.min(waitMs.max, delay * 2)) {
    try {
      settings = await readRedisDurabilitySettings(redis);
    } catch (error) {
      // A reply from Redis (ReplyError) is an answer: a refusal to judge, not a Redis to wait for.
      if ((error as Error)?.name === 'ReplyError') throw error;
      logger.warn({ err: (error as Error)?.message, delayMs: delay }, 'Redis is not answering; its durability is checked once it does');
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  const { refusals, warnings } = judgeRedisDurability(settings, mode);
  if (refusals.length > 0) throw new DauntlessError('CONFIG_INVALID', refusals.join(' '));
  for (const warning of warnings) logger.warn({ redisDurability: mode }, warning);
  logger.info({ redisDurability: mode, ...settings }, 'redis durability checked');
  return settings;
}
