// Comparisons, Splink style: each compares one field of two records and
// answers with a level from an ordered list, strongest agreement first,
// 'else' last; 'null' when either side has nothing to compare. The model
// (model.ts) gives each level its m and u probabilities; term-frequency
// adjustment applies to the levels named in the model, using the `term` a
// comparison reports (the shared value, e.g. "family_name:smith").
//
// Names are compared on the pair of readings that line up best (as typed,
// swapped, aliases), so "Shaw Daniella" meets "Daniella Shaw". Pure.

import type { AddressFeature, DobFeature, ErFeatures, NameFeature } from './features.ts';
import { nicknameGroupMembers } from '../canon/nicknames.ts';
import { editDistance, jaroWinkler } from './string-similarity.ts';

/** The level names of each fixed comparison, in order. Attribute comparisons ("attr:NAME") use ATTR_LEVELS. */
export const COMPARISON_LEVELS = {
  given_name: ['null', 'exact', 'jaro_winkler>=0.92', 'nickname', 'jaro_winkler>=0.85', 'same_letters', 'initial', 'nickname_typo', 'else'],
  family_name: ['null', 'exact', 'jaro_winkler>=0.92', 'part', 'jaro_winkler>=0.85', 'same_letters', 'sound', 'else'],
  middle_name: ['null', 'exact', 'initial', 'else'],
  // 'far_apart', the strongest disagreement, comes before the catch-all 'else' (10–12 years apart, ranges that just miss).
  dob: ['null', 'exact', 'day_month_swapped', 'one_edit', 'within_1_month', 'partial_compatible', 'age_compatible', 'two_edits', 'within_1_year', 'within_10_years', 'far_apart', 'else'],
  postcode: ['null', 'exact', 'sector', 'district', 'one_edit', 'else'],
  street: ['null', 'uprn', 'house_and_street', 'house_and_street_fuzzy', 'street', 'street_fuzzy', 'else'],
  town: ['null', 'exact', 'jaro_winkler>=0.88', 'else'],
  phone: ['null', 'exact', 'last_7_digits', 'else'],
  email: ['null', 'exact', 'local_part', 'fuzzy', 'else'],
  gender: ['null', 'exact', 'else'],
  identifier: ['null', 'exact', 'one_edit', 'two_edits', 'else'],
} as const;

export const ATTR_LEVELS = ['null', 'exact', 'jaro_winkler>=0.88', 'else'] as const;

/**
 * How an attribute ("attr:NAME") may be compared, named in the CSV mapping
 * (`suburb=attr:suburb~fuzzy`), each with its ordered levels:
 * - text (the default): exact, one Jaro–Winkler level, else;
 * - exact: exact or not (a state, a code);
 * - fuzzy: Jaro–Winkler at three thresholds (a suburb, an address line
 *   typed by hand);
 * - numeric: for numbers (a postal code, a house number): exact, a digit
 *   typed wrong (one edit), within 1% or 10% of the larger, else. Numbers
 *   close in value are often close in fact (Australian postcodes run by
 *   area). Values that are not numbers compare as exact or else.
 */
export const ATTR_COMPARISONS = {
  text: ATTR_LEVELS,
  exact: ['null', 'exact', 'else'],
  fuzzy: ['null', 'exact', 'jaro_winkler>=0.95', 'jaro_winkler>=0.88', 'jaro_winkler>=0.8', 'else'],
  numeric: ['null', 'exact', 'one_edit', 'within_1%', 'within_10%', 'else'],
} as const satisfies Record<string, readonly string[]>;

export type AttrComparison = keyof typeof ATTR_COMPARISONS;

export type ComparisonName = keyof typeof COMPARISON_LEVELS;

/** One comparison's outcome for a pair of records. */
export type FieldComparison = {
  /** "given_name", "dob" ..., or "attr:occupation". */
  field: string;
  level: string;
  /** The shared value's term-frequency key, on exact levels ("family_name:smith"). */
  term?: string;
};

/** Compares two records field by field; fields null on both sides are left out. */
export function compareRecords(a: ErFeatures, b: ErFeatures): FieldComparison[] {
  const out: FieldComparison[] = [];
  compareNames(a, b, out);
  push(out, 'dob', compareDob(a.dob, b.dob));
  compareAddresses(a.ad, b.ad, out);
  push(out, 'phone', compareLists(a.ph, b.ph, 'phone', comparePhone));
  push(out, 'email', compareLists(a.em, b.em, 'email', compareEmail));
  if (a.sx && b.sx) out.push({ field: 'gender', level: a.sx === b.sx ? 'exact' : 'else' });
  push(out, 'identifier', compareIdentifiers(a.id, b.id));
  compareAttrs(a, b, out);
  return out;
}

