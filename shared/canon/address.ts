// UK addresses as call handlers type them → postcode, flat, house number or
// name, street and locality, plus the keys the resolver blocks on.
//
// "Flat 2, 10 High St", "2/10 High Street", "10b High Street" and
// "Flat B 10 High St" are the same kind of thing written four ways: a flat
// inside number 10. When a UPRN (the national unique property reference) is
// present it wins: it is the identity, everything else is evidence.
// Pure; never throws.

import streetWords from './data/street-types.json' with { type: 'json' };
import { findPostcode, parsePostcode, wholePostcode, type Postcode } from './postcode.ts';
import { capInput, foldLetters, normaliseText } from './text.ts';

export type AddressInput = string | { lines?: string[]; postcode?: string; uprn?: string };

export type AddressFlag =
  /** Nothing to read. */
  | 'empty'
  /** Something went wrong reading it; raw is kept, no keys. */
  | 'unparsed'
  /** The input was longer than MAX_INPUT_CHARS and was cut. */
  | 'truncated'
  /** A UPRN was present: it is the key that wins. */
  | 'uprn'
  /** A UPRN was given but is not 1–12 digits; it is ignored. */
  | 'invalid_uprn'
  /** No postcode found. */
  | 'no_postcode'
  /** A postcode field was given but is not a UK postcode. */
  | 'invalid_postcode'
  /** A look-alike character in the postcode was put right (O for 0, I for 1). */
  | 'postcode_corrected'
  /** No house number or name found. */
  | 'no_house'
  /** No street found. */
  | 'no_street'
  /** A placeholder such as "n/k", "unknown", "refused": nothing to match on. */
  | 'not_known'
  /** No fixed abode ("NFA"): a fact about the person, not an address. */
  | 'no_fixed_abode';

export type AddressKeys = {
  /** "uprn:100023336956" (leading zeros dropped). When present it decides. */
  uprn: string | undefined;
  /** "SW1A1AA": the full postcode, no space. */
  postcode: string | undefined;
  /** "SW1A": the postcode district, for partial matches. */
  outward: string | undefined;
  /** "SW1A 1": the postcode sector. */
  sector: string | undefined;
  /** "SW1A1AA|10" (or "SW1A1AA|rose cottage"): one building. The main blocking key. */
  postcodeHouse: string | undefined;
  /** "SW1A1AA|10|2": one dwelling, when a flat is known. */
  postcodeHouseFlat: string | undefined;
  /** "high street|10": one building when the postcode is missing; ambiguous across towns, so weaker. */
  streetHouse: string | undefined;
};

export type AddressResult = {
  kind: 'address';
  /** Input as received (cut at MAX_INPUT_CHARS), for display and audit. Object inputs are shown as JSON. */
  raw: string;
  uprn: string | undefined;
  /** "SW1A 1AA" */
  postcode: string | undefined;
  /** Folded flat, unit or floor: "2", "b", "2a", "ground floor". A letter after the house number ("10b") is read as a flat. */
  flat: string | undefined;
  /** "10", "10-12". */
  houseNumber: string | undefined;
  /** Folded building or house name: "rose court", "the old rectory"; several parts joined by ", ". */
  houseName: string | undefined;
  /** Folded street, type written out: "high street", "saint johns road". */
  street: string | undefined;
  /** Folded parts after the street, in order: ["barnet", "london"]. */
  locality: string[];
  /** One line that reads back to the same keys: "flat 2, 10 high street, barnet, EN5 1AA". */
  canonical: string;
  keys: AddressKeys;
  flags: AddressFlag[];
};

const TYPES: Record<string, string> = streetWords.types;
const WORDS: Record<string, string> = streetWords.words;
const KNOWN_TYPES = new Set(streetWords.known);
const COUNTRIES = new Set(['uk', 'u k', 'united kingdom', 'england', 'scotland', 'wales', 'gb', 'great britain', 'britain', 'northern ireland']);

