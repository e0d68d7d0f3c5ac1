// Dates of birth as call handlers type them → an ISO date, or the range of
// dates the input allows, with the candidates the resolver should try.
//
// UK order is day first ("12/03/1985", "12.3.85", "12-Mar-1985", "12 March
// 1985"); ISO ("1985-03-12") is read year first. Two-digit years take the
// latest century that does not put the birth in the future. A year, a month
// and year, or an age ("34", "approx 30", "30s") give a range. A date whose
// day and month could be swapped keeps the swap as a second candidate.
// Results depend only on the input and opts.referenceDate. Pure; never throws.

import { capInput, normaliseText } from './text.ts';

export type DobPrecision = 'day' | 'month' | 'year' | 'age' | 'none';

export type DobFlag =
  /** Nothing to read. */
  | 'empty'
  /** Not a date or an age; raw is kept, no keys. */
  | 'unparsed'
  /** The input was longer than MAX_INPUT_CHARS and was cut. */
  | 'truncated'
  /** Only a year, or a month and year. */
  | 'partial'
  /** An age instead of a date: `range` holds the possible birth dates. */
  | 'age_only'
  /** The age was approximate ("approx 30", "about 40"): widened by two years each way. */
  | 'approximate'
  /** The century was inferred from a two-digit year. */
  | 'two_digit_year'
  /** Day and month could be either way round: the swap is in `candidates`. */
  | 'possible_swap'
  /** Read month first because day-first was impossible ("03/25/1985"). */
  | 'month_first'
  /** After the reference date. */
  | 'future'
  /** No such date ("31/02/1985", month 13): only the year is kept. */
  | 'impossible'
  /** Older than 120 at the reference date. */
  | 'implausible_age'
  /** opts.age disagrees with the date by more than a year. */
  | 'age_mismatch';

export type DobKeys = {
  /** "1985-03-12" when the full date is known. */
  iso: string | undefined;
  /** "1985": blocks with surname sound. */
  year: string | undefined;
  /** "1985-03" */
  yearMonth: string | undefined;
  /** "03-12": month and day, for records whose year was mistyped. */
  monthDay: string | undefined;
};

export type DobResult = {
  kind: 'dob';
  /** Input as received (cut at MAX_INPUT_CHARS), for display and audit. */
  raw: string;
  precision: DobPrecision;
  /** "1985-03-12" when precision is 'day'. */
  iso: string | undefined;
  year: number | undefined;
  month: number | undefined;
  day: number | undefined;
  /** Earliest and latest birth dates the input allows, inclusive, ISO. */
  range: { from: string; to: string } | undefined;
  /** Full dates to match on: `iso` first, then the day/month swap when plausible. */
  candidates: string[];
  /** "1985-03-12", "1985-03" or "1985": reads back to the same result. Undefined for an age. */
  canonical: string | undefined;
  keys: DobKeys;
  flags: DobFlag[];
};

export type DobOptions = {
  /** "Today" for ages, two-digit years and future checks. Default: the clock (pass it explicitly in tests and replays). */
  referenceDate?: Date;
  /** An age recorded beside the date (or instead of it). */
  age?: number;
};

/** Oldest age taken as plausible for a living person, in years. */
const MAX_AGE_YEARS = 120;
/** Widest age range read as one ("30-35"), in years. */
const MAX_AGE_RANGE_YEARS = 20;
/** Years each way added to an approximate age. */
const APPROXIMATE_AGE_SPREAD = 2;

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10,
  nov: 11, november: 11, dec: 12, december: 12,
};

const LABEL = /^(?:d\.?\s?o\.?\s?b\.?|date of birth|birth date|born on|born|b\.)\s*[:=-]?\s*/;
const ORDINAL = /(\d)(?:st|nd|rd|th)\b/g;
const SEPARATORS = /[\s/.\-,_\\]+/;
const APPROXIMATE = /\b(?:approx(?:imately)?|about|around|roughly|circa|ca|c|est(?:imated)?|~|appears?|looks?)\b\.?|~/g;
const AGE_WORDS = /(?<![a-z])(?:aged?|age|yrs?|years?|y\/o|yo|y|old)(?![a-z])/g;
const DECADE = /^(?:(early|mid|late)\s*-?\s*)?(\d)0'?s$/;
const AGE_RANGE = /^(\d{1,3})\s*(?:-|to)\s*(\d{1,3})$/;
const AGE = /^(\d{1,3})\+?$/;

type Ymd = { y: number; m: number; d: number };

