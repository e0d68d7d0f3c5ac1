// npm run eval:er -- [--store memory|redis] [--sets a,b] [--split all|test] [--data DIR]
//
// Resolves each public set (../shared/data/er) one record at a time, in file
// order, through an IdentityStore, then reports pairwise precision, recall,
// F1 and blocking recall. Senzing demo_v3 is loaded in its three loads
// (customers, watchlist, reference) and compared with the expected clusters
// after each. `synthetic_london` is made in-process (fixed seed: 2,000
// people, 8,000 records typed as call handlers type them, in time order;
// see datasets.ts) and resolved in that order. Prints a table, the Senzing
// differences, and as the LAST line one JSON object with every figure.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createRedisIdentityStore } from '../../shared/graph/redis-identity-store.ts';
import { createLogger } from '../../shared/logging/create-logger.ts';
import { createRedis } from '../../shared/redis/create-redis.ts';
import { loadRedisConnection, REDIS_USER } from '../../shared/redis/redis-connection.ts';
import { findEndpoints } from '../../shared/config/endpoints.ts';
import type { IdentityStore } from '../../shared/er/identity-store.ts';
import { createMemoryIdentityStore } from '../../shared/er/memory-identity-store.ts';
import { defaultPersonModel, validateModel } from '../../shared/er/model.ts';
import { resolveRecord } from '../../shared/er/resolve-record.ts';
import { unlinkKeysUnder } from '../../shared/redis/keys.ts';
import { DATASET_NAMES, defaultDataDir, inTrainingSplit, loadDataset, REFERENCE_DATE, type DatasetName } from './datasets.ts';
import { blockingRecall, pairwise, type PairwiseFigures } from './pairwise.ts';
type StoreHandle = { store: IdentityStore; close?: () => Promise<void> };
type StoreFactory = (run: string) => Promise<StoreHandle>;

