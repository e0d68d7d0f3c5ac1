// `npm run bench:canon [-- --seconds N]`: how many values a second each
// canonicaliser reads on one core (Node runs it on one thread).
//
// Inputs are synthetic, generated from a fixed seed so every run reads the
// same mix: numbers in every rendering call handlers use (a few foreign,
// a few unreadable), names in all the orders and spellings, addresses with
// and without flats and postcodes, dates of birth, partial dates and ages.
// Each kind is warmed up, then run for a few seconds. A readable table goes
// first; the LAST line is one JSON object, for scripts and CI to read.

import { parsePhoneNumberFromString as parseMax } from 'libphonenumber-js/max';
import { parsePhoneNumberFromString as parseMin } from 'libphonenumber-js/min';
import { canonicaliseAddress, canonicaliseDob, canonicaliseName, canonicalisePhone } from '../shared/canon/index.ts';
import { createRng } from '../shared/synth/random.ts';

const SECONDS = Number(argument('--seconds') ?? 3);
const WARM_UP_SECONDS = Math.min(1, SECONDS / 3);
const INPUTS_PER_KIND = 20_000;
const REFERENCE_DATE = new Date('2025-06-15T00:00:00Z');

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

// Seeded, so every run reads the same inputs on every machine.
const random = createRng(20_250_615).next;
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
const chance = (p: number): boolean => random() < p;

// ---- phones: a pool of numbers, each typed in one of many ways ----------
function phoneNumberPool(size: number): string[] {
  const pool: string[] = [];
  while (pool.length < size) {
    const nsn = pick(['74', '75', '77', '78', '79', '20', '113', '161', '121', '1632', '300', '800']) + digits(10);
    pool.push(nsn.slice(0, 10));
  }
  return pool;
}
const PHONE_RENDERINGS: ((nsn: string) => string)[] = [
  (n) => `0${n}`,
  (n) => `0${n.slice(0, 4)} ${n.slice(4)}`,
  (n) => `0${n.slice(0, 4)}-${n.slice(4, 7)}-${n.slice(7)}`,
  (n) => `(0${n.slice(0, 2)}) ${n.slice(2, 6)} ${n.slice(6)}`,
  (n) => `+44 ${n.slice(0, 4)} ${n.slice(4)}`,
  (n) => `+44 (0)${n}`,
  (n) => `0044${n}`,
  (n) => `44${n}`,
  (n) => n,
  (n) => `mob: 0${n}`,
  (n) => `Tel 0${n.slice(0, 4)} ${n.slice(4)} ext 21`,
  (n) => `0${n} / 0${n.slice(0, 9)}${(Number(n.slice(9)) + 1) % 10}`,
];
const FOREIGN_AND_ODD = ['+33 1 23 45 67 89', '+48 512 345 678', '+353 85 123 4567', '+1 (202) 555-0123', 'refused', 'n/k', '12345', ''];
function phones(): string[] {
  const pool = phoneNumberPool(5_000);
  return Array.from({ length: INPUTS_PER_KIND }, () => (chance(0.05) ? pick(FOREIGN_AND_ODD) : pick(PHONE_RENDERINGS)(pick(pool))));
}

