// Phone numbers as call handlers type them → one E.164 value per number.
//
// The inspection's seed case: an 11-digit mobile stored as "07700 900123"
// was never found by a search for "07700900123". Here every rendering of one
// number (spaces, hyphens, brackets, 0 / +44 / 0044 / 44 / no prefix, labels,
// extensions, any script's digits) gives the same key, two numbers in one
// field are both kept, and what cannot be read is kept as digits and flagged.
// Pure; never throws.

import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode, type NumberType } from 'libphonenumber-js/max';
import { capInput, normaliseText } from './text.ts';
import { ukNumberType } from './uk-number-type.ts';

export type PhoneType =
  | 'mobile'
  | 'landline'
  | 'landline_or_mobile'
  | 'toll_free'
  | 'premium_rate'
  | 'shared_cost'
  | 'voip'
  | 'personal'
  | 'pager'
  | 'uan'
  | 'voicemail'
  | 'unknown';

export type PhoneFlag =
  /** Nothing but whitespace. */
  | 'empty'
  /** Text with no digits ("refused", "n/k"): nothing to match on. */
  | 'unparsed'
  /** At least one number is not valid for its country; it is kept as digits. */
  | 'invalid'
  /** More than one number in the field; all are kept. */
  | 'multiple'
  /** An extension was typed; it is kept apart and not part of the key. */
  | 'extension'
  /** At least one number is outside the default country. */
  | 'foreign'
  /** The input was longer than MAX_INPUT_CHARS and was cut. */
  | 'truncated'
  /** A letter typed for a digit inside a number (O for 0, l or I for 1) was read as the digit. */
  | 'look_alike_corrected';

export type PhoneNumberCanon = {
  /**
   * Match key. The E.164 form ("+447911123456") when the number is valid;
   * otherwise "digits:" + its digits, with the country code when the
   * rendering made it clear ("digits:447700900123" for "07700 900123"), so
   * an invalid number still matches itself typed another way.
   */
  key: string;
  /** E.164 when valid ("+447911123456"). */
  e164: string | undefined;
  /** Digits in international form when the country is known, else as typed. */
  digits: string;
  valid: boolean;
  type: PhoneType;
  /** ISO 3166 country of the number (GB, GG, IM, JE share +44), when known. */
  country: CountryCode | undefined;
  /** Extension digits ("020 7946 0958 ext 123" → "123"), not part of the key. */
  extension: string | undefined;
  /** What to show or store: E.164 when valid, else "+" + digits or digits. Canonicalising it again gives the same key. */
  canonical: string;
};

export type PhoneResult = {
  kind: 'phone';
  /** Input as received (cut at MAX_INPUT_CHARS), for display and audit. */
  raw: string;
  /** Every number found, in the order typed. */
  numbers: PhoneNumberCanon[];
  /** The numbers' keys, deduplicated, in order: what the resolver indexes. */
  keys: string[];
  flags: PhoneFlag[];
};

export type PhoneOptions = {
  /** Country assumed for numbers typed without a country code. Default GB. */
  defaultCountry?: CountryCode;
};

const TYPE_NAMES: Record<Exclude<NumberType, undefined>, PhoneType> = {
  MOBILE: 'mobile',
  FIXED_LINE: 'landline',
  FIXED_LINE_OR_MOBILE: 'landline_or_mobile',
  TOLL_FREE: 'toll_free',
  PREMIUM_RATE: 'premium_rate',
  SHARED_COST: 'shared_cost',
  VOIP: 'voip',
  PERSONAL_NUMBER: 'personal',
  PAGER: 'pager',
  UAN: 'uan',
  VOICEMAIL: 'voicemail',
};