const NOT_KNOWN = new Set(['nk', 'n/k', 'n k', 'unknown', 'not known', 'not given', 'refused', 'none', 'n/a', 'na', 'tbc', 'withheld']);
const NO_FIXED_ABODE = new Set(['nfa', 'n/f/a', 'no fixed abode', 'no fixed address', 'homeless']);
const UPRN_IN_TEXT = /\bUPRN\b\s*(?:no\.?|number)?\s*[:#=-]?\s*(\d+)\b/i;
const PART_SEPARATOR = /[,;\n\r]+/;
const FLAT = /^(?:flat|flt|apartment|apt|appt|unit|room|rm|suite|studio|maisonette|bedsit)\s*(?:no\s+)?([a-z]?\d+[a-z]?|[a-z])\b\s*(.*)$/;
const FLOOR = /^(basement|lower ground|upper ground|ground|first|second|third|fourth|top|1st|2nd|3rd|4th)\s+(?:floor\s*)?(?:flat|floor)\b\s*(.*)$/;
const FLOOR_SHORT = /^(bsmt|gff|gf|fff|ff|sff|sf|tff|tf)\b\s*(.*)$/;
// "2/10", "2a/10" and "c/118": a flat (number or letter) over the house number.
const SLASH_NUMBER = /^(\d+[a-z]?|[a-z])\s*\/\s*(\d+[a-z]?)\b\s*(.*)$/;
const NUMBER_WORD = /^(?:no|number)\s+(?=\d)/;
// A letter counts as part of the number only when typed against it ("10b"):
// "10 b road" may be a street called B Road.
const HOUSE_NUMBER = /^(\d+)([a-z])?(?:\s*-\s*(\d+)[a-z]?)?\b\s*(.*)$/;

const FLOOR_NAMES: Record<string, string> = {
  '1st': 'first', '2nd': 'second', '3rd': 'third', '4th': 'fourth',
  bsmt: 'basement', gff: 'ground', gf: 'ground', fff: 'first', ff: 'first', sff: 'second', sf: 'second', tff: 'top', tf: 'top',
};

/** Canonicalises one address field, or a record's lines/postcode/UPRN fields. Never throws. */
export function canonicaliseAddress(input: AddressInput): AddressResult {
  const flags = new Set<AddressFlag>();
  const described = input !== null && typeof input === 'object' ? safeJson(input) : input;
  const { text: raw, truncated } = capInput(described);
  if (truncated) flags.add('truncated');
  try {
    return readAddress(input, raw, flags);
  } catch {
    flags.add('unparsed');
    return resultFrom(raw, emptyParts(), undefined, undefined, flags);
  }
}

function safeJson(value: object): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

type Parts = { flat?: string; houseNumber?: string; houseName?: string; street?: string; locality: string[] };
const emptyParts = (): Parts => ({ locality: [] });

function readAddress(input: AddressInput, raw: string, flags: Set<AddressFlag>): AddressResult {
  let text: string;
  let uprnText: string | undefined;
  let postcode: Postcode | undefined;
  if (input !== null && typeof input === 'object') {
    const given: unknown = input.lines;
    const lines = Array.isArray(given) ? given.map((l: unknown) => capInput(l).text) : typeof given === 'string' ? [given] : [];
    text = capInput(lines.join('\n')).text;
    uprnText = input.uprn == null ? undefined : capInput(input.uprn).text;
    const postcodeText = input.postcode == null ? '' : normaliseText(capInput(input.postcode).text);
    if (postcodeText.trim()) {
      postcode = parsePostcode(postcodeText);
      if (!postcode) flags.add('invalid_postcode');
    }
  } else {
    text = raw;
  }
  // Everything below reads the folded parts, the very text the canonical
  // line is made of: so reading the canonical line again finds the same
  // postcode, UPRN and parts ("SW1A.1AA" and "sw1a1aa" alike).
  text = normaliseText(text)
    .split(PART_SEPARATOR)
    .map(foldPart)
    .filter((p) => /[a-z0-9]/.test(p))
    .join(', ');
  // The postcode first: digits of a UPRN cannot be read as one, but a
  // postcode typed after "UPRN" would hide the UPRN.
  if (!postcode) {
    const found = findPostcode(text);
    if (found) {
      postcode = found.postcode;
      text = text.slice(0, found.start) + ' ' + text.slice(found.end);
    }
  }
  const uprnMatch = UPRN_IN_TEXT.exec(text);
  if (uprnMatch) {
    uprnText ??= uprnMatch[1];
    text = text.slice(0, uprnMatch.index) + ' ' + text.slice(uprnMatch.index + uprnMatch[0].length);
  }
  const uprn = readUprn(uprnText, flags);
  const whole = foldPart(text);
  if (!uprn && !postcode && (NOT_KNOWN.has(whole) || NO_FIXED_ABODE.has(whole))) {
    flags.add(NOT_KNOWN.has(whole) ? 'not_known' : 'no_fixed_abode');
    return resultFrom(raw, emptyParts(), undefined, undefined, flags);
  }
  const parts = readParts(text);
  postcode ??= takeTrailingPostcode(parts);
  if (!uprn && !postcode && !parts.street && !parts.houseNumber && !parts.houseName && parts.locality.length === 0) {
    flags.add(raw.trim() === '' || raw.trim() === '{}' ? 'empty' : 'unparsed');
    return resultFrom(raw, parts, undefined, undefined, flags);
  }
  if (uprn) flags.add('uprn');
  if (!postcode) flags.add('no_postcode');
  else if (postcode.corrected) flags.add('postcode_corrected');
  if (!parts.houseNumber && !parts.houseName) flags.add('no_house');
  if (!parts.street) flags.add('no_street');
  return resultFrom(raw, parts, postcode, uprn, flags);
}

/**
 * "Flat A, SW1A 1AA" typed as "flat a sw1a1aa": a postcode can hide at the
 * end of the last part. Taken when the part the canonical line would end
 * with is wholly a postcode, so the line reads back the same.
 */
function takeTrailingPostcode(parts: Parts): Postcode | undefined {
  const last = parts.locality[parts.locality.length - 1];
  if (last !== undefined) {
    const postcode = wholePostcode(last);
    if (postcode) parts.locality.pop();
    return postcode;
  }
  if (parts.street || parts.houseNumber || !parts.houseName) return undefined;
  const names = parts.houseName.split(', ');
  const postcode = wholePostcode(names[names.length - 1] ?? '');
  if (postcode) {
    names.pop();
    parts.houseName = names.length > 0 ? names.join(', ') : undefined;
  }
  return postcode;
}

function readUprn(text: string | undefined, flags: Set<AddressFlag>): string | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const digits = normaliseText(text).trim();
  if (!/^\d{1,12}$/.test(digits)) {
    flags.add('invalid_uprn');
    return undefined;
  }
  return digits.replace(/^0+(?=\d)/, '');
}

