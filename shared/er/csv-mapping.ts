// Column mappings: which CSV column feeds which person field, written
// `--map SRC=FIELD[,SRC=FIELD...]` (e.g. `first_name=given_name,surname=family_name,
// occupation=attr:occupation`). Several columns may feed one field: text
// fields are joined with a space in mapping order ("PRIMARY_NAME_FIRST" and
// "PRIMARY_NAME_MIDDLE" → given_name), list fields (phone, email, address,
// alias) get one entry per column. An attribute may name how it is compared
// (`postcode=attr:postcode~numeric`, `address_2=attr:address_2~fuzzy`; see
// comparisons.ts ATTR_COMPARISONS): fields that are not UK-typed (an
// Australian suburb, a postal code) then get fuzzy evidence of their own.
// Parsed once and frozen; errors say what to write instead. Pure.

import { ATTR_COMPARISONS, type AttrComparison } from './comparisons.ts';
import type { PersonFields, PersonRecord } from './identity-store.ts';

/** Text fields: one value per record (columns mapped to the same field are joined with a space). */
const TEXT_FIELDS = ['given_name', 'family_name', 'full_name', 'dob', 'house_number', 'street', 'town', 'postcode', 'gender'] as const;
/** List fields: each column mapped adds one value. */
const LIST_FIELDS = { phone: 'phones', email: 'emails', address: 'addresses', alias: 'aliases' } as const;
const NUMBER_FIELDS = ['age'] as const;

type TextField = (typeof TEXT_FIELDS)[number];
type ListField = keyof typeof LIST_FIELDS;

export type MappingTarget =
  | { kind: 'text'; field: TextField }
  | { kind: 'list'; field: ListField }
  | { kind: 'number'; field: 'age' }
  | { kind: 'attr'; name: string; comparison?: AttrComparison };

export type ColumnMapping = readonly { column: string; target: MappingTarget }[];

export const MAPPING_FIELDS: readonly string[] = [...TEXT_FIELDS, ...Object.keys(LIST_FIELDS), ...NUMBER_FIELDS, 'attr:NAME', 'attr:NAME~COMPARISON'];

const ATTR_NAME = /^[a-z][a-z0-9_]*$/;

/** Parses one or more `SRC=FIELD[,SRC=FIELD...]` specs. Throws a TypeError naming the bad entry. */
export function parseMapping(specs: string | readonly string[]): ColumnMapping {
  const entries: { column: string; target: MappingTarget }[] = [];
  for (const spec of typeof specs === 'string' ? [specs] : specs) {
    for (const part of spec.split(',')) {
      const entry = part.trim();
      if (!entry) continue;
      const eq = entry.lastIndexOf('=');
      if (eq <= 0 || eq === entry.length - 1) {
        throw new TypeError(`--map entry "${entry}": write SOURCE_COLUMN=FIELD, e.g. first_name=given_name`);
      }
      const column = entry.slice(0, eq).trim();
      entries.push({ column, target: parseTarget(entry.slice(eq + 1).trim(), entry) });
    }
  }
  if (entries.length === 0) throw new TypeError('--map: no SOURCE=FIELD entries given');
  return Object.freeze(entries.map((e) => Object.freeze(e)));
}

function parseTarget(target: string, entry: string): MappingTarget {
  if (target.startsWith('attr:')) {
    const [name = '', comparison, ...rest] = target.slice(5).split('~');
    if (!ATTR_NAME.test(name)) {
      throw new TypeError(`--map entry "${entry}": attribute names are lower case letters, digits and _ (e.g. attr:birth_place)`);
    }
    if (comparison === undefined) return { kind: 'attr', name };
    if (rest.length > 0 || !(comparison in ATTR_COMPARISONS)) {
      throw new TypeError(`--map entry "${entry}": compare an attribute with one of ${Object.keys(ATTR_COMPARISONS).join(', ')} (e.g. attr:suburb~fuzzy)`);
    }
    return { kind: 'attr', name, comparison: comparison as AttrComparison };
  }
  if ((TEXT_FIELDS as readonly string[]).includes(target)) return { kind: 'text', field: target as TextField };
  if (target in LIST_FIELDS) return { kind: 'list', field: target as ListField };
  if (target === 'age') return { kind: 'number', field: 'age' };
  throw new TypeError(`--map entry "${entry}": unknown field "${target}"; fields are ${MAPPING_FIELDS.join(', ')}`);
}

/** Source columns of the mapping absent from a header (to report, or to fail on). */
export function missingColumns(mapping: ColumnMapping, header: readonly string[]): string[] {
  const present = new Set(header);
  return mapping.map((m) => m.column).filter((c) => !present.has(c));
}

/**
 * Maps one CSV row to a person record. Values are trimmed; empty values and
 * columns the row does not have are skipped.
 */
export function mapRow(row: Record<string, string | undefined>, mapping: ColumnMapping, ids: { recordId: string; source: string }): PersonRecord {
  const fields: PersonFields = {};
  const text: Partial<Record<TextField, string[]>> = {};
  for (const { column, target } of mapping) {
    const value = row[column]?.trim();
    if (!value) continue;
    switch (target.kind) {
      case 'text':
        (text[target.field] ??= []).push(value);
        break;
      case 'list': {
        const key = LIST_FIELDS[target.field];
        (fields[key] ??= []).push(value);
        break;
      }
      case 'number': {
        const n = Number(value);
        if (Number.isFinite(n)) fields.age = n;
        break;
      }
      case 'attr':
        (fields.attrs ??= {})[target.name] = fields.attrs?.[target.name] ? `${fields.attrs[target.name]} ${value}` : value;
        if (target.comparison) (fields.attrComparisons ??= {})[target.name] = target.comparison;
        break;
    }
  }
  for (const [field, values] of Object.entries(text) as [TextField, string[]][]) fields[field] = values.join(' ');
  return { recordId: ids.recordId, source: ids.source, fields };
}
