// The public person-record sets in ../shared/data/er, read as person records
// with their truth (see that folder's README). One column mapping per
// source file: the only dataset-specific part; the model is the same for all.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CountryCode } from 'libphonenumber-js';
import { mapRow, missingColumns, parseMapping, type ColumnMapping } from '../../shared/er/csv-mapping.ts';
import type { PersonRecord } from '../../shared/er/identity-store.ts';
import { readCsv } from '../../shared/er/read-csv.ts';
import { createPopulation, DEFAULT_AS_OF } from '../../shared/synth/population.ts';
import { createTypedRecords } from '../synth/people-csv.ts';

export type TruthRecord = { record: PersonRecord; cluster: string };

export type DatasetLoad = {
  label: string;
  /** Records of this load, in file order. */
  records: TruthRecord[];
  /** When the truth after this load differs from the records' own clusters (Senzing's keys): recordId → cluster. */
  truthAfter?: Map<string, string>;
};

export type Dataset = {
  name: string;
  loads: DatasetLoad[];
  phoneCountry: CountryCode;
};

export const DATASET_NAMES = ['historical_50k_dev', 'fake_1000', 'febrl1', 'febrl2', 'febrl3', 'senzing_demo_v3', 'synthetic_london'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

/** Default data folder: ../shared/data/er beside the repository; override with DAUNTLESS_ER_DATA or --data. */
export function defaultDataDir(): string {
  const fromEnv = process.env.DAUNTLESS_ER_DATA;
  if (fromEnv) return fromEnv;
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.resolve(here, '../../../shared/data/er');
}

/** A reference date for ages and two-digit years: fixed, so runs agree. */
export const REFERENCE_DATE = new Date('2025-01-01T00:00:00Z');

const HISTORICAL_MAP = parseMapping(
  'first_name=given_name,surname=family_name,full_name=full_name,dob=dob,postcode_fake=postcode,gender=gender,birth_place=attr:birth_place,occupation=attr:occupation',
);
const FAKE_MAP = parseMapping('first_name=given_name,surname=family_name,dob=dob,city=town,email=email');
const FEBRL_MAP = parseMapping(
  'given_name=given_name,surname=family_name,street_number=house_number,address_1=street,address_2=attr:address_2,suburb=town,postcode=postcode,state=attr:state,date_of_birth=dob,soc_sec_id=attr:national_id',
);
// Senzing's generic record format: one mapping for its three files; a column a file lacks is skipped.
const SENZING_MAP = parseMapping([
  'PRIMARY_NAME_FIRST=given_name,PRIMARY_NAME_MIDDLE=given_name,PRIMARY_NAME_LAST=family_name',
  'PRIMARY_NAME_FULL=full_name,PRIMARY_NAME_ORG=full_name,SECONDARY_NAME_ORG=alias,NATIVE_NAME_FULL=alias',
  'DATE_OF_BIRTH=dob,GENDER=gender',
  'ADDR_FULL=address,ADDR_LINE1=street,ADDR_CITY=town,ADDR_POSTAL_CODE=postcode',
  'PHONE_NUMBER=phone,EMAIL_ADDRESS=email',
  'PASSPORT_NUMBER=attr:passport,DRIVERS_LICENSE_NUMBER=attr:driving_licence,SSN_NUMBER=attr:ssn,NATIONAL_ID_NUMBER=attr:national_id',
  'RECORD_TYPE=attr:record_type',
]);

export async function loadDataset(name: DatasetName, dataDir = defaultDataDir()): Promise<Dataset> {
  const file = (...parts: string[]): string => {
    const p = path.join(dataDir, ...parts);
    if (!existsSync(p)) throw new TypeError(`data file ${p} not found: pass --data DIR (the folder with splink_datasets/, febrl/, senzing_truthsets/)`);
    return p;
  };
  switch (name) {
    case 'historical_50k_dev':
      return single(name, await readMapped(file('splink_datasets/historical_50k_dev.csv'), HISTORICAL_MAP, 'historical', (r) => [r.unique_id, r.cluster]), 'GB');
    case 'fake_1000':
      return single(name, await readMapped(file('splink_datasets/fake_1000.csv'), FAKE_MAP, 'fake_1000', (r) => [r.unique_id, r.cluster]), 'GB');
    case 'febrl1':
    case 'febrl2':
    case 'febrl3': {
      const n = name.slice(-1);
      const records = await readMapped(file(`febrl/dataset${n}.csv`), FEBRL_MAP, `febrl${n}`, (r) => [r.rec_id, febrlCluster(r.rec_id)]);
      return single(name, records, 'AU');
    }
    case 'senzing_demo_v3':
      return senzing(name, (f) => file('senzing_truthsets/demo_v3', f));
    case 'synthetic_london':
      return syntheticLondon(name);
  }
}

/**
 * The project's synthetic London set (shared/synth, scripts/synth/people-csv.ts),
 * made in-process with a fixed seed: 2,000 people in their households, 8,000
 * records typed the way call handlers type them, in time order. The closest
 * set to police records: households (the hard negatives), phones in many
 * formats, UK addresses typed inconsistently. Not used for training.
 */
export const SYNTHETIC_LONDON = { seed: 7, persons: 2_000, records: 8_000 } as const;

function syntheticLondon(name: string): Dataset {
  const population = createPopulation({ seed: SYNTHETIC_LONDON.seed, persons: SYNTHETIC_LONDON.persons, asOf: DEFAULT_AS_OF });
  const typed = createTypedRecords({ population, records: SYNTHETIC_LONDON.records, seed: SYNTHETIC_LONDON.seed });
  const records = typed.map((t) => ({ record: { recordId: t.recordId, source: 'synthetic_london', fields: t.fields }, cluster: t.personId }));
  return single(name, records, 'GB');
}

const febrlCluster = (recId: string | undefined): string | undefined => /^rec-(\d+)-/.exec(recId ?? '')?.[1];

function single(name: string, records: TruthRecord[], phoneCountry: CountryCode): Dataset {
  return { name, loads: [{ label: name, records }], phoneCountry };
}

async function readMapped(
  file: string,
  mapping: ColumnMapping,
  source: string,
  ids: (row: Record<string, string>) => [string | undefined, string | undefined],
): Promise<TruthRecord[]> {
  const out: TruthRecord[] = [];
  let checked = false;
  for await (const row of readCsv(file)) {
    if (!checked) {
      const missing = missingColumns(mapping, Object.keys(row));
      if (missing.length === mapping.length) throw new TypeError(`${file}: none of the mapped columns is in the header`);
      checked = true;
    }
    const [recordId, cluster] = ids(row);
    if (!recordId || cluster === undefined) throw new TypeError(`${file}: a row without a record id or cluster`);
    out.push({ record: mapRow(row, mapping, { recordId, source }), cluster });
  }
  return out;
}

/** Senzing demo_v3: customers, then watchlist, then reference; the expected clusters after each load in truthset-load{1,2,3}-key.csv. */
async function senzing(name: string, file: (f: string) => string): Promise<Dataset> {
  const loads: DatasetLoad[] = [];
  const sources = ['customers', 'watchlist', 'reference'];
  for (const [i, source] of sources.entries()) {
    const truthAfter = new Map<string, string>();
    for await (const row of readCsv(file(`truthset-load${i + 1}-key.csv`))) truthAfter.set(`${row.DATA_SOURCE}:${row.RECORD_ID}`, row.CLUSTER_ID ?? '');
    const records = await readMapped(file(`${source}.csv`), SENZING_MAP, `senzing:${source}`, (r) => {
      const id = `${r.DATA_SOURCE}:${r.RECORD_ID}`;
      return [id, truthAfter.get(id)];
    });
    loads.push({ label: `${name} load ${i + 1} (${source})`, records, truthAfter });
  }
  return { name, loads, phoneCountry: 'US' };
}

/**
 * The training half of a set: clusters whose sha256(set name + cluster) has
 * an even first byte. scripts/er/estimate-model.ts learns m from labelled
 * pairs of this half only; `npm run eval:er -- --split test` scores the other.
 */
export function inTrainingSplit(datasetName: string, cluster: string): boolean {
  return (createHash('sha256').update(`${datasetName}\u0000${cluster}`).digest()[0]! & 1) === 0;
}
