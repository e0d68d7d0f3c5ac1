// A supervisor's correction of one person record (one party's record in one
// incident or justice event): the fields as the API and the person page name
// them, checked with the caps and rules of an incoming call
// (input-limits.ts; validateIncident's "something to resolve"), applied to
// the record as stored, and the names of the fields it changed. Reasons name
// the field and its size, never its value. Pure.
import type { PersonFields, PersonRecord } from './identity-store.ts';
import { boundedReasons, checkLength, checkList, COUNT_LIMITS as N, STRING_LIMITS as S } from './input-limits.ts';

/** A field a correction may set, as the API names it, with the record field it is kept in and its caps. */
const TEXT_FIELDS = {
  /** Given and middle names, as the record keeps them (partyToPersonRecord joins them). */
  givenName: { stored: 'given_name', max: S.fullName },
  familyName: { stored: 'family_name', max: S.namePart },
  fullName: { stored: 'full_name', max: S.fullName },
  dateOfBirth: { stored: 'dob', max: S.short },
  gender: { stored: 'gender', max: S.short },
} as const;

const LIST_FIELDS = {
  aliases: { stored: 'aliases', maxItems: N.aliases, max: S.fullName },
  phones: { stored: 'phones', maxItems: N.phones, max: S.phone },
  emails: { stored: 'emails', maxItems: N.emails, max: S.email },
  addresses: { stored: 'addresses', maxItems: N.addresses, max: S.address },
} as const;

/** A stated age, when no date of birth is known: whole years, as a call carries it. */
const AGE_FIELD = { ageYears: { stored: 'age', min: 0, max: 130 } } as const;

export type CorrectableField = keyof typeof TEXT_FIELDS | keyof typeof LIST_FIELDS | keyof typeof AGE_FIELD;
export const CORRECTABLE_FIELDS: readonly CorrectableField[] = [
  ...(Object.keys(TEXT_FIELDS) as CorrectableField[]),
  ...(Object.keys(LIST_FIELDS) as CorrectableField[]),
  ...(Object.keys(AGE_FIELD) as CorrectableField[]),
];

/** What a correction sets: a value replaces the field (a list replaces the whole list), null clears it, a field left out stays. */
export type CorrectionFields = Partial<Record<CorrectableField, string | string[] | number | null>>;

export type CheckedCorrection =
  | { ok: true; record: PersonRecord; changed: CorrectableField[] }
  | { ok: false; code: 'INVALID_CORRECTION' | 'NOTHING_TO_CORRECT'; reasons: string[] };

const isText = (f: string): f is keyof typeof TEXT_FIELDS => f in TEXT_FIELDS;
const isList = (f: string): f is keyof typeof LIST_FIELDS => f in LIST_FIELDS;

/** The stored record's value of an API field, as the API shows it (absent: undefined). */
export function storedValue(fields: PersonFields, field: CorrectableField): string | string[] | number | undefined {
  const stored = isText(field) ? TEXT_FIELDS[field].stored : isList(field) ? LIST_FIELDS[field].stored : AGE_FIELD.ageYears.stored;
  return (fields as Record<string, string | string[] | number | undefined>)[stored];
}

/** The record's fields as the API names them, for the person page's form (fields the API cannot correct left out). */
export function correctableValues(fields: PersonFields): CorrectionFields {
  const out: CorrectionFields = {};
  for (const field of CORRECTABLE_FIELDS) {
    const value = storedValue(fields, field);
    if (value !== undefined) out[field] = Array.isArray(value) ? [...value] : value;
  }
  return out;
}

/** A value that says nothing: an empty text or list is the same as no value. */
const blank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && !value.trim()) || (Array.isArray(value) && value.length === 0);
const same = (a: unknown, b: unknown) => (blank(a) && blank(b)) || JSON.stringify(a) === JSON.stringify(b);

