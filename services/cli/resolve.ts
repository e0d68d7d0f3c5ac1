// `dauntless resolve`: entity resolution over any CSV of person records, with
// the same resolver and the same Redis identity graph as the live pipeline.
// Records are resolved one at a time in file order (streaming, never
// all-pairs); the output maps every record to the entity it belongs to at the
// end (after any later merge). Progress goes to standard error; the last
// line on standard output is one JSON object with the figures.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { loadEndpoints } from '../../shared/config/endpoints.ts';
import { parseMapping, mapRow, missingColumns, type ColumnMapping } from '../../shared/er/csv-mapping.ts';
import { defaultPersonModel } from '../../shared/er/model.ts';
import { readCsv } from '../../shared/er/read-csv.ts';
import { resolveRecord } from '../../shared/er/resolve-record.ts';
import { createRedisIdentityStore, DEFAULT_NAMESPACE } from '../../shared/graph/redis-identity-store.ts';

export const usage = `Usage: dauntless resolve --input FILE.csv --id-column COL --map SRC=FIELD[,SRC=FIELD...] --out FILE.csv
                         [--graph NAMESPACE] [--fresh] [--reference-date YYYY-MM-DD]

Resolves each row of FILE.csv, in file order, to a person entity in the Redis
identity graph, and writes record_id,entity_id to --out.

  --input FILE.csv      person records, with a header row
  --id-column COL       the column that identifies each record (unique)
  --map SRC=FIELD,...   which column feeds which person field; fields:
                        given_name family_name full_name dob age phone email address
                        house_number street town postcode gender alias, or attr:NAME
                        (compared exactly). Repeat --map or separate with commas.
  --out FILE.csv        where to write record_id,entity_id
  --graph NAMESPACE     identity graph to resolve into (default ${DEFAULT_NAMESPACE}; must contain a {hash tag})
  --fresh               empty that graph first (refused for the default graph)
  --reference-date D    "today" for ages and two-digit years (default: today)`;

type Options = {
  input: string;
  idColumn: string;
  mapping: ColumnMapping;
  out: string;
  graph: string;
  fresh: boolean;
  referenceDate: Date;
};

export function parseResolveArgs(args: string[]): Options {
  const values: Record<string, string[]> = {};
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--fresh') {
      flags.add('fresh');
      continue;
    }
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new TypeError(`unexpected argument "${arg}"`);
    const [, name, inline] = match as unknown as [string, string, string | undefined];
    const value = inline ?? args[++i];
    if (value === undefined) throw new TypeError(`--${name} needs a value`);
    (values[name] ??= []).push(value);
  }
  const one = (name: string, required = true): string | undefined => {
    const v = values[name];
    if (!v && required) throw new TypeError(`--${name} is required`);
    return v?.at(-1);
  };
  for (const name of Object.keys(values)) {
    if (!['input', 'id-column', 'map', 'out', 'graph', 'reference-date'].includes(name)) throw new TypeError(`unknown option --${name}`);
  }
  const graph = one('graph', false) ?? DEFAULT_NAMESPACE;
  if (flags.has('fresh') && graph === DEFAULT_NAMESPACE) {
    throw new TypeError('--fresh empties the graph: name a graph of your own with --graph, e.g. --graph "batch:{mine}"');
  }
  const dateText = one('reference-date', false);
  const referenceDate = dateText ? new Date(`${dateText}T00:00:00Z`) : new Date();
  if (Number.isNaN(referenceDate.getTime())) throw new TypeError(`--reference-date "${dateText}" is not a date: write YYYY-MM-DD`);
  if (!values.map) throw new TypeError('--map is required');
  return {
    input: one('input')!,
    idColumn: one('id-column')!,
    mapping: parseMapping(values.map),
    out: one('out')!,
    graph,
    fresh: flags.has('fresh'),
    referenceDate,
  };
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  let options: Options;
  try {
    options = parseResolveArgs(args);
  } catch (error) {
    process.stderr.write(`dauntless resolve: ${(error as Error).message}\n\n${usage}\n`);
    return 2;
  }

  const redis = new Redis(loadEndpoints().redisUrl, { maxRetriesPerRequest: 3 });
  try {
    const store = createRedisIdentityStore({ redis, namespace: options.graph });
    if (options.fresh) await store.clear();
    const started = performance.now();
    const recordIds: string[] = [];
    const seen = new Set<string>();
    let checkedHeader = false;
    let lastProgress = 0;

    for await (const row of readCsv(options.input)) {
      if (!checkedHeader) {
        const missing = missingColumns(options.mapping, Object.keys(row));
        if (!(options.idColumn in row)) missing.unshift(options.idColumn);
        if (missing.length > 0) {
          process.stderr.write(`dauntless resolve: ${options.input} has no column(s) ${missing.join(', ')}; its columns are ${Object.keys(row).join(', ')}\n`);
          return 2;
        }
        checkedHeader = true;
      }
      const recordId = row[options.idColumn]?.trim();
      if (!recordId) {
        process.stderr.write(`dauntless resolve: row ${recordIds.length + 2} has an empty ${options.idColumn}; skipped\n`);
        continue;
      }
      if (seen.has(recordId)) {
        process.stderr.write(`dauntless resolve: record id ${recordId} appears again at row ${recordIds.length + 2}; the first was kept\n`);
        continue;
      }
      seen.add(recordId);
      recordIds.push(recordId);
      await resolveRecord(mapRow(row, options.mapping, { recordId, source: `csv:${options.input}` }), {
        store,
        model: defaultPersonModel,
        referenceDate: options.referenceDate,
      });
      const now = performance.now();
      if (now - lastProgress > 1000) {
        lastProgress = now;
        const rate = recordIds.length / ((now - started) / 1000);
        process.stderr.write(`\rresolved ${recordIds.length} records (${Math.round(rate)}/s)`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    if (lastProgress > 0) process.stderr.write('\n');

    // The entity of each record now: merges after a record's own resolution move it.
    const entityIds = await store.entitiesOfRecords(recordIds);
    const out = createWriteStream(options.out);
    out.write('record_id,entity_id\n');
    for (let i = 0; i < recordIds.length; i++) {
      if (!out.write(`${csvField(recordIds[i]!)},${entityIds[i] ?? ''}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');

    const summary = {
      records: recordIds.length,
      entities: new Set(entityIds).size,
      seconds: Number(seconds.toFixed(3)),
      records_per_second: Math.round(recordIds.length / seconds),
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  } finally {
    redis.disconnect();
  }
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
