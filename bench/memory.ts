// npm run bench:memory [-- --records 100000 --stream project|independent --sample 20000]
// What the identity graph costs in Redis, per person record. Calls of a
// fixed-seed stream are resolved by the resolver's own incident stage (in
// this process, no Kafka) into a graph of the bench's own on the running
// stack's Redis, until --records person records are on it; then:
//   - used_memory before and after, divided by the records (what a force
//     must provision, allocator overhead included);
//   - key by key: every key of the graph is classed by its kind (the record
//     hash, the event hash, a blocking key ...; shared/graph/redis-identity-store.ts
//     and incident-graph.ts list them) and MEMORY USAGE is summed per kind
//     over a sample of --sample keys of each kind, scaled to all of them.
// The graph is removed afterwards: left behind, its keys would lengthen every
// later AOF rewrite of the local Redis. Progress goes to stderr; the LAST line
// is one JSON object. Loading runs at the resolver's speed (a few hundred
// calls a second here), so 1,000,000 records takes about an hour.
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import { createCallStream, type SimulatedCall } from '../shared/synth/call-stream.ts';
import { independentEvalStream } from '../shared/synth/independent/london-stream.ts';
import { createRedisIdentityStore } from '../shared/graph/redis-identity-store.ts';
import { createIncidentGraph } from '../shared/graph/incident-graph.ts';
import { defaultPersonModel } from '../shared/er/model.ts';
import { createLogger } from '../shared/logging/create-logger.ts';
import { createRedis } from '../shared/redis/create-redis.ts';
import { loadRedisConnection, REDIS_USER } from '../shared/redis/redis-connection.ts';
import { clearNamespace } from '../shared/redis/keys.ts';
import type { AvroCodec } from '../shared/schema-registry/avro-codec.ts';
import { createIncidentStage } from '../services/resolver/incident-stage.ts';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    stream: { type: 'string', default: 'project' },
    sample: { type: 'string', default: '20000' },
  },
});
const records = Number(values.records);
const sample = Number(values.sample);
if (!(Number.isInteger(records) && records > 0)) throw new Error(`--records needs a whole number above 0 (got "${values.records}")`);
if (!(Number.isInteger(sample) && sample > 0)) throw new Error(`--sample needs a whole number above 0 (got "${values.sample}")`);
if (values.stream !== 'project' && values.stream !== 'independent') throw new Error(`--stream is project or independent (got "${values.stream}")`);

const DAY = 86_400_000;
const NAMESPACE = 'bench:{memory}';
const say = (line: string) => process.stderr.write(line + '\n');

/** The kinds of key on a graph, by the part after the namespace (longest prefix first). */
const KINDS: readonly [kind: string, test: (rest: string) => boolean][] = [
  ['record hash (rec:)', (k) => k.startsWith('rec:')],
  ['event hash (evt:)', (k) => k.startsWith('evt:')],
  ['incident versions (inc:)', (k) => k.startsWith('inc:')],
  ['blocking key (blk:)', (k) => k.startsWith('blk:')],
  ['entity members (ent:*:members)', (k) => k.startsWith('ent:') && k.endsWith(':members')],
  ['entity merges (ent:*:merges)', (k) => k.startsWith('ent:') && k.endsWith(':merges')],
  ['entity not-with (ent:*:notwith)', (k) => k.startsWith('ent:') && k.endsWith(':notwith')],
  ['entity hash (ent:)', (k) => k.startsWith('ent:')],
  ['merge hash (merge:)', (k) => k.startsWith('merge:')],
  ['term counts (tf)', (k) => k === 'tf'],
  ['record → event (recevt)', (k) => k === 'recevt'],
  ['other', () => true],
];
const kindOf = (key: string) => KINDS.find(([, test]) => test(key.slice(NAMESPACE.length + 1)))![0];

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)![1]);
}