/** Stores to evaluate through. Adding one is an import and a case. */
function storeFactory(kind: string): StoreFactory {
  switch (kind) {
    case 'memory':
      return async () => ({ store: createMemoryIdentityStore() });
    case 'redis':
      return async (run) => {
        const url = findEndpoints().REDIS_URL;
        if (!url) throw new TypeError('--store redis: no REDIS_URL in the environment or the stack endpoints file: run `npm run stack:up` or set REDIS_URL');
        // Logs to standard error: standard output is the report, its last line JSON.
        const logger = createLogger('eval-er', { level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
        const redis = createRedis({ connection: loadRedisConnection({ ...process.env, REDIS_URL: url }, REDIS_USER.admin), logger, lazyConnect: false, maxRetriesPerRequest: 2 });
        // One graph per run, under its own hash tag; removed afterwards.
        const namespace = `dauntless:eval:{${run}}`;
        return {
          store: createRedisIdentityStore({ redis, namespace }),
          close: async () => {
            await unlinkKeysUnder(redis, `${namespace}:`);
            await redis.quit();
          },
        };
      };
    default:
      throw new TypeError(`--store ${kind}: unknown store; use memory or redis`);
  }
}

type LoadFigures = PairwiseFigures & {
  set: string;
  load: string;
  blockingRecall: number;
  recordsPerSecond: number;
  entities: number;
  merges: number;
  possibleReported: number;
  corroboratedLinks: number;
  /** Senzing: expected clusters not reproduced exactly. */
  clusterDifferences?: number;
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      store: { type: 'string', default: 'memory' },
      sets: { type: 'string', default: DATASET_NAMES.join(',') },
      split: { type: 'string', default: 'all' },
      data: { type: 'string' },
      model: { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
  });
  const sets = values.sets.split(',').map((s) => s.trim()) as DatasetName[];
  for (const s of sets) if (!DATASET_NAMES.includes(s)) throw new TypeError(`--sets: unknown set "${s}"; sets are ${DATASET_NAMES.join(', ')}`);
  if (values.split !== 'all' && values.split !== 'test') throw new TypeError('--split: use all or test (the half of clusters the model was not trained on)');
  const model = values.model ? validateModel(JSON.parse(readFileSync(values.model, 'utf8'))) : defaultPersonModel;
  const factory = storeFactory(values.store);
  const dataDir = values.data ?? defaultDataDir();
  const figures: LoadFigures[] = [];
  const differences: string[] = [];
  for (const name of sets) {
    const dataset = await loadDataset(name, dataDir);
    const handle = await factory(`${name}-${Date.now()}`);
    try {
      const truth = new Map<string, string>();
      const keysOf = new Map<string, readonly string[]>();
      let merges = 0;
      let possibleReported = 0;
      let corroborated = 0;
      for (const load of dataset.loads) {
        const started = performance.now();
        let resolved = 0;
        for (const { record, cluster } of load.records) {
          if (values.split === 'test' && !load.truthAfter && inTrainingSplit(name, cluster)) continue;
          const result = await resolveRecord(record, { store: handle.store, model, referenceDate: REFERENCE_DATE, phoneCountry: dataset.phoneCountry });
          keysOf.set(record.recordId, result.blockKeys);
          truth.set(record.recordId, cluster);
          resolved += 1;
          if (result.decision.outcome === 'merge') merges += 1;
          if (result.possible.length > 0) possibleReported += 1;
          const d = result.decision;
          if ((d.outcome === 'link' && d.score.corroboratedBy) || (d.outcome === 'merge' && Object.values(d.scores).some((s) => s.corroboratedBy))) corroborated += 1;
        }
        const seconds = (performance.now() - started) / 1000;
        if (load.truthAfter) for (const id of truth.keys()) truth.set(id, load.truthAfter.get(id) ?? `missing:${id}`);
        const predicted = new Map<string, string>();
        for (const id of truth.keys()) predicted.set(id, (await handle.store.entityOfRecord(id)) ?? `unresolved:${id}`);
        const p = pairwise(truth, predicted);
        const entities = new Set(predicted.values()).size;
        const row: LoadFigures = {
          set: name,
          load: load.label,
          ...p,
          blockingRecall: blockingRecall(truth, keysOf),
          recordsPerSecond: resolved / Math.max(seconds, 1e-9),
          entities,
          merges,
          possibleReported,
          corroboratedLinks: corroborated,
        };
        if (load.truthAfter) {
          const diff = clusterDifferences(truth, predicted);
          row.clusterDifferences = diff.length;
          for (const d of diff) differences.push(`${load.label}: ${d}`);
        }
        figures.push(row);
        if (!values.quiet) process.stderr.write(`${load.label}: F1 ${p.f1.toFixed(4)}\n`);
      }
    } finally {
      await handle.close?.();
    }
  }
  printTable(figures, values.store, values.split);
  if (differences.length > 0) {
    console.log(`\nSenzing expected clusters not reproduced (${differences.length}):`);
    for (const d of differences) console.log(`  ${d}`);
  }
  console.log(
    JSON.stringify({
      store: values.store,
      split: values.split,
      modelVersion: model.modelVersion,
      results: figures.map((f) => ({ ...f, precision: round(f.precision), recall: round(f.recall), f1: round(f.f1), blockingRecall: round(f.blockingRecall), recordsPerSecond: Math.round(f.recordsPerSecond) })),
    }),
  );
}

/** Expected clusters that the resolver split or joined with others: "expected {a b} got {a} {b c}". */
function clusterDifferences(truth: Map<string, string>, predicted: Map<string, string>): string[] {
  const byTrue = groupBy(truth);
  const byPred = groupBy(predicted);
  const out: string[] = [];
  for (const [, members] of byTrue) {
    const entities = new Set(members.map((id) => predicted.get(id)!));
    const got = [...entities].map((e) => byPred.get(e)!);
    const exact = got.length === 1 && got[0]!.length === members.length;
    if (!exact) out.push(`expected {${members.join(' ')}} got ${got.map((g) => `{${g.join(' ')}}`).join(' ')}`);
  }
  return out;
}

function groupBy(m: Map<string, string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [id, group] of m) {
    const list = out.get(group);
    if (list) list.push(id);
    else out.set(group, [id]);
  }
  for (const list of out.values()) list.sort();
  return out;
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;

function printTable(rows: LoadFigures[], store: string, split: string): void {
  console.log(`\nentity resolution, store=${store}, split=${split}`);
  const header = ['set / load', 'records', 'true pairs', 'found pairs', 'precision', 'recall', 'F1', 'blocking recall', 'entities', 'merges', 'rec/s'];
  const lines = rows.map((r) => [
    r.load,
    String(r.records),
    String(r.truePairs),
    String(r.predictedPairs),
    r.precision.toFixed(4),
    r.recall.toFixed(4),
    r.f1.toFixed(4),
    r.blockingRecall.toFixed(4),
    String(r.entities),
    String(r.merges),
    String(Math.round(r.recordsPerSecond)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(fmt(header));
  for (const l of lines) console.log(fmt(l));
}

await main();
