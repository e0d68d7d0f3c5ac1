// npm run synth:people -- --persons 2000 --records 8000 --seed 7 --out FILE.csv
//
// A synthetic entity-resolution set shaped like police records: a London
// population (shared/synth/population.ts) and records of its people as call
// handlers type them (shared/synth/typed-as.ts), with the truth (person_id)
// beside each record. People are drawn with a skew: most appear once or
// twice, a few (repeat victims, perpetrators) many times. Records are in time
// order over the --span-days before --as-of, as a stream would bring them.
// Writes the CSV to --out, and to standard error the figures and the
// `dauntless resolve` arguments that fit it. ALL DATA SYNTHETIC.

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { PersonFields } from '../../shared/er/identity-store.ts';
import { createPopulation, DEFAULT_AS_OF, type Population, type SynthPerson } from '../../shared/synth/population.ts';
import { createRng, weightedTable } from '../../shared/synth/random.ts';
import { typeAsCallHandlerWithVariations, type VariationKind } from '../../shared/synth/typed-as.ts';

export const COLUMNS = ['record_id', 'person_id', 'given_name', 'family_name', 'full_name', 'dob', 'age', 'phone', 'email', 'address', 'postcode', 'gender'] as const;

/** The `--map` for `dauntless resolve` (and shared/er/csv-mapping.ts) that reads this CSV; person_id is the truth and is not mapped. */
export const RESOLVE_MAP =
  'given_name=given_name,family_name=family_name,full_name=full_name,dob=dob,age=age,phone=phone,email=email,address=address,postcode=postcode,gender=gender';

export type TypedRecord = {
  recordId: string;
  personId: string;
  /** When the call was typed (ISO timestamp). */
  when: string;
  fields: PersonFields;
  variations: VariationKind[];
};

export type TypedRecordOptions = {
  population: Population;
  records: number;
  seed: string | number;
  /** Days before the population's asOf over which records fall. Default 730. */
  spanDays?: number;
  noise?: number;
};

/**
 * How often a person turns up, relative to others: most once or twice, some
 * a handful of times, a few (repeat victims and perpetrators) very often.
 * Children rarely appear as parties in their own right.
 */
const PROPENSITY: readonly (readonly [number, number])[] = [[1, 62], [2.5, 24], [8, 11], [40, 3]];

/** Draws `records` typings of the population's people, in time order. Pure and deterministic. */
export function createTypedRecords(opts: TypedRecordOptions): TypedRecord[] {
  const { population } = opts;
  if (!Number.isInteger(opts.records) || opts.records < 0) throw new RangeError(`records must be a whole number ≥ 0 (got ${opts.records})`);
  const spanDays = opts.spanDays ?? 730;
  if (!(spanDays >= 1)) throw new RangeError(`spanDays must be ≥ 1 (got ${spanDays})`);
  const rng = createRng(opts.seed).fork('records');
  const asOfMs = Date.parse(`${population.asOf}T00:00:00Z`);
  const startMs = asOfMs - spanDays * 86_400_000;
  const propensity = rng.fork('propensity');
  const draw = weightedTable(
    population.persons.map((p) => {
      const age = (asOfMs - Date.parse(`${p.dob}T00:00:00Z`)) / (365.25 * 86_400_000);
      return [p, age < 14 ? 0.3 : propensity.weighted(PROPENSITY)] as const;
    }),
  );
  const drawn: { person: SynthPerson; whenMs: number }[] = [];
  for (let i = 0; i < opts.records; i++) {
    const person = draw(rng);
    // Not before the person was born (a baby in the records is a child at the address).
    const earliest = Math.max(startMs, Date.parse(`${person.dob}T00:00:00Z`) + 86_400_000);
    const whenMs = earliest >= asOfMs ? asOfMs - 3_600_000 : earliest + Math.floor(rng.next() * (asOfMs - earliest));
    drawn.push({ person, whenMs });
  }
  drawn.sort((a, b) => a.whenMs - b.whenMs);
  const typing = rng.fork('typing');
  return drawn.map(({ person, whenMs }, i) => {
    const when = new Date(whenMs);
    const typed = typeAsCallHandlerWithVariations(person, typing, { when, ...(opts.noise !== undefined ? { noise: opts.noise } : {}) });
    return { recordId: `R${String(i + 1).padStart(7, '0')}`, personId: person.id, when: when.toISOString(), fields: typed.fields, variations: typed.variations };
  });
}