// Characters that can sit inside one written number. Anything else (letters,
// commas, slashes, colons) separates numbers or labels them.
const NUMBER_RUN = /[0-9+()[\].\s\p{Pd}]+/gu;
const EXTENSION_MARK = /^\s*[;,]?\s*(?:ext(?:n|ension)?|x|#)\s*[.:=]?\s*$/i;
const NON_DIGIT = /\D+/g;
/** "+33 (0)1 ...": a trunk digit in brackets after the country code, never dialled from abroad. */
const TRUNK_ZERO = /\(\s*0\s*\)/;
/**
 * A letter O typed for a zero, or l / I for a one, inside a number
 * ("074O1543320", "07l44 978690"): a lone letter (no letter on either side,
 * so "tel 020..." and "mob" are left alone) with a digit just before or
 * after it, a space or hyphen between allowed. Read as the digit; left
 * as a letter, it cut the number in two ("digits:074" and "digits:1543320").
 */
const LOOK_ALIKE = /(?<![\p{L}])[OoIl](?![\p{L}])(?:(?<=\d[\s-]?[OoIl])|(?=[\s-]?\d))/gu;
const LOOK_ALIKE_DIGIT: Record<string, string> = { O: '0', o: '0', I: '1', l: '1' };

/** Longest E.164 number: 15 digits. A longer run is two numbers typed together. */
const MAX_E164_DIGITS = 15;

type Run = { text: string; digits: string; separatorBefore: string };

/** Canonicalises one phone field. Never throws. */
export function canonicalisePhone(raw: string, opts: PhoneOptions = {}): PhoneResult {
  const { text, truncated } = capInput(raw);
  try {
    return readPhoneField(text, truncated, opts.defaultCountry ?? 'GB');
  } catch {
    return { kind: 'phone', raw: text, numbers: [], keys: [], flags: truncated ? ['unparsed', 'truncated'] : ['unparsed'] };
  }
}

function readPhoneField(text: string, truncated: boolean, defaultCountry: CountryCode): PhoneResult {
  const flags = new Set<PhoneFlag>();
  if (truncated) flags.add('truncated');
  const typed = normaliseText(text);
  const normalised = typed.replace(LOOK_ALIKE, (c) => LOOK_ALIKE_DIGIT[c] ?? c);
  if (normalised !== typed) flags.add('look_alike_corrected');
  const numbers: PhoneNumberCanon[] = [];
  for (const { text: written, extension } of numberRuns(normalised)) {
    for (const number of readRun(written, defaultCountry)) {
      numbers.push(extension ? { ...number, extension } : number);
    }
  }
  if (numbers.length === 0) flags.add(normalised.trim() === '' ? 'empty' : 'unparsed');
  if (numbers.length > 1) flags.add('multiple');
  const defaultCallingCode = callingCodeOf(defaultCountry);
  for (const n of numbers) {
    if (!n.valid) flags.add('invalid');
    if (n.extension) flags.add('extension');
    if (n.valid && defaultCallingCode && !n.digits.startsWith(defaultCallingCode)) flags.add('foreign');
  }
  const keys = [...new Set(numbers.map((n) => n.key))];
  return { kind: 'phone', raw: text, numbers, keys, flags: [...flags] };
}

/**
 * Splits a field into written numbers: runs of digits and number punctuation,
 * with an extension ("ext 123", "x123") attached to the number before it.
 * Short runs split by a slash ("07911/123456") are joined; runs with fewer
 * than three digits ("Flat 2") are dropped unless nothing else is there.
 */
function numberRuns(text: string): { text: string; extension: string | undefined }[] {
  const runs: Run[] = [];
  let last = 0;
  for (const match of text.matchAll(NUMBER_RUN)) {
    const digits = match[0].replace(NON_DIGIT, '');
    if (digits === '') continue;
    const start = match.index ?? 0;
    runs.push({ text: match[0], digits, separatorBefore: text.slice(last, start) });
    last = start + match[0].length;
  }
  const out: { text: string; extension: string | undefined }[] = [];
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i]!;
    const previous = out[out.length - 1];
    if (previous && !previous.extension && EXTENSION_MARK.test(run.separatorBefore) && run.digits.length <= 6) {
      previous.extension = run.digits;
      continue;
    }
    const next = runs[i + 1];
    if (next && run.digits.length < 7 && next.digits.length < 8 && next.separatorBefore.trim() === '/') {
      out.push({ text: run.text + next.text, extension: undefined });
      i += 1;
      continue;
    }
    out.push({ text: run.text, extension: undefined });
  }
  const substantial = out.filter((r) => r.text.replace(NON_DIGIT, '').length >= 3);
  return substantial.length > 0 ? substantial : out.slice(0, 1);
}

/** One run → one number, or several when digits of two numbers were typed together. */
function readRun(written: string, defaultCountry: CountryCode): PhoneNumberCanon[] {
  const international = /^[^0-9]*\+/.test(written);
  const digits = written.replace(NON_DIGIT, '');
  const significant = international ? digits : digits.replace(/^00/, '');
  if (significant.length <= MAX_E164_DIGITS) return [readNumber(written, digits, international, defaultCountry)];
  return splitJoinedNumbers(written, defaultCountry);
}

/**
 * "07911 123456 07700 900123": cut the run at group boundaries into the
 * shortest pieces that each read as a whole number (valid, or a full UK
 * shape). If no cut works, the run is kept as one invalid number.
 */
