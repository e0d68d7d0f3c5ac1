// `dauntless canon phone|name|address|dob`: canonicalise a list without
// writing code. Reads one raw value per line on standard input, writes one
// JSON object per line (the canonical result, in input order) to standard
// output. Every input line gives exactly one output line, blank ones too, so
// the output can be pasted beside the input.

import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import {
  canonicaliseAddress,
  canonicaliseDob,
  canonicaliseName,
  canonicalisePhone,
  type AddressInput,
  type NameInput,
} from '../../shared/canon/index.ts';
import { defineCommand, UsageError } from './command.ts';

const KINDS = ['phone', 'name', 'address', 'dob'] as const;
type Kind = (typeof KINDS)[number];

type Options = { kind: Kind; country: CountryCode; referenceDate: Date };

export const command = defineCommand({
  name: 'canon',
  summary: 'canonicalise phone numbers, names, addresses or dates of birth: one per line in, JSON lines out',
  usage: 'dauntless canon <phone|name|address|dob> [options] < values.txt',
  description: `Reads one raw value per line on standard input and writes one JSON object per
line: the canonical value(s), match keys and quality flags.

For name and address, a line that is a JSON object is read as fields:
  {"given":"Bob","family":"Smith"}   {"lines":["10 High St"],"postcode":"EN5 1AA","uprn":"123"}`,
  options: {
    country: { type: 'string', value: 'CC', default: 'GB', description: 'phone: country for numbers typed without a country code' },
    'reference-date': { type: 'string', value: 'DATE', description: 'dob: "today" for ages and two-digit years, YYYY-MM-DD (default: today)' },
  },
  positionals: { min: 0, max: 1, what: 'kind of value' },
  check: ({ values, positionals: [kind] }): Options => {
    if (!kind) throw new UsageError(`say which kind of value to canonicalise: one of ${KINDS.join(', ')}.`);
    if (!isKind(kind)) throw new UsageError(`"${kind}" is not a kind of value; use one of ${KINDS.join(', ')}.`);
    const country = values.country.toUpperCase() as CountryCode;
    if (!isSupportedCountry(country)) throw new UsageError(`--country needs a two-letter country code such as GB (got "${values.country}").`);
    // Read the clock once, here at the edge: the library never reads it when given a date.
    const dateText = values['reference-date'];
    if (dateText === undefined) return { kind, country, referenceDate: new Date() };
    const date = /^\d{4}-\d{2}-\d{2}$/.test(dateText) ? new Date(`${dateText}T00:00:00Z`) : undefined;
    if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== dateText) throw new UsageError(`--reference-date needs a date as YYYY-MM-DD (got "${dateText}").`);
    return { kind, country, referenceDate: date };
  },
  run: async (options, io) => {
    const canonicalise = canonicaliser(options);
    const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      if (!io.stdout.write(`${JSON.stringify(canonicalise(line))}\n`)) await once(io.stdout, 'drain');
    }
    return 0;
  },
});

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