/** Every key of the graph, counted by kind, with MEMORY USAGE summed over the first `sample` of each kind. */
async function keysByKind(redis: Redis) {
  const kinds = new Map<string, { keys: number; sampled: number; bytes: number }>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${NAMESPACE}:*`, 'COUNT', 1000);
    cursor = next;
    const pipeline = redis.pipeline();
    const measured: string[] = [];
    for (const key of keys) {
      const kind = kindOf(key);
      const row = kinds.get(kind) ?? { keys: 0, sampled: 0, bytes: 0 };
      kinds.set(kind, row);
      row.keys++;
      if (row.sampled + measured.filter((k) => k === kind).length < sample) {
        measured.push(kind);
        // SAMPLES 0: every element of a big hash or zset, not an estimate from five of them.
        pipeline.memory('USAGE', key, 'SAMPLES', 0);
      }
    }
    const replies = (await pipeline.exec()) ?? [];
    replies.forEach(([error, bytes], i) => {
      if (error) throw error;
      const row = kinds.get(measured[i]!)!;
      row.sampled++;
      row.bytes += Number(bytes);
    });
  } while (cursor !== '0');
  return kinds;
}

async function main(): Promise<void> {
  const logger = createLogger('bench-memory', { level: 'silent' });
  const redis = createRedis({ connection: loadRedisConnection(process.env, REDIS_USER.admin), logger, maxRetriesPerRequest: 3 });
  try {
    await clearNamespace(redis, NAMESPACE);
    const before = await usedMemory(redis);
    // The resolver's own stage over the bench's own graph; no in-process mirror of the candidate
    // index, which is the resolver's memory, not Redis's.
    const store = createRedisIdentityStore({ redis, namespace: NAMESPACE, mirrorKeys: 0 });
    const graph = createIncidentGraph({ redis, namespace: NAMESPACE });
    const stage = createIncidentStage({ codec: {} as AvroCodec, store, graph, model: defaultPersonModel, logger });
    // About 2.5 parties a call and people calling more than once: a population of half the records
    // gives a mix of new and known people like the evaluation's streams.
    const calls = Math.ceil(records / 2);
    const stream: { next(): SimulatedCall } =
      values.stream === 'project'
        ? createCallStream({ seed: 'bench-memory', persons: Math.max(20_000, Math.ceil(records / 2)), start: new Date(Date.UTC(2025, 0, 1)), meanGapMs: (530 * DAY) / calls, horizonCalls: calls, runId: 'benchmemory' })
        : independentEvalStream({ seed: 'bench-memory', calls, end: Date.UTC(2026, 10, 1) });
    const started = Date.now();
    let loaded = 0;
    let incidents = 0;
    let lastSaid = started;
    while (loaded < records) {
      const { incident } = stream.next();
      await stage.handle(incident, { topic: 'bench', partition: 0, message: { offset: String(incidents), key: null, value: null, timestamp: '0', attributes: 0, headers: {} } as never });
      incidents++;
      loaded += incident.parties.length;
      if (Date.now() - lastSaid > 10_000) {
        lastSaid = Date.now();
        const rate = incidents / ((lastSaid - started) / 1000);
        say(`  ${loaded}/${records} records, ${incidents} calls, ${rate.toFixed(0)} calls/s, about ${((records - loaded) / (loaded / incidents) / rate / 60).toFixed(1)} min left`);
      }
    }
    const loadSeconds = (Date.now() - started) / 1000;
    const after = await usedMemory(redis);
    const meta = await redis.hgetall(`${NAMESPACE}:meta`);
    const entities = Number(meta.entities ?? 0);
    const kinds = await keysByKind(redis);
    const table = [...kinds].map(([kind, row]) => {
      const total = row.sampled ? (row.bytes / row.sampled) * row.keys : 0;
      return { kind, keys: row.keys, bytes_per_key: Math.round(row.bytes / Math.max(1, row.sampled)), bytes_per_record: Math.round(total / loaded) };
    });
    table.sort((a, b) => b.bytes_per_record - a.bytes_per_record);
    say('');
    say('| kind of key | keys | bytes a key | bytes a record |');
    say('| --- | --- | --- | --- |');
    for (const row of table) say(`| ${row.kind} | ${row.keys} | ${row.bytes_per_key} | ${row.bytes_per_record} |`);
    const perRecord = (after - before) / loaded;
    say('');
    say(`${loaded} person records of ${incidents} calls (${entities} people) in ${loadSeconds.toFixed(0)} s; used_memory +${((after - before) / 2 ** 20).toFixed(1)} MiB: ${perRecord.toFixed(0)} bytes a record, ${((after - before) / Math.max(1, entities)).toFixed(0)} a person`);
    process.stdout.write(
      JSON.stringify({
        stream: values.stream,
        records: loaded,
        calls: incidents,
        entities,
        used_memory_bytes: after - before,
        bytes_per_record: Math.round(perRecord),
        bytes_per_entity: Math.round((after - before) / Math.max(1, entities)),
        keys_sum_bytes_per_record: table.reduce((sum, row) => sum + row.bytes_per_record, 0),
        by_kind: Object.fromEntries(table.map((row) => [row.kind, row.bytes_per_record])),
        load_seconds: Math.round(loadSeconds),
      }) + '\n',
    );
  } finally {
    await clearNamespace(redis, NAMESPACE).catch(() => undefined);
    redis.disconnect();
  }
}

await main();
