// Text helpers shared by every canonicaliser: cap what we read, turn any
// script's digits into ASCII, and fold letters for matching. Pure, no I/O.

/** Longest input read, in UTF-16 code units; the rest is dropped and the result flagged 'truncated'. */
export const MAX_INPUT_CHARS = 512;

export type CappedInput = { text: string; truncated: boolean };

/**
 * Makes any value safe to read: null/undefined become '', non-strings are
 * stringified, and long strings are cut at MAX_INPUT_CHARS without splitting
 * a surrogate pair. Call handlers paste whole notes into one field; a
 * megabyte of text must not cost a megabyte of work.
 */
export function capInput(raw: unknown): CappedInput {
  const text = typeof raw === 'string' ? raw : raw == null ? '' : safeString(raw);
  if (text.length <= MAX_INPUT_CHARS) return { text, truncated: false };
  let end = MAX_INPUT_CHARS;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return { text: text.slice(0, end), truncated: true };
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return '';
  }
}

const NON_ASCII = /[^\x00-\x7f]/;
const DECIMAL_DIGIT = /\p{Nd}/u;
const ANY_DECIMAL_DIGIT = /\p{Nd}/gu;
const zeroOf = new Map<number, number>();

/**
 * Value 0–9 of a Unicode decimal digit (Arabic-Indic, Devanagari,
 * full-width, mathematical bold, ...). Unicode lays each script's digits out
 * as ten consecutive code points starting at zero, so the value is the
 * distance from the start of the run of digits, modulo ten.
 */
function digitValue(codePoint: number): number {
  let zero = zeroOf.get(codePoint);
  if (zero === undefined) {
    let start = codePoint;
    while (start > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start -= 1;
    zero = start + Math.floor((codePoint - start) / 10) * 10;
    zeroOf.set(codePoint, zero);
  }
  return codePoint - zero;
}

/** Replaces every Unicode decimal digit with its ASCII digit; other characters are kept. */
export function asciiDigits(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  return text.replace(ANY_DECIMAL_DIGIT, (d) => {
    const cp = d.codePointAt(0) ?? 48;
    return cp < 128 ? d : String(digitValue(cp));
  });
}

/**
 * NFKC (full-width letters and punctuation become ASCII, ligatures split)
 * then ASCII digits. ASCII input is returned as it is, which keeps the common
 * case cheap.
 */
export function normaliseText(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  return asciiDigits(text.normalize('NFKC'));
}

// Letters that NFKD does not decompose into a base letter plus a mark.
const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss', ẞ: 'ss', æ: 'ae', Æ: 'ae', œ: 'oe', Œ: 'oe', ø: 'o', Ø: 'o', ł: 'l', Ł: 'l',
  đ: 'd', Đ: 'd', ð: 'd', Ð: 'd', þ: 'th', Þ: 'th', ı: 'i', ħ: 'h', Ħ: 'h', ŋ: 'ng', Ŋ: 'ng',
  ſ: 's', ĸ: 'k',
};

// Russian, Ukrainian and Bulgarian Cyrillic to Latin, as British passports
// and most case systems spell them (close to BGN/PCGN, simplified).
const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', ґ: 'g', д: 'd', е: 'e', ё: 'e', є: 'ye', ж: 'zh', з: 'z',
  и: 'i', і: 'i', ї: 'yi', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r',
  с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '',
  ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

const COMBINING_MARK = /\p{M}/gu;
const CYRILLIC_LETTER = /[\u0400-\u04ff]/gu;
const SPECIAL_LETTER = /[ßẞæÆœŒøØłŁđĐðÐþÞıħĦŋŊſĸ]/gu;

/**
 * Folds text for matching: lower case, Cyrillic transliterated (before
 * decomposition, so й stays y), NFKD with diacritics removed, special
 * letters spelled out (ß → ss, ø → o). "Zoë Łukasz-Müller" →
 * "zoe lukasz-muller". Punctuation is left for the caller, which knows what
 * an apostrophe or hyphen means in its field.
 */
export function foldLetters(text: string): string {
  const lower = text.toLowerCase();
  if (!NON_ASCII.test(lower)) return lower;
  return lower
    .replace(CYRILLIC_LETTER, (c) => CYRILLIC[c] ?? c)
    .normalize('NFKD')
    .replace(COMBINING_MARK, '')
    .replace(SPECIAL_LETTER, (c) => SPECIAL_LETTERS[c] ?? c);
}
