// `dauntless canon phone|name|address|dob`: canonicalise a list without
// writing code. Reads one raw value per line on standard input, writes one
// JSON object per line (the canonical result, in input order) to standard
// output. Every input line gives exactly one output line, blank ones too, so
// the output can be pasted beside the input.

import { createInterface } from 'node:readline';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import {
  canonicaliseAddress,
  canonicaliseDob,
  canonicaliseName,
  canonicalisePhone,
  type AddressInput,
  type NameInput,
} from '../../shared/canon/index.ts';

const KINDS = ['phone', 'name', 'address', 'dob'] as const;
type Kind = (typeof KINDS)[number];

export const usage = `Usage: dauntless canon <phone|name|address|dob> [options] < values.txt

Reads one raw value per line on standard input and writes one JSON object per
line: the canonical value(s), match keys and quality flags.

Options:
  --country CC            phone: country for numbers typed without a country code (default GB)
  --reference-date DATE   dob: "today" for ages and two-digit years, YYYY-MM-DD (default: today)

For name and address, a line that is a JSON object is read as fields:
  {"given":"Bob","family":"Smith"}   {"lines":["10 High St"],"postcode":"EN5 1AA","uprn":"123"}`;

export type CanonIo = { stdin: Readable; stdout: Writable; stderr: Writable };

type Options = { kind: Kind; country: CountryCode; referenceDate: Date };

export async function run(args: string[], io: CanonIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    io.stderr.write(`dauntless canon: ${parsed}\n\n${usage}\n`);
    return 2;
  }
  const canonicalise = canonicaliser(parsed);
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!io.stdout.write(`${JSON.stringify(canonicalise(line))}\n`)) await once(io.stdout, 'drain');
  }
  return 0;
}

function parseArgs(args: string[]): Options | string {
  const [kind, ...rest] = args;
  if (!kind) return `say which kind of value to canonicalise: one of ${KINDS.join(', ')}.`;
  if (!isKind(kind)) return `"${kind}" is not a kind of value; use one of ${KINDS.join(', ')}.`;
  // Read the clock once, here at the edge: the library never reads it when given a date.
  const options: Options = { kind, country: 'GB', referenceDate: new Date() };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const value = rest[i + 1];
    if (flag === '--country') {
      if (!value || !isSupportedCountry(value.toUpperCase() as CountryCode)) return `--country needs a two-letter country code such as GB (got "${value ?? ''}").`;
      options.country = value.toUpperCase() as CountryCode;
      i += 1;
    } else if (flag === '--reference-date') {
      const date = value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
      if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) return `--reference-date needs a date as YYYY-MM-DD (got "${value ?? ''}").`;
      options.referenceDate = date;
      i += 1;
    } else {
      return `unknown option "${flag}"; see the options below.`;
    }
  }
  return options;
}

const isKind = (value: string): value is Kind => (KINDS as readonly string[]).includes(value);

function canonicaliser(options: Options): (line: string) => unknown {
  switch (options.kind) {
    case 'phone':
      return (line) => canonicalisePhone(line, { defaultCountry: options.country });
    // The canonicalisers read fields of any JSON type safely (numbers become
    // text, other types are ignored), so a parsed object can go straight in.
    case 'name':
      return (line) => canonicaliseName(fieldsOrText(line) as NameInput);
    case 'address':
      return (line) => canonicaliseAddress(fieldsOrText(line) as AddressInput);
    case 'dob':
      return (line) => canonicaliseDob(line, { referenceDate: options.referenceDate });
  }
}

/** A line that is a JSON object is a record's fields; anything else is one raw value. */
function fieldsOrText(line: string): string | object {
  if (!line.trimStart().startsWith('{')) return line;
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : line;
  } catch {
    return line;
  }
}
