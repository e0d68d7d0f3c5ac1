// A redis-server of a test's own, with settings the shared stack's Redis must
// not be given (no CONFIG SET there: other tests use it): a free loopback
// port, a temporary folder for its files, removed again by stop(). Plaintext
// and without users on purpose: it holds only its test's data, listens on
// loopback for the length of one test or benchmark, and what it tests (the
// durability check, fsync costs) is the same with or without TLS and ACLs.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port.ts';

export type OwnRedisServer = { redis: Redis; url: string; stop(): Promise<void> };


/** Starts `redis-server` with `args` (e.g. ['--appendonly', 'no']) and a client connected to it. */
export async function startOwnRedisServer(args: string[]): Promise<OwnRedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'dauntless-redis-'));
  const port = await freePort();
  const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', '--logfile', '', ...args], { stdio: 'ignore' });
  const exited = new Promise((done) => child.once('exit', done));
  // Commands wait in ioredis's queue until the server listens.
  const redis = new Redis({ host: '127.0.0.1', port, retryStrategy: () => 50 });
  const ignoreRefusals = () => undefined;
  redis.on('error', ignoreRefusals);
  try {
    await Promise.race([redis.ping(), new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it answered`))))]);
  } catch (error) {
    redis.disconnect();
    child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  redis.off('error', ignoreRefusals);
  return {
    redis,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      redis.disconnect();
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