// ---- names ------------------------------------------------------------------
const GIVEN = ['John', 'Mary', 'Robert', 'Bob', 'Margaret', 'Peggy', 'James', 'Jim', 'Sarah', 'Mohammed', 'Muhammad', 'Aisha', 'Seán', 'Zoë', 'Anne-Marie', 'Jean-Paul', 'Aleksandr', 'Olga', 'Priya', 'Chidi', 'Siobhan', 'Wei', 'Fatima', 'David', 'Dave', 'Elizabeth', 'Liz', 'Kwame', 'Agnieszka', 'Tomasz'];
const FAMILY = ['Smith', 'Jones', "O'Brien", 'MacDonald', 'McDonald', 'Smith-Jones', 'Patel', 'Khan', 'Nguyen', 'de la Cruz', 'van der Berg', 'Müller', "D'Souza", 'Al-Rashid', 'Okafor', 'Kowalski', 'Ivanova', 'Williams', 'Taylor', 'Brown', 'Wilson', 'Evans', 'Thomas', 'Roberts', 'Ahmed', 'Ali', 'Begum', 'Hussain', 'Mensah', 'Wiśniewski'];
const TITLES = ['', '', '', 'Mr ', 'Mrs ', 'Ms ', 'Dr '];
function names(): string[] {
  return Array.from({ length: INPUTS_PER_KIND }, () => {
    const given = chance(0.2) ? `${pick(GIVEN)} ${pick(GIVEN)}` : pick(GIVEN);
    const family = pick(FAMILY);
    const title = pick(TITLES);
    switch (Math.floor(random() * 6)) {
      case 0:
        return `${family.toUpperCase()}, ${title}${given}`;
      case 1:
        return `${title}${given} ${family.toUpperCase()}`;
      case 2:
        return `${given.toLowerCase()} ${family.toLowerCase()}`;
      case 3:
        return `${given[0]}. ${family}`;
      case 4:
        return `${title}${given} ${family} aka ${pick(GIVEN)}`;
      default:
        return `${title}${given} ${family}${chance(0.1) ? ' Jr' : ''}`;
    }
  });
}

/**
 * Names nobody has typed before: invented surnames and given names, more of
 * them than the phonetic cache holds, so every Double Metaphone is computed.
 * The worst case; a real stream repeats names (that is the point of it).
 */
function unseenNames(count: number): string[] {
  const syllables = ['ka', 'lo', 'mi', 'ner', 'tov', 'ash', 'bel', 'dri', 'fen', 'gor', 'hul', 'jas', 'kin', 'mar', 'ost', 'pra', 'quin', 'rud', 'sel', 'tam', 'ul', 'vek', 'wyn', 'yor', 'zel'];
  const word = (n: number) => Array.from({ length: n }, () => pick(syllables)).join('');
  const capitalised = (w: string) => w[0]?.toUpperCase() + w.slice(1);
  return Array.from({ length: count }, () => `${capitalised(word(2))} ${capitalised(word(3))}`);
}

// ---- addresses ----------------------------------------------------------------
const STREETS = ['High St', 'Acacia Avenue', 'Mill La', "St John's Rd", 'Rose Gdns', 'Gt North Road', 'Oak Cres', 'Station Road', 'Church St', 'Park Ave', 'Victoria Terr', 'Elm Cl'];
const TOWNS = ['', ', Barnet', ', Croydon', ', Barnet, London', ', London'];
const OUTWARDS = ['EN5', 'SW1A', 'N1', 'CR0', 'E17', 'SE15', 'W2', 'NW10', 'HA8', 'IG11', 'BR1', 'TW3'];
function addresses(): string[] {
  return Array.from({ length: INPUTS_PER_KIND }, () => {
    const flat = pick(['', '', '', 'Flat 2, ', 'Flat B ', 'Ground floor flat, ', 'Apartment 14, ', 'Rose Court, ']);
    const number = `${1 + Math.floor(random() * 300)}${chance(0.1) ? 'b' : ''}`;
    const slash = chance(0.1) ? `${1 + Math.floor(random() * 9)}/` : '';
    const postcode = chance(0.85) ? `${pick([', ', ' '])}${pick(OUTWARDS)}${pick([' ', '', '  '])}${Math.floor(random() * 10)}${pick(['AA', 'BD', 'NP', 'XY', 'HT'])}` : '';
    const line = `${flat}${slash}${number} ${pick(STREETS)}${pick(TOWNS)}${postcode}`;
    return chance(0.5) ? line : line.toLowerCase();
  });
}

