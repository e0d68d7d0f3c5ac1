// Person record → the canonical features the resolver blocks and compares
// on. Every field is canonicalised once here (shared/canon) and the result is
// what the identity store keeps per member record, so it is compact and
// JSON-serialisable: short property names, empty lists left out, no raw
// values beyond what matching needs. Pure; never throws on odd input.

import type { CountryCode } from 'libphonenumber-js';
import {
  canonicaliseAddress,
  canonicaliseDob,
  canonicaliseName,
  canonicalisePhone,
  type DobPrecision,
  type NameKeys,
} from '../canon/index.ts';
import { foldLetters } from '../canon/text.ts';
import type { AttrComparison } from './comparisons.ts';
import type { PersonFeatures, PersonRecord } from './identity-store.ts';

/** One reading of a name. Folded strings (a–z, or a non-Latin script's own letters). */
export type NameFeature = {
  /** First given name ("" if none). */
  g: string;
  /** Family name, parts joined ("" if none). */
  f: string;
  /** Nickname-group keys of the first given name. */
  gg: string[];
  /** Initials of the given names, in order. */
  i: string;
  /** Double Metaphone codes of the family name (and its parts). */
  fs: string[];
  /** Double Metaphone codes of the first given name. */
  gs: string[];
  /** Parts of a double-barrelled family name, when more than one. */
  fp?: string[];
  /** Middle names (second given name on). */
  m?: string[];
};

export type DobFeature = {
  p: DobPrecision;
  /** Full dates to match on: the date as read, then the day/month swap when plausible. */
  c?: string[];
  y?: number;
  mo?: number;
  d?: number;
  /** Earliest and latest possible birth dates (ISO), for partial dates and ages. */
  r?: [string, string];
};

export type AddressFeature = {
  /** UPRN, when given. */
  u?: string;
  /** Postcode, compact: "SW1A1AA" for a UK postcode, else the folded postal code as typed ("4814", "89132"). */
  pc?: string;
  /** UK postcode sector ("SW1A 1") and district ("SW1A"). */
  sec?: string;
  dist?: string;
  /** House number ("10", "10-12"), house name, flat. */
  hn?: string;
  hnm?: string;
  fl?: string;
  /** Street, folded, type written out ("high street"). */
  st?: string;
  /** Town or locality: the last locality part, folded, without a trailing postal code. */
  t?: string;
};

/** The features of one record; the shape stored per member in the identity store. */
export type ErFeatures = PersonFeatures & {
  /** Primary reading first, then aliases. */
  n: NameFeature[];
  /** The other reading of the typed name (family first ↔ last), for swapped names. */
  sw?: NameFeature;
  dob?: DobFeature;
  /** Phone keys (E.164, or "digits:..." for numbers that do not validate). */
  ph?: string[];
  /** E-mail addresses, lower case. */
  em?: string[];
  ad?: AddressFeature[];
  /** "m" or "f". */
  sx?: 'm' | 'f';
  /** Identifiers (IDENTIFIER_ATTRS), upper-case letters and digits only ("passport" → "10251111"). */
  id?: Record<string, string>;
  /** Other attributes, folded ("occupation" → "rabbi"). */
  at?: Record<string, string>;
  /** How an attribute is compared, when the mapping said (comparisons.ts ATTR_COMPARISONS); 'text' otherwise. */
  ak?: Record<string, AttrComparison>;
};

/**
 * Attribute names read as identifiers of one person (compared exactly and
 * blocked on), not descriptions (compared with term frequencies). A CSV maps
 * its columns onto these names (`--map SSN_NUMBER=attr:ssn`).
 */
export const IDENTIFIER_ATTRS: ReadonlySet<string> = new Set([
  'ssn', 'national_id', 'passport', 'driving_licence', 'pnc_id', 'cro_number', 'nhs_number',
]);

export type FeaturesOptions = {
  /** "Today", for ages and two-digit years. Pass it explicitly: results depend on it. */
  referenceDate: Date;
  /** Country assumed for phone numbers typed without a country code. Default GB. */
  phoneCountry?: CountryCode;
};

/** Canonical features of one person record. */
export function featuresOf(record: PersonRecord, opts: FeaturesOptions): ErFeatures {
  const fields = record.fields;
  const features: ErFeatures = { recordId: record.recordId, source: record.source, n: [] };
  readNames(record, features);
  const dob = readDob(fields.dob, fields.age, opts.referenceDate);
  if (dob) features.dob = dob;
  const phones = readPhones(fields.phones, opts.phoneCountry ?? 'GB');
  if (phones.length > 0) features.ph = phones;
  const emails = readEmails(fields.emails);
  if (emails.length > 0) features.em = emails;
  const addresses = readAddresses(record);
  if (addresses.length > 0) features.ad = addresses;
  const sex = readGender(fields.gender);
  if (sex) features.sx = sex;
  const { ids, attrs } = readAttrs(fields.attrs);
  if (ids) features.id = ids;
  if (attrs) features.at = attrs;
  const kinds = Object.entries(fields.attrComparisons ?? {}).filter(([name, how]) => attrs?.[name] !== undefined && how !== 'text');
  if (kinds.length > 0) features.ak = Object.fromEntries(kinds);
  return features;
}

