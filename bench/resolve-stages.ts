// `npx tsx bench/resolve-stages.ts [--input FILE.csv] [--limit N]`: where the
// time of `dauntless resolve` goes, per record. Resolves historical_50k_dev
// (or FILE, with its columns), one record at a time in file order, through
// the Redis identity graph of the running stack, like bench/resolve.sh; the
// store is wrapped so that its calls are timed apart from the resolver's own
// work (features, blocking, scoring, deciding). A graph of its own, emptied
// before and after. The LAST line is one JSON object: microseconds per record
// for each part, and records per second.

import { pino } from 'pino';
import { mapRow, parseMapping } from '../shared/er/csv-mapping.ts';
import type { IdentityStore } from '../shared/er/identity-store.ts';
import { defaultPersonModel } from '../shared/er/model.ts';
import { readCsv } from '../shared/er/read-csv.ts';
import { resolveRecord } from '../shared/er/resolve-record.ts';
import { createRedisIdentityStore } from '../shared/graph/redis-identity-store.ts';
import { createLogger } from '../shared/logging/create-logger.ts';
import { createRedis } from '../shared/redis/create-redis.ts';
import { loadRedisConnection, REDIS_USER } from '../shared/redis/redis-connection.ts';

const input = argument('--input') ?? `${process.env.DAUNTLESS_ER_DATA ?? '../shared/data/er'}/splink_datasets/historical_50k_dev.csv`;
const limit = Number(argument('--limit') ?? Infinity);
// The mapping of bench/resolve.sh.
const mapping = parseMapping(
  'first_name=given_name,surname=family_name,dob=dob,postcode_fake=postcode,gender=gender,birth_place=attr:birth_place,occupation=attr:occupation',
);

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** Microseconds spent in each store call, summed. */
const spent = { candidates: 0, apply: 0 };

function timed(store: IdentityStore): IdentityStore {
  const time = async <T>(part: keyof typeof spent, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await run();
    } finally {
      spent[part] += (performance.now() - started) * 1000;
    }
  };
  return {
    candidates: (request) => time('candidates', () => store.candidates(request)),
    apply: (change, token) => time('apply', () => store.apply(change, token)),
    entityOfRecord: (recordId) => store.entityOfRecord(recordId),
  };
}

// Logs to standard error: the last line on standard output is the figures.
const logger = createLogger('bench-resolve-stages', { level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
const redis = createRedis({ connection: loadRedisConnection(process.env, REDIS_USER.admin), logger, maxRetriesPerRequest: 3 });
const graph = createRedisIdentityStore({ redis, namespace: 'bench:{resolve-stages}' });
await graph.clear();
const store = timed(graph);
const referenceDate = new Date('2026-01-01T00:00:00Z');
let records = 0;
let resolving = 0;
let other = 0;
const started = performance.now();
let previous = started;
for await (const row of readCsv(input)) {
  if (records >= limit) break;
  const record = mapRow(row, mapping, { recordId: row.unique_id ?? String(records), source: `csv:${input}` });
  const before = performance.now();
  await resolveRecord(record, { store, model: defaultPersonModel, referenceDate });
  const after = performance.now();
  resolving += (after - before) * 1000;
  other += (before - previous) * 1000;
  previous = after;
  records += 1;
}
const seconds = (performance.now() - started) / 1000;
await graph.clear();
redis.disconnect();

const perRecord = (us: number): number => Math.round(us / records);
const figures = {
  records,
  records_per_second: Math.round(records / seconds),
  us_per_record: {
    store_candidates: perRecord(spent.candidates),
    store_apply: perRecord(spent.apply),
    resolver_own_work: perRecord(resolving - spent.candidates - spent.apply),
    csv_and_mapping: perRecord(other),
  },
};
console.log(`records ${records}, ${figures.records_per_second}/s; µs per record:`);
for (const [part, us] of Object.entries(figures.us_per_record)) console.log(`  ${part.padEnd(18)} ${us}`);
console.log(JSON.stringify(figures));