function splitJoinedNumbers(written: string, defaultCountry: CountryCode): PhoneNumberCanon[] {
  const groups = written.split(/[\s\p{Pd}.()[\]]+/u).filter((g) => /\d/.test(g));
  const pieces: PhoneNumberCanon[] = [];
  let start = 0;
  while (start < groups.length) {
    let found: { number: PhoneNumberCanon; end: number } | undefined;
    for (let end = start + 1; end <= groups.length && !found; end++) {
      const piece = groups.slice(start, end).join(' ');
      const digits = piece.replace(NON_DIGIT, '');
      if (digits.length > MAX_E164_DIGITS) break;
      const number = readNumber(piece, digits, piece.includes('+'), defaultCountry);
      if (number.valid || isWholeUkShape(digits)) found = { number, end };
    }
    if (!found) {
      const digits = written.replace(NON_DIGIT, '');
      return [unreadable(digits, /^[^0-9]*\+/.test(written))];
    }
    pieces.push(found.number);
    start = found.end;
  }
  return pieces;
}

const isWholeUkShape = (digits: string): boolean => /^(?:0[1-9]\d{9}|(?:00)?44[1-9]\d{9})$/.test(digits);

/**
 * One written number → canonical form. UK shapes take the compiled fast path:
 *   +44 / 0044 / 44 then 9–10 digits (an optional "(0)" trunk digit
 *   dropped), 0 then 9–10 digits, or 10 digits with the leading 0 dropped.
 * Everything else (foreign, odd lengths) goes through libphonenumber.
 */
function readNumber(written: string, digits: string, international: boolean, defaultCountry: CountryCode): PhoneNumberCanon {
  if (defaultCountry === 'GB') {
    const nsn = ukSignificantNumber(digits, international);
    if (nsn !== undefined) {
      const uk = ukNumberType(nsn);
      if (uk) return fromParts('44', nsn, uk.type, uk.country);
    }
  }
  return readWithLibphonenumber(written, digits, international, defaultCountry);
}

/** The national significant number when the digits are unmistakably a UK number, else undefined. */
function ukSignificantNumber(digits: string, international: boolean): string | undefined {
  let rest: string | undefined;
  if (international) rest = digits.startsWith('44') ? digits.slice(2) : undefined;
  else if (digits.startsWith('0044')) rest = digits.slice(4);
  else if (digits.startsWith('44') && (digits.length === 12 || (digits.length === 13 && digits[2] === '0'))) rest = digits.slice(2);
  else if (digits.startsWith('0') && !digits.startsWith('00')) return validUkLength(digits.slice(1));
  else if (digits.length === 10 && /^[1-9]/.test(digits)) return digits;
  if (rest === undefined) return undefined;
  // "+44 (0)20 7946 0958": the trunk 0 is never part of a UK number.
  if (rest.startsWith('0')) rest = rest.slice(1);
  return validUkLength(rest);
}

const validUkLength = (nsn: string): string | undefined =>
  (nsn.length === 10 || nsn.length === 9) && /^[1-9]/.test(nsn) ? nsn : undefined;

function fromParts(callingCode: string, nsn: string, type: NumberType, country: CountryCode | undefined): PhoneNumberCanon {
  const digits = callingCode + nsn;
  const valid = type !== undefined;
  const e164 = valid ? `+${digits}` : undefined;
  return {
    key: e164 ?? `digits:${digits}`,
    e164,
    digits,
    valid,
    type: type ? TYPE_NAMES[type] : 'unknown',
    country,
    extension: undefined,
    canonical: `+${digits}`,
  };
}

function readWithLibphonenumber(written: string, digits: string, international: boolean, defaultCountry: CountryCode): PhoneNumberCanon {
  // With "+" or "00" the country is stated: hand libphonenumber only the
  // digits after it (a "(0)" trunk digit dropped), so a number reads the
  // same however it was punctuated, and its canonical form reads back the same.
  const afterPrefix = international ? written.replace(TRUNK_ZERO, '').replace(NON_DIGIT, '') : digits.startsWith('00') ? digits.slice(2) : undefined;
  const stated = afterPrefix ? afterPrefix : undefined;
  const parsed = parsePhoneNumberFromString(stated === undefined ? digits : `+${stated}`, defaultCountry);
  const type = parsed?.getType();
  if (!parsed || type === undefined) {
    // Invalid: keep the digits as typed after the country code (libphonenumber
    // may strip a trunk prefix from them, and would again from its own output).
    const kept = stated === undefined ? unreadable(digits, false) : unreadable(stated, true);
    return { ...kept, country: parsed?.country };
  }
  return fromParts(parsed.countryCallingCode, parsed.nationalNumber, type, parsed.country);
}

/** Digits kept as typed; a typed "+" stays in `canonical` so it reads back the same way. */
function unreadable(digits: string, international: boolean): PhoneNumberCanon {
  return {
    key: `digits:${digits}`,
    e164: undefined,
    digits,
    valid: false,
    type: 'unknown',
    country: undefined,
    extension: undefined,
    canonical: international ? `+${digits}` : digits,
  };
}

function callingCodeOf(country: CountryCode): string | undefined {
  try {
    return getCountryCallingCode(country);
  } catch {
    return undefined;
  }
}