function readNames(record: PersonRecord, out: ErFeatures): void {
  const { given_name: given, family_name: family, full_name: full, aliases } = record.fields;
  const hasParts = Boolean(given?.trim() || family?.trim());
  const primary = canonicaliseName(hasParts ? { given: given ?? '', family: family ?? '' } : { full: full ?? '' });
  const words = primary.given.length + primary.family.length;
  if (words === 1) {
    // One word, whichever field it came in: it may be either name, so both readings are kept.
    const word = primary.keys.family || primary.keys.given;
    const asGiven = canonicaliseName({ given: word }).keys;
    const asFamily = canonicaliseName({ family: word }).keys;
    out.n.push(nameFeature(asFamily, []));
    out.sw = nameFeature(asGiven, []);
  } else if (words > 1) {
    out.n.push(nameFeature(primary.keys, primary.given.slice(1)));
    if (primary.swapped) out.sw = nameFeature(primary.swapped, []);
  }
  for (const alias of primary.aliases) out.n.push(nameFeature(alias.keys, alias.given.slice(1)));
  // A full name beside given/family fields is read as another reading ("thomas de barry" beside "thomas barry").
  const others = [...(hasParts && full ? [full] : []), ...(aliases ?? [])];
  for (const text of others) {
    const other = canonicaliseName(text);
    if (other.given.length + other.family.length === 0) continue;
    const feature = nameFeature(other.keys, other.given.slice(1));
    if (!out.n.some((n) => n.g === feature.g && n.f === feature.f)) out.n.push(feature);
    for (const alias of other.aliases) out.n.push(nameFeature(alias.keys, alias.given.slice(1)));
  }
  if (out.n.length > MAX_NAMES) out.n.length = MAX_NAMES;
}

/** Readings kept per record: bounds comparison cost. */
const MAX_NAMES = 4;

function nameFeature(keys: NameKeys, middle: string[]): NameFeature {
  const feature: NameFeature = { g: keys.given, f: keys.family, gg: keys.givenGroups, i: keys.initials, fs: keys.familySound, gs: keys.givenSound };
  if (keys.familyParts.length > 1) feature.fp = keys.familyParts;
  const middles = middle.map((m) => m.replace(/-/g, '')).filter(Boolean);
  if (middles.length > 0) feature.m = middles;
  return feature;
}

function readDob(raw: string | undefined, age: number | undefined, referenceDate: Date): DobFeature | undefined {
  if (!raw?.trim() && age === undefined) return undefined;
  const dob = canonicaliseDob(raw ?? '', age === undefined ? { referenceDate } : { referenceDate, age });
  if (dob.precision === 'none') return undefined;
  const feature: DobFeature = { p: dob.precision };
  if (dob.candidates.length > 0) feature.c = dob.candidates;
  if (dob.year !== undefined) feature.y = dob.year;
  if (dob.month !== undefined) feature.mo = dob.month;
  if (dob.day !== undefined) feature.d = dob.day;
  if (dob.range) feature.r = [dob.range.from, dob.range.to];
  return feature;
}

function readPhones(phones: string[] | undefined, country: CountryCode): string[] {
  // A Set keeps first-seen order and makes de-duplication linear in the number of phones.
  const keys = new Set<string>();
  for (const raw of phones ?? []) {
    for (const key of canonicalisePhone(raw, { defaultCountry: country }).keys) keys.add(key);
  }
  return [...keys];
}

