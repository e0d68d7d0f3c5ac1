import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging/create-logger.ts';
import { createRedis } from './create-redis.ts';

describe('createRedis', () => {
  it('logs a failed connection through the logger it was given, without the URL, and keeps the options of the call site', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    });
    const logger = createLogger('test', { level: 'warn' }, sink);
    // Port 1 is closed: the first attempt fails at once, and this strategy never tries again.
    const redis = createRedis({ connection: { url: 'redis://127.0.0.1:1', username: 'user', password: 'secret' }, logger, maxRetriesPerRequest: 0, retryStrategy: () => null });
    expect(redis.options.maxRetriesPerRequest).toBe(0);
    await expect(redis.get('anything')).rejects.toThrow();
    redis.disconnect();
    await new Promise((done) => setImmediate(done));

    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatchObject({ level: 40, service: 'test', stage: 'redis', code: 'ECONNREFUSED', msg: 'Redis connection error' });
    expect(JSON.stringify(lines)).not.toContain('secret');
  });
});