/** Canonicalises one date-of-birth field. Never throws. */
export function canonicaliseDob(raw: string, opts: DobOptions = {}): DobResult {
  const { text, truncated } = capInput(raw);
  const flags = new Set<DobFlag>();
  if (truncated) flags.add('truncated');
  try {
    const reference = referenceDay(opts.referenceDate);
    const result = readDob(text, reference, flags);
    return applyRecordedAge(result, opts.age, reference, flags);
  } catch {
    flags.add('unparsed');
    return build(text, 'none', {}, undefined, [], flags);
  }
}

function referenceDay(date: Date | undefined): Ymd {
  const d = date && !Number.isNaN(date.getTime()) ? date : new Date();
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
}

function readDob(raw: string, reference: Ymd, flags: Set<DobFlag>): DobResult {
  const text = normaliseText(raw).toLowerCase().trim().replace(LABEL, '').replace(ORDINAL, '$1').replace(/\bof\b/g, ' ').trim();
  if (text === '') {
    flags.add('empty');
    return build(raw, 'none', {}, undefined, [], flags);
  }
  return readAge(raw, text, reference, flags) ?? readDate(raw, text, reference, flags);
}

/** "34", "aged 34", "34 yrs", "approx 30", "30-35", "30s", "late 20s" → an age range. */
function readAge(raw: string, text: string, reference: Ymd, flags: Set<DobFlag>): DobResult | undefined {
  const approximate = APPROXIMATE.test(text);
  APPROXIMATE.lastIndex = 0;
  const bare = text.replace(APPROXIMATE, ' ').replace(AGE_WORDS, ' ').replace(/\b(?:in\s+)?(?:his|her|their)\b/g, ' ').replace(/\s+/g, ' ').trim();
  let low: number | undefined;
  let high: number | undefined;
  const decade = DECADE.exec(bare);
  const range = AGE_RANGE.exec(bare);
  const single = AGE.exec(bare);
  if (decade) {
    const base = Number(decade[2]) * 10;
    const part = decade[1];
    [low, high] = part === 'early' ? [base, base + 3] : part === 'mid' ? [base + 3, base + 6] : part === 'late' ? [base + 6, base + 9] : [base, base + 9];
  } else if (range) {
    low = Number(range[1]);
    high = Number(range[2]);
    if (high < low) [low, high] = [high, low];
    // "12-85" is not an age range; wider than this it is something else.
    if (high - low > MAX_AGE_RANGE_YEARS) return undefined;
  } else if (single) {
    low = Number(single[1]);
    high = low;
  }
  if (low === undefined || high === undefined || high > 150) return undefined;
  if (approximate) {
    flags.add('approximate');
    low = Math.max(0, low - APPROXIMATE_AGE_SPREAD);
    high += APPROXIMATE_AGE_SPREAD;
  }
  return ageResult(raw, low, high, reference, flags);
}

function ageResult(raw: string, low: number, high: number, reference: Ymd, flags: Set<DobFlag>): DobResult {
  flags.add('age_only');
  if (low > MAX_AGE_YEARS) flags.add('implausible_age');
  const latest = yearsBefore(reference, low);
  const earliest = addDays(yearsBefore(reference, high + 1), 1);
  return build(raw, 'age', {}, { from: iso(earliest), to: iso(latest) }, [], flags);
}

function readDate(raw: string, text: string, reference: Ymd, flags: Set<DobFlag>): DobResult {
  const tokens = text.split(SEPARATORS).filter(Boolean);
  const monthIndex = tokens.findIndex((t) => MONTHS[t] !== undefined);
  if (monthIndex >= 0) return readWithMonthName(raw, tokens, monthIndex, reference, flags);
  if (!tokens.every((t) => /^\d+$/.test(t))) return unparsed(raw, flags);
  if (tokens.length === 1) return readCompact(raw, tokens[0] ?? '', reference, flags);
  if (tokens.length === 2) return readMonthYear(raw, tokens, reference, flags);
  if (tokens.length === 3) return readNumeric(raw, tokens, reference, flags);
  return unparsed(raw, flags);
}

