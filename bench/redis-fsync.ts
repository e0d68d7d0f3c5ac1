// npm run bench:redis-fsync -- [--seconds 10] [--rate 200] [--rounds 2]
// What `appendfsync always` costs against `everysec` on this machine's disk,
// for the shape of the resolver's Redis work: six partitions at once, each
// call three parties resolved in order (a read script, then a write script
// per party) and the event recorded (a write script). Starts a redis-server
// of its own per policy in a temporary folder (never the stack's), rounds
// interleaved so the machine's noise falls on both, and removes it after.
// Two loads per policy: calls paced at --rate (the latency a call sees) and
// as fast as six partitions go (the ceiling). Last line: JSON.
import type { Redis } from 'ioredis';
import { flag, percentile } from '../scripts/pipeline/harness.ts';
import { startOwnRedisServer } from '../scripts/pipeline/own-redis-server.ts';

const args = process.argv.slice(2);
const seconds = flag(args, 'seconds', 10);
const rate = flag(args, 'rate', 200);
const rounds = flag(args, 'rounds', 2);
const PARTITIONS = 6;
const PARTIES = 3;
const POLICIES = ['everysec', 'always'] as const;
type Policy = (typeof POLICIES)[number];
const say = (line: string) => process.stderr.write(line + '\n');

// Shaped like candidates.lua (reads under blocking keys), apply.lua (a record
// filed under its keys, an entity's members and counters) and record-event.lua.
const READ = `local out = {} for i = 1, #KEYS do out[i] = redis.call('SRANDMEMBER', KEYS[i], 20) end return #out`;
const APPLY = `
  redis.call('HSET', KEYS[1], 'features', ARGV[2], 'entity', ARGV[1])
  redis.call('SADD', KEYS[2], ARGV[1])
  for i = 3, #KEYS do redis.call('SADD', KEYS[i], ARGV[1]) end
  redis.call('HINCRBY', KEYS[2] .. ':n', 'members', 1)
  return redis.call('INCR', KEYS[2] .. ':seq')`;
const RECORD = `
  if redis.call('HSETNX', KEYS[1], 'facts', ARGV[1]) == 0 then return 0 end
  redis.call('HINCRBY', KEYS[2], 'events', 1)
  return 1`;


// Over loopback TCP, as the services reach Redis; a server of its own per round, in a folder of its own.
async function startRedis(policy: Policy): Promise<{ redis: Redis; stop(): Promise<void> }> {
  const server = await startOwnRedisServer(['--appendonly', 'yes', '--appendfsync', policy]);
  server.redis.defineCommand('benchRead', { lua: READ });
  server.redis.defineCommand('benchApply', { lua: APPLY });
  server.redis.defineCommand('benchRecord', { lua: RECORD, numberOfKeys: 2 });
  return server;
}

type Commands = Redis & {
  benchRead(n: number, ...keysAndArgs: string[]): Promise<number>;
  benchApply(n: number, ...keysAndArgs: string[]): Promise<number>;
  benchRecord(...keysAndArgs: string[]): Promise<number>;
};

const FEATURES = 'x'.repeat(600); // about one person record's features, bytes

async function oneCall(redis: Commands, id: string): Promise<void> {
  for (let p = 0; p < PARTIES; p += 1) {
    const keys = [`b:{g}:n:${id}:${p}`, `b:{g}:p:${p}`, `b:{g}:d:${id.length % 50}`];
    await redis.benchRead(keys.length, ...keys);
    await redis.benchApply(keys.length + 2, `b:{g}:r:${id}:${p}`, `b:{g}:e:${id}:${p}`, ...keys, `e-${id}-${p}`, FEATURES);
  }
  await redis.benchRecord(`b:{g}:evt:${id}`, 'b:{g}:events', FEATURES);
}

/** Six partitions, each calling in order; paced at `perSecond` calls in all, or as fast as they go. */
async function load(redis: Commands, tag: string, perSecond: number | undefined): Promise<{ callsPerSecond: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  const end = started + seconds * 1000;
  let issued = 0;
  await Promise.all(Array.from({ length: PARTITIONS }, async (_, partition) => {
    for (let n = 0; ; n += 1) {
      const due = perSecond === undefined ? performance.now() : started + ((n * PARTITIONS + partition) * 1000) / perSecond;
      if (due >= end) return;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((done) => setTimeout(done, wait));
      const t0 = performance.now();
      await oneCall(redis, `${tag}-${partition}-${n}-${issued++}`);
      latencies.push(performance.now() - t0);
    }
  }));
  latencies.sort((a, b) => a - b);
  return { callsPerSecond: latencies.length / ((performance.now() - started) / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const results: Record<Policy, { paced: Awaited<ReturnType<typeof load>>[]; ceiling: Awaited<ReturnType<typeof load>>[] }> = {
  everysec: { paced: [], ceiling: [] },
  always: { paced: [], ceiling: [] },
};
{
  for (let round = 0; round < rounds; round += 1) {
    for (const policy of round % 2 === 0 ? POLICIES : [...POLICIES].reverse()) {
      const server = await startRedis(policy);
      try {
        const redis = server.redis as Commands;
        const paced = await load(redis, `r${round}p`, rate);
        const ceiling = await load(redis, `r${round}c`, undefined);
        results[policy].paced.push(paced);
        results[policy].ceiling.push(ceiling);
        say(`round ${round + 1} ${policy.padEnd(8)} at ${rate} calls/s: p50 ${paced.p50.toFixed(2)} ms, p99 ${paced.p99.toFixed(2)} ms per call; ceiling ${ceiling.callsPerSecond.toFixed(0)} calls/s (p50 ${ceiling.p50.toFixed(2)} ms)`);
      } finally {
        await server.stop();
      }
    }
  }
}

const summary = Object.fromEntries(POLICIES.map((policy) => [policy, {
  pacedP50Ms: median(results[policy].paced.map((r) => r.p50)),
  pacedP99Ms: median(results[policy].paced.map((r) => r.p99)),
  ceilingCallsPerSecond: median(results[policy].ceiling.map((r) => r.callsPerSecond)),
}]));
process.stdout.write(JSON.stringify({ rate, seconds, rounds, partitions: PARTITIONS, partiesPerCall: PARTIES, writesPerCall: PARTIES + 1, ...summary }) + '\n');