const CLEAN_PART = /^[a-z0-9]+(?: [a-z0-9]+)*$/;

/** Folds one comma-separated part: lower case, "&" → "and", punctuation to spaces except "/" and "-" between characters ("2/10", "10-12"). */
function foldPart(part: string): string {
  const folded = foldLetters(part.trim());
  // Most parts are already plain words and numbers: nothing to clean.
  if (CLEAN_PART.test(folded)) return folded;
  return folded
    .replace(/['\u2019.]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9/\- ]+/g, ' ')
    .replace(/\s*([/-])\s*/g, '$1')
    .replace(/\s+/g, ' ')
    .replace(/^[\s/-]+|[\s/-]+$/g, '');
}

/**
 * Walks the parts in order: flat (or floor), then building name or house
 * number with street, then locality. "Flat B 10 High St" and "Flat 2, Rose
 * Court, 10 High St" are both read in this one pass.
 */
function readParts(text: string): Parts {
  const parts = text
    .split(PART_SEPARATOR)
    .map(foldPart)
    .filter((p) => /[a-z0-9]/.test(p) && !COUNTRIES.has(p));
  const out = emptyParts();
  const names: string[] = [];
  for (const [index, whole] of parts.entries()) {
    let part = whole;
    if (out.street) {
      // "118 Station Street, Flat C": a flat written after the street is still the flat.
      const after = out.flat ? undefined : readFlat(part);
      if (after && !after.rest) out.flat = after.flat;
      else out.locality.push(part);
      continue;
    }
    if (!out.flat) {
      const flat = readFlat(part);
      if (flat) {
        out.flat = flat.flat;
        part = flat.rest;
        if (!part) continue;
      }
    }
    if (!out.houseNumber) part = readHouseNumber(part.replace(NUMBER_WORD, ''), out);
    if (!/[a-z0-9]/.test(part)) continue;
    // "Rose Court, 10 High St": a street-like name followed by a numbered
    // street is the building's name.
    const numberedStreetFollows = !out.houseNumber && parts.slice(index + 1).some((p) => startsWithNumber(p));
    if (out.houseNumber || (isStreet(part) && !numberedStreetFollows)) out.street = canonicalStreet(part);
    else names.push(part);
  }
  // Parts before the street or number that are not a flat: the building or
  // house name ("Rose Cottage, Mill Lane"). With neither ("Rose Cottage,
  // Little Hadham") the first is the house name, the rest locality.
  if (names.length > 0) {
    // Joined with commas so the canonical line reads back part by part.
    if (out.street || out.houseNumber) out.houseName = names.join(', ');
    else {
      out.houseName = names[0];
      out.locality.unshift(...names.slice(1));
    }
  }
  return out;
}

const startsWithNumber = (part: string): boolean => SLASH_NUMBER.test(part) || /^(?:(?:no|number)\s+)?\d/.test(part);

/** Takes a leading "2/10" or "10", "10b", "10-12" off the part into `out`; returns the rest. */
function readHouseNumber(part: string, out: Parts): string {
  const slash = SLASH_NUMBER.exec(part);
  if (slash) {
    out.flat ??= slash[1];
    out.houseNumber = slash[2];
    return trimJoiners(slash[3] ?? '');
  }
  const number = HOUSE_NUMBER.exec(part);
  if (!number) return part;
  const [, from = '', letter, to, rest = ''] = number;
  out.houseNumber = to ? `${from}-${to}` : from;
  // "10b High Street": usually a dwelling within number 10, so the letter
  // is read as the flat and "10b" meets "Flat B, 10 High Street".
  if (letter) {
    if (out.flat) out.houseNumber = `${from}${letter}`;
    else out.flat = letter;
  }
  return trimJoiners(rest);
}

const trimJoiners = (text: string): string => text.replace(/^[\s/-]+/, '');

function readFlat(part: string): { flat: string; rest: string } | undefined {
  const flat = FLAT.exec(part);
  if (flat) return { flat: flat[1] ?? '', rest: trimJoiners(flat[2] ?? '') };
  const floor = FLOOR.exec(part) ?? FLOOR_SHORT.exec(part);
  if (floor) return { flat: `${FLOOR_NAMES[floor[1] ?? ''] ?? floor[1]} floor`, rest: trimJoiners(floor[2] ?? '') };
  return undefined;
}

function isStreet(part: string): boolean {
  const words = part.split(' ');
  const last = words[words.length - 1] ?? '';
  return words.length > 1 && (KNOWN_TYPES.has(last) || TYPES[last] !== undefined);
}

/** "st johns rd" → "saint johns road"; "high st" → "high street"; "gt north rd" → "great north road". */
export function canonicalStreet(street: string): string {
  const words = street.split(' ');
  const lastIndex = words.length - 1;
  return words
    .map((word, i) => (i === lastIndex && i > 0 ? TYPES[word] ?? word : WORDS[word] ?? word))
    .join(' ');
}

function resultFrom(raw: string, parts: Parts, postcode: Postcode | undefined, uprn: string | undefined, flags: Set<AddressFlag>): AddressResult {
  const house = parts.houseNumber ?? parts.houseName;
  const pc = postcode?.compact;
  return {
    kind: 'address',
    raw,
    uprn,
    postcode: postcode?.postcode,
    flat: parts.flat,
    houseNumber: parts.houseNumber,
    houseName: parts.houseName,
    street: parts.street,
    locality: parts.locality,
    canonical: canonicalLine(parts, postcode, uprn),
    keys: {
      uprn: uprn ? `uprn:${uprn}` : undefined,
      postcode: pc,
      outward: postcode?.outward,
      sector: postcode?.sector,
      postcodeHouse: pc && house ? `${pc}|${house}` : undefined,
      postcodeHouseFlat: pc && house && parts.flat ? `${pc}|${house}|${parts.flat}` : undefined,
      streetHouse: parts.street && house ? `${parts.street}|${house}` : undefined,
    },
    flags: [...flags],
  };
}

function canonicalLine(parts: Parts, postcode: Postcode | undefined, uprn: string | undefined): string {
  const flat = parts.flat === undefined ? undefined : parts.flat.endsWith(' floor') ? `${parts.flat} flat` : `flat ${parts.flat}`;
  const numberAndStreet = [parts.houseNumber, parts.street].filter(Boolean).join(' ');
  return [uprn ? `uprn ${uprn}` : undefined, flat, parts.houseName, numberAndStreet || undefined, ...parts.locality, postcode?.postcode]
    .filter((p) => p !== undefined && p !== '')
    .join(', ');
}