type Outcome = { level: string; term?: string } | undefined;

function push(out: FieldComparison[], field: string, outcome: Outcome): void {
  if (!outcome) return;
  out.push(outcome.term ? { field, level: outcome.level, term: outcome.term } : { field, level: outcome.level });
}

// ---- names ----------------------------------------------------------------

/** Similarity of two given names for choosing readings: 1 for the same name or a nickname. */
function givenSimilarity(a: NameFeature, b: NameFeature): number {
  if (!a.g || !b.g) return 0;
  if (a.g === b.g || intersects(a.gg, b.gg)) return 1;
  return jaroWinkler(a.g, b.g);
}

function familySimilarity(a: NameFeature, b: NameFeature): number {
  if (!a.f || !b.f) return 0;
  if (a.f === b.f) return 1;
  return Math.max(jaroWinkler(a.f, b.f), a.fp || b.fp ? (intersects(a.fp ?? [a.f], b.fp ?? [b.f]) ? 0.97 : 0) : 0);
}

function compareNames(a: ErFeatures, b: ErFeatures, out: FieldComparison[]): void {
  let bestX: NameFeature | undefined;
  let bestY: NameFeature | undefined;
  let bestScore = -1;
  // The pair of readings that lines up best; 2 (both names the same) cannot be beaten.
  for (const x of a.n) {
    for (const y of b.n) {
      const score = readingSimilarity(x, y);
      if (score > bestScore) {
        bestX = x;
        bestY = y;
        bestScore = score;
      }
      if (bestScore >= 2) break;
    }
    if (bestScore >= 2) break;
  }
  // A one-word name has two readings of equal standing (given or family);
  // otherwise the swapped reading is the other way of typing the same name,
  // and is taken only when it lines up clearly better.
  const aSingle = isSingleWord(a);
  const bSingle = isSingleWord(b);
  if (a.sw && bestScore < 2) {
    const penalty = aSingle ? 0 : SWAP_PENALTY;
    for (const y of b.n) {
      const score = readingSimilarity(a.sw, y) - penalty;
      if (score > bestScore) {
        bestX = a.sw;
        bestY = y;
        bestScore = score;
      }
    }
  }
  if (b.sw && !aSingle && bestScore < 2) {
    const penalty = bSingle ? 0 : SWAP_PENALTY;
    for (const x of a.n) {
      const score = readingSimilarity(x, b.sw) - penalty;
      if (score > bestScore) {
        bestX = x;
        bestY = b.sw;
        bestScore = score;
      }
    }
  }
  if (!bestX || !bestY) return;
  push(out, 'given_name', compareGiven(bestX, bestY));
  push(out, 'family_name', compareFamily(bestX, bestY));
  push(out, 'middle_name', compareMiddle(bestX, bestY));
}

/** How well two readings line up, 0–2: given-name plus family-name similarity. */
const readingSimilarity = (x: NameFeature, y: NameFeature): number => givenSimilarity(x, y) + familySimilarity(x, y);

/** Similarity given up for reading a name the other way round. */
const SWAP_PENALTY = 0.1;

/** A record whose name is one word: it may be a given name or a family name. */
export const isSingleWord = (f: ErFeatures): boolean => f.n.length === 1 && f.sw !== undefined && (!f.n[0]!.g || !f.n[0]!.f);

function compareGiven(a: NameFeature, b: NameFeature): Outcome {
  if (!a.g || !b.g) return undefined;
  if (a.g === b.g) return a.g.length === 1 ? { level: 'initial' } : { level: 'exact', term: `given_name:${a.g}` };
  if (a.g.length === 1 || b.g.length === 1) return { level: a.g[0] === b.g[0] ? 'initial' : 'else' };
  const jw = jaroWinkler(a.g, b.g);
  if (jw >= 0.92) return { level: 'jaro_winkler>=0.92' };
  if (intersects(a.gg, b.gg)) return { level: 'nickname' };
  if (jw >= 0.85) return { level: 'jaro_winkler>=0.85' };
  if (sameLetters(a.g, b.g)) return { level: 'same_letters' };
  // Last of the agreements in the level order (after 'initial'): the sets estimate it weakest,
  // and a level may not weigh more than the one before it, so placed earlier it would cap theirs.
  if (nicknameTypo(a, b) || nicknameTypo(b, a)) return { level: 'nickname_typo' };
  return { level: 'else' };
}

