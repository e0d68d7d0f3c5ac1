import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { checkRedisDurability } from '../../shared/redis/check-redis-durability.ts';
import { REDIS_COMMAND } from '../../deploy/servers.ts';
import { startOwnRedisServer, type OwnRedisServer } from '../../scripts/pipeline/own-redis-server.ts';

// Each test starts a redis-server of its own with the settings it needs.
let server: OwnRedisServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

function capturingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const logger = createLogger('test', { level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
  return { logger, warnings: () => lines.filter((line) => line.level === 40).map((line) => line.msg) };
}

describe('the services\' start-up check of Redis durability, against a real redis-server', () => {
  it('refuses a Redis without the append-only file that evicts keys, saying what to set', async () => {
    server = await startOwnRedisServer(['--appendonly', 'no', '--maxmemory', '64mb', '--maxmemory-policy', 'allkeys-lru']);
    const { logger } = capturingLogger();
    await expect(checkRedisDurability({ redis: server.redis, logger, env: {} })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(/appendonly no.*start Redis with appendonly yes and appendfsync always.*maxmemory-policy allkeys-lru.*set maxmemory-policy noeviction/),
    });
  });

  it('refuses an fsync once a second, unless relaxed for development, and then says so at warn', async () => {
    server = await startOwnRedisServer(['--appendonly', 'yes', '--appendfsync', 'everysec']);
    const { logger, warnings } = capturingLogger();
    await expect(checkRedisDurability({ redis: server.redis, logger, env: {} })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/appendfsync everysec.*set appendfsync always/) });
    await expect(checkRedisDurability({ redis: server.redis, logger, env: { DAUNTLESS_REDIS_DURABILITY: 'relaxed' } })).resolves.toMatchObject({ appendfsync: 'everysec' });
    expect(warnings()).toEqual([expect.stringMatching(/appendfsync everysec.*for development only/)]);
  });

  it('accepts the Redis every stack runs (deploy/servers.ts), with no warning', async () => {
    server = await startOwnRedisServer(REDIS_COMMAND.slice(1));
    const { logger, warnings } = capturingLogger();
    await expect(checkRedisDurability({ redis: server.redis, logger, env: {} })).resolves.toEqual({
      appendonly: 'yes',
      appendfsync: 'always',
      noAppendfsyncOnRewrite: 'no',
      maxmemoryPolicy: 'noeviction',
    });
    expect(warnings()).toEqual([]);
  });

  it('where CONFIG is refused, checks what INFO shows and says what it could not check', async () => {
    server = await startOwnRedisServer([...REDIS_COMMAND.slice(1), '--rename-command', 'CONFIG', '']);
    const { logger, warnings } = capturingLogger();
    await expect(checkRedisDurability({ redis: server.redis, logger, env: {} })).resolves.toEqual({
      appendonly: 'yes',
      maxmemoryPolicy: 'noeviction',
      unreadable: expect.stringMatching(/^CONFIG GET refused: /),
    });
    expect(warnings()).toEqual([expect.stringMatching(/^Could not check appendfsync, no-appendfsync-on-rewrite \(CONFIG GET refused: .*\)/)]);
  });
});