/**
 * The corrected record, or why the correction is refused: an unknown field, a value of the wrong type or over its
 * cap, a record left with nothing to resolve on, or a correction that changes nothing. `changed` lists the API names
 * of the fields whose value changed, in CORRECTABLE_FIELDS order: what the audit log records (never the values).
 */
export function applyCorrection(record: PersonRecord, input: unknown): CheckedCorrection {
  const refuse = (...reasons: string[]): CheckedCorrection => ({ ok: false, code: 'INVALID_CORRECTION', reasons: boundedReasons(reasons) });
  if (!input || typeof input !== 'object' || Array.isArray(input)) return refuse('fields is an object of the fields to correct');
  const given = input as Record<string, unknown>;
  const unknown = Object.keys(given).filter((k) => !(CORRECTABLE_FIELDS as readonly string[]).includes(k));
  if (unknown.length > 0) return refuse(`${unknown.length} field(s) cannot be corrected here (${unknown.map((k) => k.slice(0, 32)).join(', ')}); the fields are ${CORRECTABLE_FIELDS.join(', ')}`);
  if (Object.keys(given).length === 0) return refuse('name at least one field to correct');

  const reasons: string[] = [];
  const fields: Record<string, unknown> = { ...record.fields };
  for (const [field, value] of Object.entries(given)) {
    if (isText(field)) {
      const { stored, max } = TEXT_FIELDS[field];
      if (value !== null && typeof value !== 'string') reasons.push(`${field} is text or null`);
      else {
        checkLength(reasons, field, value, max);
        if (blank(value)) delete fields[stored];
        else fields[stored] = value;
      }
    } else if (isList(field)) {
      const { stored, maxItems, max } = LIST_FIELDS[field];
      if (value !== null && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) reasons.push(`${field} is a list of text or null`);
      else {
        // Blank lines of a form's text area are no values.
        const list = ((value as string[] | null) ?? []).filter((v) => v.trim());
        checkList(reasons, field, list, maxItems, max);
        if (list.length === 0) delete fields[stored];
        else fields[stored] = list;
      }
    } else {
      const { stored, min, max } = AGE_FIELD.ageYears;
      if (value === null) delete fields[stored];
      else if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) reasons.push(`ageYears is a whole number of years from ${min} to ${max}, or null`);
      else fields[stored] = value;
    }
  }
  if (reasons.length > 0) return refuse(...reasons);

  const corrected: PersonRecord = { ...record, fields: fields as PersonFields };
  const f = corrected.fields;
  // validateIncident's party rule: something to resolve the person on.
  const hasDetail = Boolean(f.given_name || f.family_name || f.full_name || f.phones?.length || f.emails?.length || f.dob || f.addresses?.length || f.postcode || f.street || Object.keys(f.attrs ?? {}).length);
  if (!hasDetail) return refuse('the record would have no name, phone, email, date of birth or address to resolve');
  const changed = CORRECTABLE_FIELDS.filter((field) => !same(storedValue(record.fields, field), storedValue(f, field)));
  if (changed.length === 0) return { ok: false, code: 'NOTHING_TO_CORRECT', reasons: ['every field given already has that value'] };
  return { ok: true, record: corrected, changed };
}

/**
 * Whether a reason quotes a value of the correction (the old or the new): the reason goes to the audit log, which
 * keeps no personal data, so "dob typed 3/4/91, is 4/3/91" is refused and "day and month typed the wrong way round"
 * is not. Values shorter than four characters (a gender, an age) are not looked for.
 */
export function reasonQuotesValue(reason: string, before: PersonRecord, after: PersonRecord, changed: readonly CorrectableField[]): boolean {
  const text = reason.toLowerCase();
  const values = changed.flatMap((field) => [storedValue(before.fields, field), storedValue(after.fields, field)]).flatMap((v) => (Array.isArray(v) ? v : v === undefined ? [] : [String(v)]));
  return values.some((v) => v.trim().length >= 4 && text.includes(v.trim().toLowerCase()));
}