/** "12 March 1985", "12-Mar-85", "March 12, 1985", "Mar 1985", "1985 March". */
function readWithMonthName(raw: string, tokens: string[], monthIndex: number, reference: Ymd, flags: Set<DobFlag>): DobResult {
  const m = MONTHS[tokens[monthIndex] ?? ''] ?? 0;
  const numbers = tokens.filter((_, i) => i !== monthIndex);
  if (!numbers.every((t) => /^\d+$/.test(t)) || numbers.length === 0 || numbers.length > 2) return unparsed(raw, flags);
  if (numbers.length === 1) {
    const token = numbers[0] ?? '';
    // "Mar 1985" or "March 85"; a lone day ("12 March") has no year to match on.
    if (token.length === 4 || (token.length === 2 && monthIndex === 0)) return monthResult(raw, year(token, m, 1, reference, flags), m, reference, flags);
    return unparsed(raw, flags);
  }
  const fourDigit = numbers.findIndex((t) => t.length === 4);
  const yearIndex = fourDigit >= 0 ? fourDigit : numbers.length - 1;
  const dayToken = numbers[yearIndex === 0 ? 1 : 0] ?? '';
  const d = Number(dayToken);
  const yearToken = numbers[yearIndex] ?? '';
  return dayResult(raw, { y: year(yearToken, m, d, reference, flags), m, d }, false, reference, flags);
}

/** "12031985" (day first), "19850312" (ISO basic), "120385", or a year "1985". */
function readCompact(raw: string, digits: string, reference: Ymd, flags: Set<DobFlag>): DobResult {
  if (digits.length === 4) return yearResult(raw, Number(digits), reference, flags);
  if (digits.length === 8) {
    const isoBasic = { y: Number(digits.slice(0, 4)), m: Number(digits.slice(4, 6)), d: Number(digits.slice(6, 8)) };
    if (/^(?:19|20)/.test(digits) && exists(isoBasic)) return dayResult(raw, isoBasic, false, reference, flags);
    const dayFirst = { y: Number(digits.slice(4, 8)), m: Number(digits.slice(2, 4)), d: Number(digits.slice(0, 2)) };
    return dayResult(raw, dayFirst, true, reference, flags);
  }
  if (digits.length === 6) {
    const m = Number(digits.slice(2, 4));
    const d = Number(digits.slice(0, 2));
    return dayResult(raw, { y: year(digits.slice(4, 6), m, d, reference, flags), m, d }, true, reference, flags);
  }
  return unparsed(raw, flags);
}

/** "03/1985", "3.85" (month and two-digit year is too ambiguous: unparsed), "1985-03". */
function readMonthYear(raw: string, tokens: string[], reference: Ymd, flags: Set<DobFlag>): DobResult {
  const [a = '', b = ''] = tokens;
  if (a.length === 4 && b.length <= 2) return monthResult(raw, Number(a), Number(b), reference, flags);
  if (b.length === 4 && a.length <= 2) return monthResult(raw, Number(b), Number(a), reference, flags);
  return unparsed(raw, flags);
}

/** "12/03/1985", "12.3.85", "1985-03-12", "03/25/1985" (month first only when day first is impossible). */
function readNumeric(raw: string, tokens: string[], reference: Ymd, flags: Set<DobFlag>): DobResult {
  const [a = '', b = '', c = ''] = tokens;
  if (a.length === 4) return dayResult(raw, { y: Number(a), m: Number(b), d: Number(c) }, false, reference, flags);
  if (c.length !== 4 && c.length !== 2) return unparsed(raw, flags);
  let d = Number(a);
  let m = Number(b);
  if (m > 12 && d >= 1 && d <= 12) {
    flags.add('month_first');
    [d, m] = [m, d];
    return dayResult(raw, { y: year(c, m, d, reference, flags), m, d }, false, reference, flags);
  }
  return dayResult(raw, { y: year(c, m, d, reference, flags), m, d }, true, reference, flags);
}

/**
 * Four-digit years as typed. Two-digit years: this century if that does not
 * put the date after the reference date, else the last ("85" → 1985 and,
 * in 2025, "12.3.20" → 2020: children are victims in their own right).
 */
function year(token: string, m: number, d: number, reference: Ymd, flags: Set<DobFlag>): number {
  const n = Number(token);
  if (token.length !== 2) return n;
  flags.add('two_digit_year');
  const century = Math.floor(reference.y / 100) * 100;
  const recent = century + n;
  return compare({ y: recent, m: m || 1, d: d || 1 }, reference) <= 0 ? recent : recent - 100;
}

function dayResult(raw: string, date: Ymd, swappable: boolean, reference: Ymd, flags: Set<DobFlag>): DobResult {
  if (!exists(date)) {
    // "31/02/1985": the day or month is wrong, the year is probably right.
    flags.add('impossible');
    if (date.y >= 1000 && date.y <= 9999) return yearResult(raw, date.y, reference, flags, false);
    return build(raw, 'none', {}, undefined, [], flags);
  }
  const candidates = [iso(date)];
  if (swappable && date.d <= 12 && date.d !== date.m) {
    const swapped = { y: date.y, m: date.d, d: date.m };
    if (compare(swapped, reference) <= 0) {
      flags.add('possible_swap');
      candidates.push(iso(swapped));
    }
  }
  checkAge(date, reference, flags);
  return build(raw, 'day', date, { from: iso(date), to: iso(date) }, candidates, flags);
}

