import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRedisConnection, REDIS_USER } from './redis-connection.ts';
import { redisClientOptions } from './create-redis.ts';

const stack = mkdtempSync(join(tmpdir(), 'dauntless-redis-connection-'));
mkdirSync(join(stack, 'secrets'));
mkdirSync(join(stack, 'tls'));
writeFileSync(join(stack, 'secrets', 'redis-dauntless-resolver.password'), 'resolver-pw\n');
writeFileSync(join(stack, 'tls', 'ca.pem'), '-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n');
writeFileSync(join(stack, 'endpoints.env'), `REDIS_URL=rediss://127.0.0.1:6379\nDAUNTLESS_CA_FILE=${join(stack, 'tls', 'ca.pem')}\n`);
const empty = mkdtempSync(join(tmpdir(), 'dauntless-no-stack-'));
afterAll(() => [stack, empty].forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('loadRedisConnection', () => {
  it("takes the service's own user and password from the stack's secrets, and the CA for rediss://", () => {
    const connection = loadRedisConnection({ DAUNTLESS_STACK_DIR: stack }, REDIS_USER.resolver);
    expect(connection).toEqual({ url: 'rediss://127.0.0.1:6379', username: 'dauntless-resolver', password: 'resolver-pw', ca: expect.stringContaining('BEGIN CERTIFICATE') });
    expect(redisClientOptions(connection)).toMatchObject({ url: 'rediss://127.0.0.1:6379', username: 'dauntless-resolver', tls: { ca: connection.ca } });
  });

  it('lets DAUNTLESS_REDIS_USER and DAUNTLESS_REDIS_PASSWORD(_FILE) name another user', () => {
    const file = join(stack, 'other.password');
    writeFileSync(file, 'other-pw\n');
    expect(loadRedisConnection({ DAUNTLESS_STACK_DIR: stack, DAUNTLESS_REDIS_USER: 'ops', DAUNTLESS_REDIS_PASSWORD_FILE: file }, REDIS_USER.resolver)).toMatchObject({ username: 'ops', password: 'other-pw' });
    expect(() => loadRedisConnection({ DAUNTLESS_STACK_DIR: stack, DAUNTLESS_REDIS_USER: 'ops' }, REDIS_USER.resolver)).toThrow(/DAUNTLESS_REDIS_USER=ops has no password: set DAUNTLESS_REDIS_PASSWORD/);
  });

  it("sends no user to a Redis other than the stack's, though the stack's secrets are there", () => {
    expect(loadRedisConnection({ DAUNTLESS_STACK_DIR: stack, REDIS_URL: 'redis://127.0.0.1:6380' }, REDIS_USER.resolver)).toEqual({ url: 'redis://127.0.0.1:6380' });
    expect(loadRedisConnection({ DAUNTLESS_STACK_DIR: stack, REDIS_URL: 'rediss://127.0.0.1:6379' }, REDIS_USER.resolver)).toMatchObject({ username: 'dauntless-resolver' });
  });

  it('sends no user where the stack wrote none (a Redis of one\'s own), and no TLS for redis://', () => {
    const connection = loadRedisConnection({ DAUNTLESS_STACK_DIR: empty, REDIS_URL: 'redis://127.0.0.1:6380' }, REDIS_USER.scorer);
    expect(connection).toEqual({ url: 'redis://127.0.0.1:6380' });
    expect(redisClientOptions(connection)).toEqual({ url: 'redis://127.0.0.1:6380' });
    expect(loadRedisConnection({ DAUNTLESS_STACK_DIR: empty, REDIS_URL: 'redis://h:1', DAUNTLESS_REDIS_PASSWORD: 'p' }, REDIS_USER.scorer)).toEqual({ url: 'redis://h:1', password: 'p' });
  });
});