/** What separates an e-mail from the text around it ("Maria Sentosa <m@x.com>; other"). */
const EMAIL_SEPARATORS = /[\s<>"',;()]+/;

/**
 * An e-mail is a run of non-separators with an "@" after its first character
 * and, two or more characters after that "@", a "." that is not its last
 * character: what /[^sep]+@[^sep]+\.[^sep]+/g finds, the whole run. Found
 * with one split and two index scans, linear in the text: that regex
 * backtracks cubically on a long run with an "@" and no dot (4,000
 * characters took 31 s). features.test.ts checks the two agree.
 */
export function emailsInText(text: string): string[] {
  const found: string[] = [];
  for (const run of text.split(EMAIL_SEPARATORS)) {
    const at = run.indexOf('@', 1);
    if (at > 0 && run.lastIndexOf('.', run.length - 2) >= at + 2) found.push(run);
  }
  return found;
}

/** "Maria Sentosa<MSentosa@fmail.com>" → "msentosa@fmail.com". */
function readEmails(emails: string[] | undefined): string[] {
  const out = new Set<string>();
  for (const raw of emails ?? []) {
    for (const match of emailsInText(raw)) {
      const email = match.toLowerCase();
      out.add(email.endsWith('.') ? email.slice(0, -1) : email);
    }
  }
  return [...out];
}

const TRAILING_POSTAL_CODE = /\s*\b(\d{4,6})(?:-?\d{4})?$/;

function readAddresses(record: PersonRecord): AddressFeature[] {
  const { addresses, house_number: houseNumber, street, town, postcode } = record.fields;
  const out: AddressFeature[] = [];
  const texts = (addresses ?? []).filter((a) => a.trim());
  const hasParts = Boolean(houseNumber?.trim() || street?.trim() || town?.trim() || postcode?.trim());
  if (hasParts) {
    const line = [houseNumber, street].filter((p) => p?.trim()).join(' ');
    const lines = [texts.length === 1 && !line ? texts[0]! : line, town ?? ''].filter((l) => l.trim());
    const feature = addressFeature(lines, postcode);
    if (feature) out.push(feature);
    if (texts.length === 1 && !line) texts.length = 0;
  }
  const seen = new Set(out.map((a) => JSON.stringify(a)));
  for (const text of texts) {
    const feature = addressFeature([text], undefined);
    const key = feature && JSON.stringify(feature);
    if (feature && !seen.has(key!)) {
      seen.add(key!);
      out.push(feature);
    }
  }
  return out.slice(0, MAX_ADDRESSES);
}

const MAX_ADDRESSES = 3;

function addressFeature(lines: string[], postcode: string | undefined): AddressFeature | undefined {
  const a = canonicaliseAddress(postcode?.trim() ? { lines, postcode } : lines.join(', '));
  const f: AddressFeature = {};
  if (a.uprn) f.u = a.uprn;
  if (a.keys.postcode) {
    f.pc = a.keys.postcode;
    if (a.keys.sector) f.sec = a.keys.sector.replace(' ', '');
    if (a.keys.outward) f.dist = a.keys.outward;
  } else {
    // Not a UK postcode: kept as typed (digits and letters), so a postal code from anywhere still matches itself.
    const typed = foldCode(postcode ?? '');
    const trailing = TRAILING_POSTAL_CODE.exec(a.locality[a.locality.length - 1] ?? '');
    if (typed) f.pc = typed;
    else if (trailing?.[1]) f.pc = trailing[1];
  }
  if (a.houseNumber) f.hn = a.houseNumber;
  if (a.houseName) f.hnm = a.houseName;
  if (a.flat) f.fl = a.flat;
  if (a.street) f.st = a.street;
  const lastLocality = a.locality[a.locality.length - 1]?.replace(TRAILING_POSTAL_CODE, '').trim();
  if (lastLocality) f.t = lastLocality;
  return Object.keys(f).length > 0 ? f : undefined;
}

const foldCode = (text: string): string => foldLetters(text).replace(/[^a-z0-9]/g, '').toUpperCase();

const MALE = new Set(['m', 'male', 'man', 'boy']);
const FEMALE = new Set(['f', 'female', 'woman', 'girl']);

function readGender(raw: string | undefined): 'm' | 'f' | undefined {
  const g = raw?.trim().toLowerCase() ?? '';
  return MALE.has(g) ? 'm' : FEMALE.has(g) ? 'f' : undefined;
}

function readAttrs(input: Record<string, string> | undefined): { ids?: Record<string, string>; attrs?: Record<string, string> } {
  let ids: Record<string, string> | undefined;
  let attrs: Record<string, string> | undefined;
  for (const [name, raw] of Object.entries(input ?? {})) {
    const folded = foldLetters(raw ?? '');
    if (IDENTIFIER_ATTRS.has(name)) {
      const value = folded.replace(/[^a-z0-9]/g, '').toUpperCase();
      if (value) (ids ??= {})[name] = value;
    } else {
      const value = folded.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
      if (value) (attrs ??= {})[name] = value;
    }
  }
  return { ...(ids ? { ids } : {}), ...(attrs ? { attrs } : {}) };
}

/** The features of a record as stored: narrows PersonFeatures read back from a store. */
export const asErFeatures = (features: PersonFeatures): ErFeatures =>
  Array.isArray((features as ErFeatures).n) ? (features as ErFeatures) : { ...features, n: [] };
