// `dauntless resolve`: entity resolution over any CSV of person records, with
// the same resolver and the same Redis identity graph as the live pipeline.
// Records are resolved one at a time in file order (streaming, never
// all-pairs); the output maps every record to the entity it belongs to at the
// end (after any later merge). Progress goes to standard error; the last
// line on standard output is one JSON object with the figures.
// Taking a file of people's records in is a collection (s62): it runs as a
// signed-in administrator or supervisor (audited-access.ts), and each group
// of up to AUDIT_GROUP records is recorded on audit.v1, by record id, before
// any of them is resolved.
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import { CsvError } from 'csv-parse';
import { DauntlessError } from '../../shared/errors/dauntless-error.ts';
import { parseMapping, mapRow, missingColumns, type ColumnMapping } from '../../shared/er/csv-mapping.ts';
import { defaultPersonModel } from '../../shared/er/model.ts';
import { readCsv, type CsvRow } from '../../shared/er/read-csv.ts';
import { resolveRecord } from '../../shared/er/resolve-record.ts';
import { createRedisIdentityStore, DEFAULT_NAMESPACE } from '../../shared/graph/redis-identity-store.ts';
import { defineCommand, optionsOf, UsageError } from './command.ts';
import { withRedis } from './with-redis.ts';
import { createIdentityAdmin } from '../../shared/graph/identity-admin.ts';
import { mayCollectRecords } from '../../shared/access/access.ts';
import type { PersonRecord } from '../../shared/er/identity-store.ts';
import { asSignedInPerson, type CommandAccess } from './audited-access.ts';

/** Records a collection entry names at most (the audit entry's own cap on subject ids). */
const AUDIT_GROUP = 200;

type Options = {
  input: string;
  idColumn: string;
  mapping: ColumnMapping;
  out: string;
  graph: string;
  fresh: boolean;
  referenceDate: Date;
};

export const command = defineCommand({
  name: 'resolve',
  summary: 'resolve the person records of any CSV to entities in the identity graph, in file order',
  usage: `dauntless resolve --input FILE.csv --id-column COL --map SRC=FIELD[,SRC=FIELD...] --out FILE.csv
                         [--graph NAMESPACE] [--fresh] [--reference-date YYYY-MM-DD]`,
  description: `Resolves each row of FILE.csv, in file order, to a person entity in the Redis
identity graph, and writes record_id,entity_id to --out.`,
  options: {
    input: { type: 'string', value: 'FILE.csv', description: 'person records, with a header row' },
    'id-column': { type: 'string', value: 'COL', description: 'the column that identifies each record (unique)' },
    map: {
      type: 'string',
      multiple: true,
      value: 'SRC=FIELD,...',
      description: `which column feeds which person field; fields:
given_name family_name full_name dob age phone email address
house_number street town postcode gender alias, or attr:NAME
(compared exactly). Repeat --map or separate with commas.`,
    },
    out: { type: 'string', value: 'FILE.csv', description: 'where to write record_id,entity_id' },
    graph: { type: 'string', value: 'NAMESPACE', default: DEFAULT_NAMESPACE, description: 'identity graph to resolve into; must contain a {hash tag}' },
    fresh: { type: 'boolean', description: 'empty that graph first (refused for the default graph)' },
    'reference-date': { type: 'string', value: 'D', description: '"today" for ages and two-digit years (default: today)' },
  },
  positionals: { min: 0, max: 0, what: 'argument' },
  check: ({ values }): Options => {
    const required = (name: 'input' | 'id-column' | 'out'): string => {
      const value = values[name];
      if (value === undefined) throw new UsageError(`--${name} is required`);
      return value;
    };
    const input = required('input');
    const idColumn = required('id-column');
    const out = required('out');
    if (values.fresh && values.graph === DEFAULT_NAMESPACE) {
      throw new UsageError('--fresh empties the graph: name a graph of your own with --graph, e.g. --graph "batch:{mine}"');
    }
    const dateText = values['reference-date'];
    const referenceDate = dateText ? new Date(`${dateText}T00:00:00Z`) : new Date();
    if (Number.isNaN(referenceDate.getTime())) throw new UsageError(`--reference-date "${dateText}" is not a date: write YYYY-MM-DD`);
    if (!values.map.length) throw new UsageError('--map is required');
    return { input, idColumn, mapping: parseMapping(values.map), out, graph: values.graph, fresh: values.fresh, referenceDate };
  },
  run: (options) => asSignedInPerson('resolve', (access) => resolveCsv(options, access)),
});

/** The options of `dauntless resolve` from its arguments; a usage error says what to change. */
export const parseResolveArgs = (args: string[]): Options => optionsOf(command, args);

/** The rows of the input; a file csv-parse cannot read fails with its name. */
async function* rowsOf(input: string): AsyncGenerator<CsvRow> {
  try {
    yield* readCsv(input);
  } catch (error) {
    if (error instanceof CsvError) throw new DauntlessError('VALIDATION_FAILED', `${input} is not well-formed CSV: ${error.message}`, { cause: error });
    throw error;
  }
}

async function resolveCsv(options: Options, access: CommandAccess): Promise<number> {
  const resource = `dauntless resolve --graph ${options.graph}`;
  const purpose = await access.require(mayCollectRecords(access.user), { kind: 'COLLECTION', action: 'records.collected', subjectIds: [], resource });
  return withRedis({ maxRetriesPerRequest: 3 }, async (redis) => {
    const store = createRedisIdentityStore({ redis, namespace: options.graph });
    // Records wait here until their group's entry is written: none is taken in before it is recorded.
    let waiting: PersonRecord[] = [];
    const takeIn = async () => {
      if (waiting.length === 0) return;
      await access.record({ kind: 'COLLECTION', action: 'records.collected', subjectIds: waiting.map((r) => r.recordId), purpose, resource });
      for (const record of waiting) await resolveRecord(record, { store, model: defaultPersonModel, referenceDate: options.referenceDate });
      waiting = [];
    };
    if (options.fresh) await store.clear();
    const started = performance.now();
    const recordIds: string[] = [];
    const seen = new Set<string>();
    let checkedHeader = false;
    let lastProgress = 0;

    for await (const row of rowsOf(options.input)) {
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
      waiting.push(mapRow(row, options.mapping, { recordId, source: `csv:${options.input}` }));
      if (waiting.length >= AUDIT_GROUP) await takeIn();
      const now = performance.now();
      if (now - lastProgress > 1000) {
        lastProgress = now;
        const rate = recordIds.length / ((now - started) / 1000);
        process.stderr.write(`\rresolved ${recordIds.length} records (${Math.round(rate)}/s)`);
      }
    }
    await takeIn();
    const seconds = (performance.now() - started) / 1000;
    if (lastProgress > 0) process.stderr.write('\n');

    // The entity of each record now: merges after a record's own resolution move it.
    const entityIds = await createIdentityAdmin({ redis, namespace: options.graph }).entitiesOfRecords(recordIds);
    // Opened with open(), not createWriteStream(path): a directory that is not there rejects here instead of
    // emitting an 'error' nobody listens for.
    const file = await open(options.out, 'w');
    const out = file.createWriteStream();
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
  });
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