// ---- dates of birth -----------------------------------------------------------
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
function dobs(): string[] {
  return Array.from({ length: INPUTS_PER_KIND }, () => {
    const y = 1930 + Math.floor(random() * 94);
    const m = 1 + Math.floor(random() * 12);
    const d = 1 + Math.floor(random() * 28);
    const p = (n: number) => String(n).padStart(2, '0');
    switch (Math.floor(random() * 10)) {
      case 0:
        return `${p(d)}/${p(m)}/${y}`;
      case 1:
        return `${d}.${m}.${String(y).slice(2)}`;
      case 2:
        return `${p(d)}-${(MONTHS[m - 1] ?? '').slice(0, 3)}-${y}`;
      case 3:
        return `${d} ${MONTHS[m - 1]} ${y}`;
      case 4:
        return `${y}-${p(m)}-${p(d)}`;
      case 5:
        return String(y);
      case 6:
        return `${p(m)}/${y}`;
      case 7:
        return pick(['34', 'aged 27', 'approx 40', '30s', 'late 20s']);
      case 8:
        return pick(['31/02/1985', 'unknown', '', '12/03/2030']);
      default:
        return `DOB: ${p(d)}/${p(m)}/${y}`;
    }
  });
}

// ---- runner --------------------------------------------------------------------
type Kind = { name: string; jsonKey: string; inputs: string[]; run: (raw: string) => unknown };

let sink = 0;
function consume(value: unknown): void {
  // Keeps the optimiser from dropping work whose result is unused.
  if (value !== null && typeof value === 'object') sink += Object.keys(value).length;
}

function measure(kind: Kind, seconds: number): number {
  const { inputs, run } = kind;
  const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  const start = process.hrtime.bigint();
  let count = 0;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 1000; i++) consume(run(inputs[(count + i) % inputs.length] ?? ''));
    count += 1000;
    now = process.hrtime.bigint();
  }
  return count / (Number(now - start) / 1e9);
}

const phoneInputs = phones();
const kinds: Kind[] = [
  { name: 'phones', jsonKey: 'phones_per_second', inputs: phoneInputs, run: (raw) => canonicalisePhone(raw) },
  { name: 'names', jsonKey: 'names_per_second', inputs: names(), run: (raw) => canonicaliseName(raw) },
  {
    name: 'names, all unseen (no cache hits)',
    jsonKey: 'unseen_names_per_second',
    inputs: unseenNames(200_000),
    run: (raw) => canonicaliseName(raw),
  },
  { name: 'addresses', jsonKey: 'addresses_per_second', inputs: addresses(), run: (raw) => canonicaliseAddress(raw) },
  { name: 'dobs', jsonKey: 'dobs_per_second', inputs: dobs(), run: (raw) => canonicaliseDob(raw, { referenceDate: REFERENCE_DATE }) },
  // Baselines on the same phone inputs, for the fast path's benefit and
  // the cost of full ("max") metadata, which type detection needs.
  {
    name: 'libphonenumber max: parse + getType',
    jsonKey: 'baseline_libphonenumber_max_per_second',
    inputs: phoneInputs,
    run: (raw) => parseMax(raw, 'GB')?.getType(),
  },
  {
    name: 'libphonenumber min: parse + isValid',
    jsonKey: 'baseline_libphonenumber_min_per_second',
    inputs: phoneInputs,
    run: (raw) => parseMin(raw, 'GB')?.isValid(),
  },
];

const results: Record<string, number> = {};
const rows: string[] = [];
for (const kind of kinds) {
  measure(kind, WARM_UP_SECONDS);
  const perSecond = measure(kind, SECONDS);
  results[kind.jsonKey] = Math.round(perSecond);
  rows.push(`${kind.name.padEnd(38)} ${Math.round(perSecond).toLocaleString('en-GB').padStart(12)} /s   ${(1e6 / perSecond).toFixed(2).padStart(7)} µs each`);
}

process.stdout.write(
  [
    `canonicalisation, one core, ${SECONDS}s per kind after ${WARM_UP_SECONDS}s warm-up, ${INPUTS_PER_KIND.toLocaleString('en-GB')} seeded inputs per kind (Node ${process.version})`,
    ...rows,
    `goals: phones 100,000/s, names 200,000/s   (checksum ${sink % 997})`,
    JSON.stringify(results),
  ].join('\n') + '\n',
);