function compareFamily(a: NameFeature, b: NameFeature): Outcome {
  if (!a.f || !b.f) return undefined;
  if (a.f === b.f) return a.f.length === 1 ? { level: 'sound' } : { level: 'exact', term: `family_name:${a.f}` };
  const jw = jaroWinkler(a.f, b.f);
  if (jw >= 0.92) return { level: 'jaro_winkler>=0.92' };
  if ((a.fp || b.fp) && intersects(a.fp ?? [a.f], b.fp ?? [b.f])) return { level: 'part' };
  if (jw >= 0.85) return { level: 'jaro_winkler>=0.85' };
  if (sameLetters(a.f, b.f)) return { level: 'same_letters' };
  if (intersects(a.fs, b.fs)) return { level: 'sound' };
  return { level: 'else' };
}

/**
 * A nickname typed with a slip ("Jeny" for Jennifer, "Ayesa" for Aisha):
 * `a`'s name is one edit from a name of one of `b`'s nickname groups
 * (jenny, ayesha). Names of three letters or more, so that "al" is not
 * one edit from every two-letter name.
 */
function nicknameTypo(a: NameFeature, b: NameFeature): boolean {
  if (a.g.length < 3) return false;
  for (const key of b.gg) {
    for (const name of nicknameGroupMembers(key)) {
      if (name.length >= 3 && Math.abs(name.length - a.g.length) <= 1 && editDistance(name, a.g) === 1) return true;
    }
  }
  return false;
}

/**
 * The same letters in another order, give or take one ("aucaL" / "Lucas",
 * "Tyalor" / "Taylor"): letters typed out of order, which Jaro–Winkler
 * scores low on short names.
 */
function sameLetters(a: string, b: string): boolean {
  if (a.length < 3 || b.length < 3 || Math.abs(a.length - b.length) > 1) return false;
  return editDistance(sortedLetters(a), sortedLetters(b)) <= 1;
}

/** The letters of a word in alphabetical order: a key that ignores their order. */
export function sortedLetters(word: string): string {
  // Asked for the same few thousand names over and over (every member of
  // every candidate): kept, up to a bound.
  let sorted = sortedLettersCache.get(word);
  if (sorted === undefined) {
    if (sortedLettersCache.size >= SORTED_LETTERS_KEPT) sortedLettersCache.clear();
    sortedLettersCache.set(word, (sorted = [...word].sort().join('')));
  }
  return sorted;
}

const sortedLettersCache = new Map<string, string>();
const SORTED_LETTERS_KEPT = 50_000;

function compareMiddle(a: NameFeature, b: NameFeature): Outcome {
  const ma = a.m?.[0];
  const mb = b.m?.[0];
  if (!ma || !mb) return undefined;
  if (ma === mb && ma.length > 1) return { level: 'exact' };
  if (ma[0] === mb[0]) return { level: 'initial' };
  return { level: 'else' };
}

// ---- dates of birth -----------------------------------------------------------

/**
 * Years (365.25 days) apart beyond which two dates of birth are 'far_apart':
 * another generation (a father and son of one name, a mother and daughter),
 * not a slip of the keyboard. A typo (one or two edits), a day/month swap
 * and a year typed a decade out are caught by the levels before it; a
 * decade out with the month slipped too (1973-10-27 / 1983-11-24, ten years
 * and a month, as fake_1000 has them) stays below it, and a year typed
 * wrong on the right day and month (2015-07-21 / 1951-07-21) is not far
 * apart either: both are 'else'. For ranges (a year, a month, an age) the
 * years between their nearest ends count.
 */
const FAR_APART_YEARS = 12;
const FAR_APART_DAYS = FAR_APART_YEARS * 365.25;

function compareDob(a: DobFeature | undefined, b: DobFeature | undefined): Outcome {
  if (!a || !b) return undefined;
  const ad = a.p === 'day' ? a.c?.[0] : undefined;
  const bd = b.p === 'day' ? b.c?.[0] : undefined;
  if (ad && bd) {
    if (ad === bd) return { level: 'exact', term: `dob:${ad}` };
    if (intersects(a.c ?? [], b.c ?? []) || (a.mo === b.d && a.d === b.mo && a.y === b.y)) return { level: 'day_month_swapped' };
    const edits = editDistance(ad, bd);
    if (edits <= 1) return { level: 'one_edit' };
    const days = Math.abs(dayNumber(ad) - dayNumber(bd));
    if (days <= 31) return { level: 'within_1_month' };
    if (edits <= 2) return { level: 'two_edits' };
    if (days <= 366) return { level: 'within_1_year' };
    if (days <= 3653) return { level: 'within_10_years' };
    // The same day and month: a year typed wrong (2015 for 1951), not another generation.
    const sameDayAndMonth = a.mo === b.mo && a.d === b.d;
    return { level: days > FAR_APART_DAYS && !sameDayAndMonth ? 'far_apart' : 'else' };
  }
  if (!a.r || !b.r) return undefined;
  // Days between the ranges' nearest ends; 0 or less when they meet.
  const gap = Math.max(dayNumber(a.r[0]) - dayNumber(b.r[1]), dayNumber(b.r[0]) - dayNumber(a.r[1]));
  const apart = gap > FAR_APART_DAYS ? 'far_apart' : 'else';
  if (a.p === 'age' || b.p === 'age') return { level: gap <= 0 ? 'age_compatible' : apart };
  if (gap <= 0) return { level: 'partial_compatible' };
  if (a.y !== undefined && b.y !== undefined) {
    if (editDistance(String(a.y), String(b.y)) <= 1) return { level: 'two_edits' };
    if (Math.abs(a.y - b.y) <= 1) return { level: 'within_1_year' };
    if (Math.abs(a.y - b.y) <= 10) return { level: 'within_10_years' };
  }
  return { level: apart };
}