function monthResult(raw: string, y: number, m: number, reference: Ymd, flags: Set<DobFlag>): DobResult {
  if (m < 1 || m > 12 || y < 1000) {
    flags.add('impossible');
    return y >= 1000 && y <= 9999 ? yearResult(raw, y, reference, flags, false) : build(raw, 'none', {}, undefined, [], flags);
  }
  flags.add('partial');
  const first = { y, m, d: 1 };
  checkAge(first, reference, flags);
  return build(raw, 'month', { y, m }, { from: iso(first), to: iso({ y, m, d: daysInMonth(y, m) }) }, [], flags);
}

function yearResult(raw: string, y: number, reference: Ymd, flags: Set<DobFlag>, partial = true): DobResult {
  if (y < 1000) return unparsed(raw, flags);
  if (partial) flags.add('partial');
  checkAge({ y, m: 1, d: 1 }, reference, flags);
  return build(raw, 'year', { y }, { from: `${pad(y, 4)}-01-01`, to: `${pad(y, 4)}-12-31` }, [], flags);
}

function checkAge(date: Ymd, reference: Ymd, flags: Set<DobFlag>): void {
  if (compare(date, reference) > 0) flags.add('future');
  else if (ageOn(date, reference) > MAX_AGE_YEARS) flags.add('implausible_age');
}

function applyRecordedAge(result: DobResult, age: number | undefined, reference: Ymd, flags: Set<DobFlag>): DobResult {
  if (age === undefined || !Number.isFinite(age) || age < 0) return result;
  const years = Math.floor(age);
  if (result.precision === 'none' && !flags.has('impossible')) {
    return ageResult(result.raw, years, years, reference, flags);
  }
  if (result.year !== undefined && result.precision !== 'age') {
    const born = { y: result.year, m: result.month ?? 7, d: result.day ?? 1 };
    if (Math.abs(ageOn(born, reference) - years) > 1) flags.add('age_mismatch');
    return { ...result, flags: [...flags] };
  }
  return result;
}

function unparsed(raw: string, flags: Set<DobFlag>): DobResult {
  flags.add('unparsed');
  return build(raw, 'none', {}, undefined, [], flags);
}

function build(
  raw: string,
  precision: DobPrecision,
  date: Partial<Ymd>,
  range: { from: string; to: string } | undefined,
  candidates: string[],
  flags: Set<DobFlag>,
): DobResult {
  const { y, m, d } = date;
  const yearKey = y === undefined ? undefined : pad(y, 4);
  const yearMonth = yearKey && m !== undefined ? `${yearKey}-${pad(m, 2)}` : undefined;
  const full = yearMonth && d !== undefined ? `${yearMonth}-${pad(d, 2)}` : undefined;
  return {
    kind: 'dob',
    raw,
    precision,
    iso: full,
    year: y,
    month: m,
    day: d,
    range,
    candidates,
    canonical: full ?? yearMonth ?? yearKey,
    keys: { iso: full, year: yearKey, yearMonth, monthDay: m !== undefined && d !== undefined ? `${pad(m, 2)}-${pad(d, 2)}` : undefined },
    flags: [...flags],
  };
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const iso = (date: Ymd): string => `${pad(date.y, 4)}-${pad(date.m, 2)}-${pad(date.d, 2)}`;
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysInMonth = (y: number, m: number): number => (m === 2 && isLeap(y) ? 29 : DAYS[m - 1] ?? 0);
const exists = (date: Ymd): boolean =>
  Number.isInteger(date.y) && date.y >= 1000 && date.y <= 9999 && date.m >= 1 && date.m <= 12 && date.d >= 1 && date.d <= daysInMonth(date.y, date.m);
const compare = (a: Ymd, b: Ymd): number => a.y - b.y || a.m - b.m || a.d - b.d;

/** Whole years from `born` to `on`. */
function ageOn(born: Ymd, on: Ymd): number {
  return on.y - born.y - (on.m < born.m || (on.m === born.m && on.d < born.d) ? 1 : 0);
}

/** Same day `years` earlier; 29 February becomes 28 February in a common year. */
function yearsBefore(date: Ymd, years: number): Ymd {
  const y = date.y - years;
  return { y, m: date.m, d: Math.min(date.d, daysInMonth(y, date.m)) };
}

function addDays(date: Ymd, days: number): Ymd {
  const t = new Date(0);
  t.setUTCFullYear(date.y, date.m - 1, date.d + days);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}
