// UK postcodes: validated by format and written one way ("SW1A 1AA"),
// whatever the spacing and case they were typed in.
//
// Format rules (Royal Mail / ONS): outward code A9, A99, AA9, AA99, A9A or
// AA9A; inward code 9AA. Letter positions exclude the letters Royal Mail
// never uses there. Existence is not checked: that needs the ONS Postcode
// Directory, which is data the resolver may load later.

import { foldLetters } from './text.ts';

export type Postcode = {
  /** "SW1A 1AA": outward, one space, inward; upper case. */
  postcode: string;
  /** "SW1A1AA": no space; the form for keys. */
  compact: string;
  /** "SW1A": the outward code, for partial matches (a postcode district). */
  outward: string;
  /** "1AA" */
  inward: string;
  /** "SW1A 1": the postcode sector, a block of a few hundred addresses. */
  sector: string;
  /** True when a look-alike character was put right ("SW1A IAA" → "SW1A 1AA"). */
  corrected: boolean;
};

const OUTWARD = /^(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])$/;
const INWARD = /^[0-9][ABD-HJLNP-UW-Z]{2}$/;
// Spaces, and the stray full stop or hyphen typed inside a postcode ("SW1A-1AA").
const NOT_ALPHANUMERIC = /[^A-Za-z0-9]+/g;

/** Parses a postcode typed with any spacing, punctuation and case; undefined when it is not one. */
export function parsePostcode(text: string): Postcode | undefined {
  const compact = foldLetters(text).replace(NOT_ALPHANUMERIC, '').toUpperCase();
  if (compact.length < 5 || compact.length > 7) return undefined;
  return exact(compact) ?? corrected(compact);
}

function exact(compact: string): Postcode | undefined {
  if (compact === 'GIR0AA') return build('GIR', '0AA', false);
  const outward = compact.slice(0, -3);
  const inward = compact.slice(-3);
  return OUTWARD.test(outward) && INWARD.test(inward) ? build(outward, inward, false) : undefined;
}

// Letters typed for digits (and the reverse) in the places where only one
// of them can stand.
const AS_DIGIT: Record<string, string> = { O: '0', I: '1' };
const AS_INWARD_DIGIT: Record<string, string> = { O: '0', I: '1', L: '1' };

function corrected(compact: string): Postcode | undefined {
  const outward = compact.slice(0, -3);
  const inward = compact.slice(-3);
  const inwardFixed = (AS_INWARD_DIGIT[inward[0] ?? ''] ?? inward[0] ?? '') + inward.slice(1);
  // Every mix of look-alikes put right after the first letter, fewest first.
  const places = [...outward].map((c, i) => (i > 0 && AS_DIGIT[c] ? i : -1)).filter((i) => i > 0);
  const outwards: string[] = [];
  for (let mask = 0; mask < 1 << places.length; mask++) {
    const chars = [...outward];
    places.forEach((place, bit) => {
      if (mask & (1 << bit)) chars[place] = AS_DIGIT[chars[place] ?? ''] ?? '';
    });
    outwards.push(chars.join(''));
  }
  outwards.sort((a, b) => changes(a, outward) - changes(b, outward));
  for (const candidate of outwards) {
    if (OUTWARD.test(candidate) && INWARD.test(inwardFixed) && (candidate !== outward || inwardFixed !== inward)) {
      return build(candidate, inwardFixed, true);
    }
  }
  return undefined;
}

const changes = (a: string, b: string): number => [...a].filter((c, i) => c !== b[i]).length;

function build(outward: string, inward: string, wasCorrected: boolean): Postcode {
  return {
    postcode: `${outward} ${inward}`,
    compact: outward + inward,
    outward,
    inward,
    sector: `${outward} ${inward[0] ?? ''}`,
    corrected: wasCorrected,
  };
}

// A postcode inside an address line, typed the usual way (optional space
// between outward and inward codes). Digits must be digits here: with
// look-alikes allowed, ordinary words ("so old") would read as postcodes.
const IN_TEXT = /(?<![A-Za-z0-9])([A-Za-z]{1,2}[0-9][A-Za-z0-9]?)\s*([0-9][A-Za-z]{2})(?![A-Za-z0-9])/g;

const TRAILING_SEPARATORS = /[\s,;]*$/;
const POSTCODE_SHAPE = /^[^A-Za-z0-9]*[A-Za-z]{1,2}[0-9OoIi][A-Za-z0-9]?[^A-Za-z0-9]+[0-9OoIiLl][A-Za-z]{2}[^A-Za-z0-9]*$/;

/**
 * A postcode when the whole text is one, with any spacing ("S W 1 A 1 A A").
 * Look-alikes are put right only in text shaped like a postcode with a gap
 * ("SW1A IAA"): without that, ordinary words ("gf1 road") would qualify.
 */
export function wholePostcode(text: string): Postcode | undefined {
  const postcode = parsePostcode(text);
  return postcode && (!postcode.corrected || POSTCODE_SHAPE.test(text)) ? postcode : undefined;
}

export type PostcodeInText = { postcode: Postcode; start: number; end: number };

/**
 * Finds the last postcode in free text. A last comma-separated part that is
 * wholly a postcode, whatever its spacing ("S W 1 A 1 A A"), comes first;
 * then the usual way of typing one anywhere; then that last part with
 * look-alike characters put right ("SW1A IAA").
 */
export function findPostcode(text: string): PostcodeInText | undefined {
  const end = text.search(TRAILING_SEPARATORS);
  const lastSeparator = Math.max(text.lastIndexOf(',', end - 1), text.lastIndexOf('\n', end - 1), text.lastIndexOf(';', end - 1));
  const tail = wholePostcode(text.slice(lastSeparator + 1, end));
  const tailFound = tail ? { postcode: tail, start: lastSeparator + 1, end } : undefined;
  if (tailFound && !tailFound.postcode.corrected) return tailFound;
  let found: PostcodeInText | undefined;
  for (const match of text.matchAll(IN_TEXT)) {
    const postcode = parsePostcode(`${match[1] ?? ''}${match[2] ?? ''}`);
    const start = match.index ?? 0;
    if (postcode) found = { postcode, start, end: start + match[0].length };
  }
  return found ?? tailFound;
}
