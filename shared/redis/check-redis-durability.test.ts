import { describe, expect, it } from 'vitest';
import { DauntlessError } from '../errors/dauntless-error.ts';
import { createLogger } from '../logging/create-logger.ts';
import { checkRedisDurability, judgeRedisDurability, loadRedisDurabilityMode, readRedisDurabilitySettings, type RedisCommandCaller } from './check-redis-durability.ts';

const durable = { appendonly: 'yes', appendfsync: 'always', noAppendfsyncOnRewrite: 'no', maxmemoryPolicy: 'noeviction' };

describe('judgeRedisDurability', () => {
  it('accepts the append-only file fsynced on every write, never skipped, with nothing evicted', () => {
    expect(judgeRedisDurability(durable, 'strict')).toEqual({ refusals: [], warnings: [] });
  });

  it('refuses a Redis without the append-only file, saying to turn it on', () => {
    const { refusals } = judgeRedisDurability({ ...durable, appendonly: 'no' }, 'strict');
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatch(/appendonly no.*start Redis with appendonly yes and appendfsync always/);
  });

  it('refuses a Redis that evicts keys, saying to set noeviction', () => {
    const { refusals } = judgeRedisDurability({ ...durable, maxmemoryPolicy: 'allkeys-lru' }, 'strict');
    expect(refusals).toEqual([expect.stringMatching(/maxmemory-policy allkeys-lru.*set maxmemory-policy noeviction/)]);
  });

  it('refuses an fsync once a second, and a skipped fsync during rewrites', () => {
    const restart = expect.stringMatching(/npm run stack:down && npm run stack:up.*DAUNTLESS_REDIS_DURABILITY=relaxed accepts a weaker fsync for development only/);
    expect(judgeRedisDurability({ ...durable, appendfsync: 'everysec' }, 'strict').refusals).toEqual([expect.stringMatching(/appendfsync everysec.*set appendfsync always/), restart]);
    expect(judgeRedisDurability({ ...durable, appendfsync: 'no' }, 'strict').refusals).toHaveLength(2);
    expect(judgeRedisDurability({ ...durable, noAppendfsyncOnRewrite: 'yes' }, 'strict').refusals).toEqual([expect.stringMatching(/set no-appendfsync-on-rewrite no/), restart]);
  });

  it('when relaxed, accepts a weaker fsync with a warning, but never a missing file or eviction', () => {
    expect(judgeRedisDurability({ ...durable, appendfsync: 'everysec' }, 'relaxed')).toEqual({
      refusals: [],
      warnings: [expect.stringMatching(/appendfsync everysec.*DAUNTLESS_REDIS_DURABILITY=relaxed: for development only/)],
    });
    expect(judgeRedisDurability({ ...durable, appendonly: 'no', maxmemoryPolicy: 'allkeys-lru' }, 'relaxed').refusals).toHaveLength(2);
  });

  it('says the fsync policy once the file is off: the missing file is the refusal', () => {
    const { refusals } = judgeRedisDurability({ ...durable, appendonly: 'no', appendfsync: 'everysec' }, 'strict');
    expect(refusals).toEqual([expect.stringMatching(/appendonly no/)]);
  });

  it('accepts what it could not read with a warning that names it and why', () => {
    const verdict = judgeRedisDurability({ appendonly: 'yes', maxmemoryPolicy: 'noeviction', unreadable: 'CONFIG GET refused: NOPERM' }, 'strict');
    expect(verdict.refusals).toEqual([]);
    expect(verdict.warnings).toEqual([expect.stringMatching(/^Could not check appendfsync, no-appendfsync-on-rewrite \(CONFIG GET refused: NOPERM\)/)]);
  });
});

describe('loadRedisDurabilityMode', () => {
  it('is strict unless told relaxed, and refuses any other word', () => {
    expect(loadRedisDurabilityMode({})).toBe('strict');
    expect(loadRedisDurabilityMode({ DAUNTLESS_REDIS_DURABILITY: ' Relaxed ' })).toBe('relaxed');
    expect(() => loadRedisDurabilityMode({ DAUNTLESS_REDIS_DURABILITY: 'off' })).toThrow(/write strict \(the default\) or relaxed/);
  });
});

function fakeRedis(replies: Record<string, unknown>): RedisCommandCaller {
  return {
    async call(command, ...args) {
      const reply = replies[[command, args[0]].join(' ')];
      if (reply instanceof Error) throw reply;
      return reply;
    },
  };
}

describe('readRedisDurabilitySettings', () => {
  it('reads CONFIG GET', async () => {
    const redis = fakeRedis({ 'CONFIG GET': ['appendonly', 'yes', 'appendfsync', 'always', 'no-appendfsync-on-rewrite', 'no', 'maxmemory-policy', 'noeviction'] });
    expect(await readRedisDurabilitySettings(redis)).toEqual(durable);
  });

  it('falls back to INFO where CONFIG is refused, and says so', async () => {
    const redis = fakeRedis({
      'CONFIG GET': new Error("ERR unknown command 'CONFIG'"),
      'INFO persistence': '# Persistence\r\nloading:0\r\naof_enabled:1\r\naof_rewrite_in_progress:0\r\n',
      'INFO memory': '# Memory\r\nused_memory:1\r\nmaxmemory_policy:volatile-lru\r\n',
    });
    expect(await readRedisDurabilitySettings(redis)).toEqual({
      appendonly: 'yes',
      maxmemoryPolicy: 'volatile-lru',
      unreadable: "CONFIG GET refused: ERR unknown command 'CONFIG'; read from INFO instead",
    });
  });
});

describe('checkRedisDurability', () => {
  const logger = createLogger('test', { level: 'silent' });

  it('throws CONFIG_INVALID with every refusal in one message', async () => {
    const redis = fakeRedis({ 'CONFIG GET': ['appendonly', 'no', 'appendfsync', 'everysec', 'no-appendfsync-on-rewrite', 'no', 'maxmemory-policy', 'allkeys-lru'] });
    const error = await checkRedisDurability({ redis, logger, env: {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DauntlessError);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', retriable: false });
    expect((error as Error).message).toMatch(/appendonly no.*maxmemory-policy allkeys-lru/);
  });
});