/** One CSV row (values in COLUMNS order, plus variations when asked), quoted where needed. */
export function csvRow(record: TypedRecord, withVariations = false): string {
  const f = record.fields;
  const values = [
    record.recordId, record.personId, f.given_name, f.family_name, f.full_name, f.dob, f.age === undefined ? undefined : String(f.age),
    f.phones?.join(', '), f.emails?.join(', '), f.addresses?.join(' | '), f.postcode, f.gender,
  ];
  if (withVariations) values.push(record.variations.join(' '));
  return values.map(csvValue).join(',');
}

function csvValue(value: string | undefined): string {
  if (value === undefined) return '';
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

const usage = `Usage: npm run synth:people -- --out FILE.csv [--persons 2000] [--records 8000] [--seed 7]
                              [--noise 1] [--span-days 730] [--as-of 2025-01-01] [--boroughs CODE|NAME,...] [--variations]

  --persons N      people in the synthetic London population
  --records N      typed records to write (people drawn with a skew: most once or twice, a few many times)
  --seed S         any string or number; the same seed gives the same file
  --noise X        scales every variation rate: 0 = typed perfectly, 1 = realistic (default), 2 = a bad night
  --span-days N    records fall over the N days before --as-of (default 730)
  --as-of DATE     the date the population describes (default 2025-01-01); give it to resolve as --reference-date
  --boroughs LIST  only these boroughs (ONS codes or names, comma-separated)
  --variations     add a "variations" column: the kinds applied to each record (for diagnostics)`;

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      persons: { type: 'string', default: '2000' },
      records: { type: 'string', default: '8000' },
      seed: { type: 'string', default: '7' },
      noise: { type: 'string', default: '1' },
      'span-days': { type: 'string', default: '730' },
      'as-of': { type: 'string', default: DEFAULT_AS_OF.toISOString().slice(0, 10) },
      boroughs: { type: 'string' },
      out: { type: 'string' },
      variations: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stderr.write(usage + '\n');
    return;
  }
  if (!values.out) throw new TypeError(`--out FILE.csv is required\n${usage}`);
  const number = (name: string, text: string, min: number) => {
    const n = Number(text);
    if (!Number.isFinite(n) || n < min) throw new TypeError(`--${name} ${text}: give a number ≥ ${min}`);
    return n;
  };
  const asOf = new Date(`${values['as-of']}T00:00:00Z`);
  if (Number.isNaN(asOf.getTime())) throw new TypeError(`--as-of ${values['as-of']}: give a date as YYYY-MM-DD`);
  const started = Date.now();
  const population = createPopulation({
    seed: values.seed,
    persons: Math.round(number('persons', values.persons, 1)),
    asOf,
    ...(values.boroughs ? { boroughs: values.boroughs.split(',').map((b) => b.trim()).filter(Boolean) } : {}),
  });
  const records = createTypedRecords({
    population,
    records: Math.round(number('records', values.records, 0)),
    seed: values.seed,
    spanDays: number('span-days', values['span-days'], 1),
    noise: number('noise', values.noise, 0),
  });

  const out = createWriteStream(values.out);
  const header = [...COLUMNS, ...(values.variations ? ['variations'] : [])].join(',');
  out.write(header + '\n');
  for (const r of records) if (!out.write(csvRow(r, values.variations) + '\n')) await once(out, 'drain');
  out.end();
  await once(out, 'finish');

  const perPerson = new Map<string, number>();
  for (const r of records) perPerson.set(r.personId, (perPerson.get(r.personId) ?? 0) + 1);
  const counts = [...perPerson.values()];
  const oneOrTwo = counts.filter((c) => c <= 2).length;
  const stderr = (line: string) => process.stderr.write(line + '\n');
  stderr(`wrote ${records.length} records of ${perPerson.size} people (population ${population.persons.length} in ${population.households.length} households) to ${values.out} in ${Date.now() - started} ms`);
  stderr(`records per person: ${oneOrTwo} people with 1–2, ${counts.filter((c) => c >= 10).length} with 10 or more, most ${Math.max(0, ...counts)}`);
  if (population.phonesExhausted > 0) stderr(`note: the drama phone ranges ran out; ${population.phonesExhausted} wanted numbers went unassigned`);
  stderr('resolve it with:');
  stderr(`  dauntless resolve --input ${values.out} --id-column record_id --reference-date ${values['as-of']} --map ${RESOLVE_MAP} --out ENTITIES.csv`);
  stderr(`--map ${RESOLVE_MAP}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`synth:people: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
