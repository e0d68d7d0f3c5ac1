// The graph survives Redis killed and started again from its append-only file,
// with the local stack's users (deploy/redis-acl.ts): a Redis of the test's
// own (it is killed), with the stack's settings and its ACL file as
// renderAclFile writes it. Redis 7.0 replays the file as the default user, and
// a script's writes are kept in it as MULTI/EXEC: with a default user that may
// run nothing, the replay refused every one and a restart lost the whole graph,
// while every write the services made alone survived. Found by the fault test
// (a Redis restart mid-stream left answered calls off the graph).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { renderAclFile, sha256Hex } from '../../deploy/redis-acl.ts';
import { freePort } from '../../scripts/pipeline/free-port.ts';
import { REDIS_USER } from '../../shared/redis/redis-connection.ts';

const password = (user: string) => `pw-${user}`;
const servers: ChildProcess[] = [];
let dir: string | undefined;

afterAll(async () => {
  for (const server of servers) server.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** redis-server as stack.sh starts it (less TLS: what is tested is the same without it), on `port`, in `dir`. */
async function startRedis(port: number, aclFile: string): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir!, '--aclfile', aclFile, '--appendonly', 'yes', '--appendfsync', 'always', '--maxmemory-policy', 'noeviction', '--save', '', '--logfile', ''], { stdio: 'ignore' });
  servers.push(child);
  const probe = new Redis({ host: '127.0.0.1', port, username: REDIS_USER.admin, password: password(REDIS_USER.admin), retryStrategy: () => 50, maxRetriesPerRequest: null });
  probe.on('error', () => undefined);
  // Answers only once the append-only file is loaded.
  await probe.ping();
  probe.disconnect();
  return child;
}

describe('Redis with the stack\'s users, killed and started again from its append-only file', () => {
  it("keeps a script's writes (MULTI/EXEC in the file), and still lets no one in without a user", async () => {
    dir = await mkdtemp(join(tmpdir(), 'dauntless-aof-'));
    const aclFile = join(dir, 'users.acl');
    await writeFile(aclFile, renderAclFile((user) => sha256Hex(password(user))));
    const port = await freePort();
    const first = await startRedis(port, aclFile);

    const resolver = new Redis({ host: '127.0.0.1', port, username: REDIS_USER.resolver, password: password(REDIS_USER.resolver) });
    // Two writes in one script, as record-event.lua and apply.lua make.
    await resolver.eval("redis.call('HSET', KEYS[1], 'facts', ARGV[1]); redis.call('HINCRBY', KEYS[2], 'incidents', 1); return 1", 2, 'test.aof:{g}:evt:E1', 'test.aof:{g}:events', '{"kind":"incident"}');
    await resolver.set('test.aof:{g}:alone', '1');
    resolver.disconnect();
    first.kill('SIGKILL');
    await new Promise((done) => first.once('exit', done));

    await startRedis(port, aclFile);
    const admin = new Redis({ host: '127.0.0.1', port, username: REDIS_USER.admin, password: password(REDIS_USER.admin) });
    expect(await admin.hget('test.aof:{g}:evt:E1', 'facts')).toBe('{"kind":"incident"}');
    expect(await admin.hget('test.aof:{g}:events', 'incidents')).toBe('1');
    expect(await admin.get('test.aof:{g}:alone')).toBe('1');
    admin.disconnect();

    // No ready check: ioredis's INFO would be refused first and close the connection.
    const anonymous = new Redis({ host: '127.0.0.1', port, enableReadyCheck: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    anonymous.on('error', () => undefined);
    await expect(anonymous.get('test.aof:{g}:alone')).rejects.toThrow(/NOAUTH/);
    anonymous.disconnect();
  });
});