/**
 * Days since 1970-01-01 of an ISO date ("1985-03-12"). Worked out by
 * arithmetic (Hinnant's days_from_civil), not through Date: it runs for every
 * member of every candidate. Anything but YYYY-MM-DD from 1000 on goes
 * through Date.UTC.
 */
export function dayNumber(iso: string): number {
  const year = fourDigits(iso);
  const month = twoDigits(iso, 5);
  const day = twoDigits(iso, 8);
  if (iso.length !== 10 || year < 1000 || month < 1 || month > 12 || day < 1 || day > 31 || iso[4] !== '-' || iso[7] !== '-') {
    return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;
  }
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468;
}

/** The number of two digits at `at`; -1 if either is not a digit. */
function twoDigits(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48;
  const b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function fourDigits(s: string): number {
  const high = twoDigits(s, 0);
  const low = twoDigits(s, 2);
  return high < 0 || low < 0 ? -1 : high * 100 + low;
}

// ---- addresses --------------------------------------------------------------

const POSTCODE_ORDER: readonly string[] = COMPARISON_LEVELS.postcode;
const STREET_ORDER: readonly string[] = COMPARISON_LEVELS.street;
const TOWN_ORDER: readonly string[] = COMPARISON_LEVELS.town;

/** Best level over every pair of addresses, for postcode, street and town apart. */
function compareAddresses(as: AddressFeature[] | undefined, bs: AddressFeature[] | undefined, out: FieldComparison[]): void {
  if (!as || !bs) return;
  let postcode: Outcome;
  let street: Outcome;
  let town: Outcome;
  for (const a of as) {
    for (const b of bs) {
      postcode = better(postcode, comparePostcode(a, b), POSTCODE_ORDER);
      street = better(street, compareStreet(a, b), STREET_ORDER);
      town = better(town, compareTown(a, b), TOWN_ORDER);
    }
  }
  push(out, 'postcode', postcode);
  push(out, 'street', street);
  push(out, 'town', town);
}

function better(current: Outcome, next: Outcome, order: readonly string[]): Outcome {
  if (!next) return current;
  if (!current) return next;
  return order.indexOf(next.level) < order.indexOf(current.level) ? next : current;
}

function comparePostcode(a: AddressFeature, b: AddressFeature): Outcome {
  if (!a.pc || !b.pc) return undefined;
  if (a.pc === b.pc) return { level: 'exact', term: `postcode:${a.pc}` };
  if (a.sec && a.sec === b.sec) return { level: 'sector' };
  if (a.dist && a.dist === b.dist) return { level: 'district' };
  if (editDistance(a.pc, b.pc) <= 1) return { level: 'one_edit' };
  return { level: 'else' };
}

function compareStreet(a: AddressFeature, b: AddressFeature): Outcome {
  if (a.u && b.u) {
    if (a.u === b.u) return { level: 'uprn' };
  }
  if (!a.st || !b.st) return undefined;
  const ha = a.hn ?? a.hnm;
  const hb = b.hn ?? b.hnm;
  const sameHouse = ha !== undefined && ha === hb && (!a.fl || !b.fl || a.fl === b.fl);
  const sameStreet = a.st === b.st;
  const similarStreet = sameStreet || jaroWinkler(a.st, b.st) >= 0.85;
  if (sameHouse && sameStreet) return { level: 'house_and_street' };
  if (sameHouse && similarStreet) return { level: 'house_and_street_fuzzy' };
  if (sameStreet) return { level: 'street' };
  if (similarStreet) return { level: 'street_fuzzy' };
  return { level: 'else' };
}

function compareTown(a: AddressFeature, b: AddressFeature): Outcome {
  if (!a.t || !b.t) return undefined;
  if (a.t === b.t) return { level: 'exact', term: `town:${a.t}` };
  if (jaroWinkler(a.t, b.t) >= 0.88) return { level: 'jaro_winkler>=0.88' };
  return { level: 'else' };
}

// ---- phones, e-mails, identifiers, attributes ------------------------------------

function compareLists(
  as: string[] | undefined,
  bs: string[] | undefined,
  field: string,
  one: (a: string, b: string, field: string) => Outcome,
): Outcome {
  if (!as || !bs) return undefined;
  const order: readonly string[] = COMPARISON_LEVELS[field as ComparisonName];
  let best: Outcome;
  for (const a of as) for (const b of bs) best = better(best, one(a, b, field), order);
  return best;
}

function comparePhone(a: string, b: string): Outcome {
  if (a === b) return { level: 'exact', term: `phone:${a}` };
  if (sameLastDigits(a, b, 7)) return { level: 'last_7_digits' };
  return { level: 'else' };
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/**
 * Both have at least `count` digits and their last `count` digits are the
 * same, whatever else is between them: the digits of each, compared from the
 * end, without building them (every phone of every member).
 */
export function sameLastDigits(a: string, b: string, count: number): boolean {
  let i = a.length - 1;
  let j = b.length - 1;
  for (let n = 0; n < count; n++) {
    while (i >= 0 && !isDigit(a.charCodeAt(i))) i--;
    while (j >= 0 && !isDigit(b.charCodeAt(j))) j--;
    if (i < 0 || j < 0 || a.charCodeAt(i) !== b.charCodeAt(j)) return false;
    i--;
    j--;
  }
  return true;
}

function compareEmail(a: string, b: string): Outcome {
  if (a === b) return { level: 'exact', term: `email:${a}` };
  const la = a.slice(0, a.indexOf('@'));
  const lb = b.slice(0, b.indexOf('@'));
  if (la.length >= 3 && la === lb) return { level: 'local_part' };
  if (jaroWinkler(a, b) >= 0.92) return { level: 'fuzzy' };
  return { level: 'else' };
}

/** Identifiers of the same kind on both records; the best over kinds. */
function compareIdentifiers(a: Record<string, string> | undefined, b: Record<string, string> | undefined): Outcome {
  if (!a || !b) return undefined;
  let best: Outcome;
  const order: readonly string[] = COMPARISON_LEVELS.identifier;
  for (const [kind, value] of Object.entries(a)) {
    const other = b[kind];
    if (other === undefined) continue;
    const edits = value === other ? 0 : editDistance(value, other);
    const level = edits === 0 ? 'exact' : edits === 1 ? 'one_edit' : edits === 2 ? 'two_edits' : 'else';
    best = better(best, { level }, order);
  }
  return best;
}

function compareAttrs(a: ErFeatures, b: ErFeatures, out: FieldComparison[]): void {
  if (!a.at || !b.at) return;
  for (const [name, value] of Object.entries(a.at)) {
    const other = b.at[name];
    if (other === undefined) continue;
    const field = `attr:${name}`;
    if (value === other) out.push({ field, level: 'exact', term: `${field}:${value}` });
    else out.push({ field, level: attrLevel(a.ak?.[name] ?? b.ak?.[name] ?? 'text', value, other) });
  }
}

const NUMBER = /^\d+(?:\.\d+)?$/;

/** The level of two different values of an attribute compared as `how`. */
export function attrLevel(how: AttrComparison, a: string, b: string): string {
  switch (how) {
    case 'exact':
      return 'else';
    case 'fuzzy': {
      const jw = jaroWinkler(a, b);
      return jw >= 0.95 ? 'jaro_winkler>=0.95' : jw >= 0.88 ? 'jaro_winkler>=0.88' : jw >= 0.8 ? 'jaro_winkler>=0.8' : 'else';
    }
    case 'numeric': {
      if (!NUMBER.test(a) || !NUMBER.test(b)) return 'else';
      if (a.length === b.length && editDistance(a, b) === 1) return 'one_edit';
      const x = Number(a);
      const y = Number(b);
      const apart = Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y));
      return apart <= 0.01 ? 'within_1%' : apart <= 0.1 ? 'within_10%' : 'else';
    }
    default:
      return jaroWinkler(a, b) >= 0.88 ? 'jaro_winkler>=0.88' : 'else';
  }
}

function intersects(a: readonly string[], b: readonly string[]): boolean {
  for (const x of a) if (b.includes(x)) return true;
  return false;
}
