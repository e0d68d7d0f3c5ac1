// Person names as call handlers type them → tokens and match keys.
//
// "SMITH, John", "John SMITH", "Mr J. Smith", "Jon Smith-Jones aka Jack",
// "Seán O’Brien" and "sean obrien" must meet in the same blocks. The name as
// typed is kept for display; matching uses folded tokens (no diacritics,
// case or apostrophes), nickname groups and Double Metaphone sounds. Both
// readings of the order (family last, family first) get keys, so a record
// typed the other way round can still be found. Pure; never throws.

import affixes from './data/name-affixes.json' with { type: 'json' };
import { nicknameGroups } from './nicknames.ts';
import { phoneticKeys } from './phonetic.ts';
import { capInput, foldLetters, normaliseText } from './text.ts';

export type NameInput = string | { given?: string; family?: string; full?: string };

export type NameFlag =
  /** Nothing but whitespace and punctuation. */
  | 'empty'
  /** Something went wrong reading it; raw is kept, no keys. */
  | 'unparsed'
  /** The input was longer than MAX_INPUT_CHARS and was cut. */
  | 'truncated'
  /** A title (Mr, Mrs, Dr, ...) was removed. */
  | 'title_removed'
  /** A suffix (Jr, Snr, III, ...) was removed. */
  | 'suffix_removed'
  /** Every given name is an initial ("J. R. Smith"): compare on initials only. */
  | 'initials_only'
  /** One word only: kept as the family name; `swapped` reads it as a given name. */
  | 'single_token'
  /** The family name was the part before a comma ("SMITH, John"). */
  | 'order_from_comma'
  /** The family name was the word(s) in capitals ("John SMITH", "SMITH John"). */
  | 'order_from_capitals'
  /** An alias was found ("aka", "née", a nickname in quotes or brackets). */
  | 'alias'
  /** A name in a non-Latin script kept as written: no phonetic key. */
  | 'non_latin'
  /** Digits or symbols inside the name were dropped. */
  | 'non_letters_removed';

/** Match keys for one reading of a name. Every string is folded: lower-case a–z (or the letters of a non-Latin script). */
export type NameKeys = {
  /**
   * Family name, all parts joined without spaces, hyphens or apostrophes,
   * with a leading "mac" written "mc" ("MacDonald", "Mc Donald" → "mcdonald";
   * "Smith-Jones" → "smithjones"; "van der Berg" → "vanderberg"). '' if none.
   */
  family: string;
  /**
   * Every family key to block on: `family` first, then each part of a
   * hyphenated or double-barrelled name and the name without its particles
   * ("Smith-Jones" → ["smithjones", "smith", "jones"]; "al-Rashid" →
   * ["alrashid", "rashid"]).
   */
  familyParts: string[];
  /** First given name, hyphens removed ("Jean-Paul" → "jeanpaul"); '' if none. */
  given: string;
  /**
   * Nickname-group keys of the first given name, sorted (Bob, Rob, Robbie →
   * ["robert"]; "Mohamed" → ["muhammad"]); the name itself when in no group.
   * Two given names are equivalent when these intersect.
   */
  givenGroups: string[];
  /** First letter of each given name, in order ("John Paul" → "jp"). */
  initials: string;
  /** Double Metaphone codes of `familyParts`, primary codes first, deduplicated. */
  familySound: string[];
  /** Double Metaphone codes of `given` ([] for an initial or a non-Latin name). */
  givenSound: string[];
};

export type NameAlias = {
  /** The alias as typed. */
  raw: string;
  given: string[];
  family: string[];
  keys: NameKeys;
};

export type NameResult = {
  kind: 'name';
  /** Input as received (cut at MAX_INPUT_CHARS), for display and audit. Object inputs are shown as JSON. */
  raw: string;
  /** The name as typed, without titles and suffixes, for display. */
  display: { given: string; family: string; full: string };
  /** Folded given names, in order (first, middle...). */
  given: string[];
  /** Folded family name words, in order ("smith-jones" stays one token). */
  family: string[];
  /** Titles and suffixes removed, folded ("mr", "jr"). */
  titles: string[];
  suffixes: string[];
  /** Keys of the reading chosen (family last unless a comma or capitals said otherwise). */
  keys: NameKeys;
  /**
   * Keys of the other reading: first word as family name if the chosen
   * reading took the last, and the reverse. Lets the resolver find the same
   * person typed "Smith John" in one record and "John Smith" in another.
   * Undefined when there is no name.
   */
  swapped: NameKeys | undefined;
  aliases: NameAlias[];
  flags: NameFlag[];
};

type Token = {
  /** As typed, trimmed of surrounding punctuation. */
  text: string;
  /** Folded: a–z and inner hyphens; or the lower-case letters of a non-Latin script. */
  folded: string;
  /** Written in capitals with at least two letters ("SMITH"). */
  capitals: boolean;
};

type Reading = {
  given: Token[];
  family: Token[];
  /** Order of the words as typed, titles and suffixes removed: for the other reading. */
  typed: Token[];
  familyFirst: boolean;
};

const TITLES = new Set(affixes.titles);
const SUFFIXES = new Set(affixes.suffixes);
const PARTICLES = new Set(affixes.particles);
const MAIDEN_WORDS = new Set(affixes.maidenWords.map((w) => foldLetters(w)));

const APOSTROPHES = /[\u2018\u2019\u201b\u02bc\u02bb`\u00b4\u2032]/g;
const SPACED_HYPHEN = /\s*[\p{Pd}]+\s*/gu;
const QUOTED_OR_BRACKETED = /["\u201c\u201d\u00ab\u00bb]([^"\u201c\u201d\u00ab\u00bb]*)["\u201c\u201d\u00ab\u00bb]|\(([^()]*)\)|\[([^[\]]*)\]/g;
const ALIAS_WORD = new RegExp(
  `(?<![\\p{L}])(${affixes.aliasWords
    .map((w) => w.replace(/[.]/g, '\\.').replace(/ /g, '\\s+'))
    .sort((a, b) => b.length - a.length)
    .join('|')})(?![\\p{L}])[:.]?|\\s\\/\\s`,
  'giu',
);
// Cheap first look: most names have no alias, and the full patterns are slow.
const MAY_HAVE_ALIAS = /["\u201c\u201d\u00ab\u00bb()[\]/]|a\.?k\.?a|alias|known|kna|n[eé]e|formerly|previously|born/i;
const WORD_SPLIT = /[\s.;_:!?*&+=<>|\\/]+/;
const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
const NOT_FOLDED_LETTER = /[^a-z-]/g;
const LETTER = /\p{L}/u;
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const VOWEL = /[aeiouy]/;

/** Canonicalises one name field, or a record's given/family fields. Never throws. */
export function canonicaliseName(input: NameInput): NameResult {
  const flags = new Set<NameFlag>();
  const raw = describeInput(input, flags);
  try {
    return readName(input, raw, flags);
  } catch {
    flags.add('unparsed');
    return emptyResult(raw, flags);
  }
}

function describeInput(input: NameInput, flags: Set<NameFlag>): string {
  const described = input !== null && typeof input === 'object' ? safeJson(input) : input;
  const { text, truncated } = capInput(described);
  if (truncated) flags.add('truncated');
  return text;
}

function safeJson(value: object): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

function readName(input: NameInput, raw: string, flags: Set<NameFlag>): NameResult {
  const titles: string[] = [];
  const suffixes: string[] = [];
  const aliasTexts: { text: string; maiden: boolean }[] = [];
  let reading: Reading;
  if (input !== null && typeof input === 'object' && (field(input.given) || field(input.family))) {
    reading = readFields(field(input.given), field(input.family), titles, suffixes, flags);
  } else {
    const text = input !== null && typeof input === 'object' ? field(input.full) : raw;
    const primary = splitAliases(prepare(text), aliasTexts);
    reading = readFullName(primary, titles, suffixes, flags);
  }
  if (reading.typed.length === 0) {
    flags.add(raw.trim() === '' ? 'empty' : 'unparsed');
    return emptyResult(raw, flags);
  }
  const aliases = aliasTexts
    .map((alias) => readAlias(alias.text, alias.maiden, reading))
    .filter((alias) => alias !== undefined);
  if (aliases.length > 0) flags.add('alias');
  if (reading.typed.length === 1) flags.add('single_token');
  if (reading.given.length > 0 && reading.given.every((t) => t.folded.length === 1)) flags.add('initials_only');
  if (reading.typed.some((t) => !/[a-z]/.test(t.folded))) flags.add('non_latin');
  const given = reading.given.map((t) => t.folded);
  const family = reading.family.map((t) => t.folded);
  const displayGiven = reading.given.map((t) => t.text).join(' ');
  const displayFamily = reading.family.map((t) => t.text).join(' ');
  return {
    kind: 'name',
    raw,
    display: { given: displayGiven, family: displayFamily, full: [displayGiven, displayFamily].filter(Boolean).join(' ') },
    given,
    family,
    titles,
    suffixes,
    keys: keysFor(reading.given, reading.family),
    swapped: swappedKeys(reading),
    aliases,
    flags: [...flags],
  };
}

/** Every field read the same way whatever a JSON caller sent. */
function field(value: unknown): string {
  return capInput(value).text;
}

function prepare(text: string): string {
  return normaliseText(text).replace(APOSTROPHES, "'").replace(SPACED_HYPHEN, '-');
}

/**
 * Takes aliases out of the text and returns what is left: nicknames in
 * quotes or brackets ('John "Jack" Smith'), and everything after "aka",
 * "alias", "née", " / ". Each alias remembers whether it was a maiden name.
 */
function splitAliases(text: string, aliases: { text: string; maiden: boolean }[]): string {
  if (!MAY_HAVE_ALIAS.test(text)) return text;
  const withoutQuoted = text.replace(QUOTED_OR_BRACKETED, (_m, quoted?: string, bracketed?: string, squared?: string) => {
    const inner = (quoted ?? bracketed ?? squared ?? '').trim();
    if (inner) aliases.push({ text: inner, maiden: false });
    return ' ';
  });
  const parts = withoutQuoted.split(ALIAS_WORD);
  // split() with one capture group gives [text, word, text, word, text...];
  // the " / " alternative captures undefined.
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const word = foldLetters((parts[i] ?? '').replace(/\s+/g, ' ').replace(/[.:]/g, ''));
    const aliasText = (parts[i + 1] ?? '').trim();
    if (aliasText) aliases.push({ text: aliasText, maiden: MAIDEN_WORDS.has(word) });
  }
  return parts[0] ?? '';
}

function readAlias(text: string, maiden: boolean, primary: Reading): NameAlias | undefined {
  const ignored: string[] = [];
  const alias = readFullName(prepare(text), ignored, ignored, new Set());
  if (alias.typed.length === 0) return undefined;
  // One word: a maiden name replaces the family name; any other single word
  // ("aka Jacko") is another given name for the same family name.
  const single = alias.typed.length === 1 ? alias.typed : undefined;
  const given = single ? (maiden ? primary.given : single) : alias.given;
  const family = single ? (maiden ? single : primary.family) : alias.family;
  return { raw: text, given: given.map((t) => t.folded), family: family.map((t) => t.folded), keys: keysFor(given, family) };
}

function readFields(givenText: string, familyText: string, titles: string[], suffixes: string[], flags: Set<NameFlag>): Reading {
  const given = dropTitles(tokens(prepare(givenText), flags), titles, flags);
  const family = dropSuffixes(tokens(prepare(familyText), flags), suffixes, flags);
  return { given, family, typed: [...given, ...family], familyFirst: false };
}

function readFullName(text: string, titles: string[], suffixes: string[], flags: Set<NameFlag>): Reading {
  const comma = text.indexOf(',');
  if (comma >= 0) {
    const before = tokens(text.slice(0, comma), flags);
    const after = tokens(text.slice(comma + 1).replace(/,/g, ' '), flags);
    // "John Smith, Jr" or "Smith, Mr": what follows the comma is not a given name.
    if (after.length > 0 && !after.every((t) => isAffix(t))) {
      const family = dropSuffixes(dropTitles(before, titles, flags), suffixes, flags);
      const given = dropSuffixes(dropTitles(after, titles, flags), suffixes, flags);
      if (family.length > 0 && given.length > 0) {
        flags.add('order_from_comma');
        return { given, family, typed: [...family, ...given], familyFirst: true };
      }
      return readWords([...family, ...given], titles, suffixes, flags);
    }
    // Only titles and suffixes after the comma: keep them as such.
    for (const t of after) {
      const bare = t.folded.replace(/-/g, '');
      if (TITLES.has(bare)) {
        titles.push(bare);
        flags.add('title_removed');
      } else {
        suffixes.push(bare);
        flags.add('suffix_removed');
      }
    }
    return readWords(before, titles, suffixes, flags);
  }
  return readWords(tokens(text, flags), titles, suffixes, flags);
}

function isAffix(t: Token): boolean {
  const bare = t.folded.replace(/-/g, '');
  return TITLES.has(bare) || SUFFIXES.has(bare);
}

function readWords(all: Token[], titles: string[], suffixes: string[], flags: Set<NameFlag>): Reading {
  const words = expandInitials(dropSuffixes(dropTitles(all, titles, flags), suffixes, flags));
  if (words.length <= 1) return { given: [], family: words, typed: words, familyFirst: false };
  const capitalised = familyInCapitals(words);
  if (capitalised) {
    flags.add('order_from_capitals');
    // "SMITH Mr John": the title sits at the start of the given names.
    const given = dropTitles(capitalised.given, titles, flags);
    const typed = capitalised.typed.filter((t) => given.includes(t) || capitalised.family.includes(t));
    return { ...capitalised, given, typed };
  }
  // Family last, with the particles before it ("Ana de la Cruz"); at least
  // one word stays a given name.
  let start = words.length - 1;
  while (start > 1 && PARTICLES.has(words[start - 1]!.folded)) start -= 1;
  return { given: words.slice(0, start), family: words.slice(start), typed: words, familyFirst: false };
}

/**
 * "John SMITH" and "SMITH John": when some words are in capitals and others
 * are not, the capitals are the family name (the police and passport
 * convention). One contiguous run only; anything else is no signal.
 */
function familyInCapitals(words: Token[]): Reading | undefined {
  const first = words.findIndex((t) => t.capitals);
  if (first < 0) return undefined;
  let end = first;
  while (end < words.length && words[end]!.capitals) end += 1;
  if (words.slice(end).some((t) => t.capitals)) return undefined;
  const family = words.slice(first, end);
  const given = [...words.slice(0, first), ...words.slice(end)];
  if (given.length === 0 || !given.some((t) => LOWER.test(t.text))) return undefined;
  return { given, family, typed: words, familyFirst: first === 0 };
}

/** "JR Smith": a short all-capitals word with no vowel is initials, not a surname. */
function expandInitials(words: Token[]): Token[] {
  if (words.length < 2 || !words.some(isInitials)) return words;
  return words.flatMap((t) =>
    isInitials(t) ? [...t.folded].map((letter, i) => ({ text: t.text[i] ?? letter, folded: letter, capitals: false })) : [t],
  );
}

const isInitials = (t: Token): boolean => t.capitals && t.folded.length <= 3 && /^[a-z]+$/.test(t.folded) && !VOWEL.test(t.folded);

function dropTitles(words: Token[], titles: string[], flags: Set<NameFlag>): Token[] {
  let start = 0;
  while (start < words.length - 1 && TITLES.has(words[start]!.folded)) {
    titles.push(words[start]!.folded);
    flags.add('title_removed');
    start += 1;
  }
  return start === 0 ? words : words.slice(start);
}

function dropSuffixes(words: Token[], suffixes: string[], flags: Set<NameFlag>): Token[] {
  let end = words.length;
  while (end > 1 && SUFFIXES.has(words[end - 1]!.folded)) {
    suffixes.unshift(words[end - 1]!.folded);
    flags.add('suffix_removed');
    end -= 1;
  }
  return end === words.length ? words : words.slice(0, end);
}

const PLAIN_WORD = /^[A-Za-z]+$/;

function tokens(text: string, flags: Set<NameFlag>): Token[] {
  const out: Token[] = [];
  for (const piece of text.split(WORD_SPLIT)) {
    if (PLAIN_WORD.test(piece)) {
      // Most words are plain ASCII letters: no punctuation, folding or script to handle.
      const lower = piece.toLowerCase();
      out.push({ text: piece, folded: lower, capitals: piece.length >= 2 && lower !== piece && piece.toUpperCase() === piece });
      continue;
    }
    const trimmed = piece.replace(EDGE_PUNCTUATION, '');
    if (!trimmed || !LETTER.test(trimmed)) {
      if (trimmed) flags.add('non_letters_removed');
      continue;
    }
    const folded = foldWord(trimmed, flags);
    if (!folded) continue;
    const letters = trimmed.replace(/[^\p{L}]/gu, '');
    out.push({ text: trimmed, folded, capitals: letters.length >= 2 && UPPER.test(letters) && !LOWER.test(letters) });
  }
  return out;
}

/** "O'Brien" → "obrien", "Łukasz-Müller" → "lukasz-muller"; a name in another script stays as its own letters. */
function foldWord(word: string, flags: Set<NameFlag>): string {
  const latin = foldLetters(word).replace(/'/g, '');
  const cleaned = latin.replace(NOT_FOLDED_LETTER, '').replace(/-{2,}/g, '-').replace(/^-|-$/g, '');
  if (/[a-z]/.test(cleaned)) {
    if (cleaned.length !== latin.length && /[^\p{L}'-]/u.test(latin)) flags.add('non_letters_removed');
    return cleaned;
  }
  return word.toLowerCase().replace(/[^\p{L}\p{M}]/gu, '');
}

const macToMc = (family: string): string => (family.length >= 6 && family.startsWith('mac') ? `mc${family.slice(3)}` : family);
const unhyphenated = (word: string): string => (word.includes('-') ? word.replace(/-/g, '') : word);

function keysFor(given: Token[], family: Token[]): NameKeys {
  let joined = '';
  let compound = family.length > 1;
  for (const t of family) {
    joined += unhyphenated(t.folded);
    if (t.folded.includes('-')) compound = true;
  }
  const familyKey = macToMc(joined);
  const familyParts = familyKey ? [familyKey] : [];
  if (compound) addFamilyPieces(family, familyParts);
  const firstGiven = given[0]?.folded ?? '';
  const givenKey = unhyphenated(firstGiven);
  return {
    family: familyKey,
    familyParts,
    given: givenKey,
    givenGroups: givenGroupsOf(firstGiven, givenKey),
    initials: initialsOf(given),
    familySound: soundsOf(familyParts),
    givenSound: givenKey.length > 1 ? phoneticKeys(givenKey).slice() : [],
  };
}

/** "smith-jones" → smith, jones; "van der berg" → vanderberg... berg: the parts that are not particles. */
function addFamilyPieces(family: Token[], parts: string[]): void {
  const pieces = family.flatMap((t) => t.folded.split('-')).filter((p) => p.length >= 2 && !PARTICLES.has(p));
  for (const piece of [pieces.join(''), ...pieces]) {
    const key = macToMc(piece);
    if (key && !parts.includes(key)) parts.push(key);
  }
}

function givenGroupsOf(firstGiven: string, givenKey: string): string[] {
  const groups = nicknameGroups(givenKey);
  if (!firstGiven.includes('-')) return groups;
  // "Anne-Marie" is also an Anne.
  const firstPart = firstGiven.slice(0, firstGiven.indexOf('-'));
  for (const g of nicknameGroups(firstPart)) if (!groups.includes(g)) groups.push(g);
  return groups.sort();
}

function initialsOf(given: Token[]): string {
  let initials = '';
  for (const t of given) initials += String.fromCodePoint(t.folded.codePointAt(0) ?? 0x20).trim();
  return initials;
}

function soundsOf(parts: string[]): string[] {
  if (parts.length === 1) return phoneticKeys(parts[0] ?? '').slice();
  const sounds: string[] = [];
  for (const part of parts) for (const code of phoneticKeys(part)) if (!sounds.includes(code)) sounds.push(code);
  return sounds;
}

/** The other reading of the typed words: family first if we took it last, and the reverse. */
function swappedKeys(reading: Reading): NameKeys | undefined {
  const words = reading.typed;
  if (words.length === 0) return undefined;
  if (words.length === 1) return keysFor(words, []);
  return reading.familyFirst ? keysFor(words.slice(0, -1), words.slice(-1)) : keysFor(words.slice(1), words.slice(0, 1));
}

const NO_KEYS: NameKeys = { family: '', familyParts: [], given: '', givenGroups: [], initials: '', familySound: [], givenSound: [] };

function emptyResult(raw: string, flags: Set<NameFlag>): NameResult {
  return {
    kind: 'name',
    raw,
    display: { given: '', family: '', full: '' },
    given: [],
    family: [],
    titles: [],
    suffixes: [],
    keys: { ...NO_KEYS, familyParts: [], givenGroups: [], familySound: [], givenSound: [] },
    swapped: undefined,
    aliases: [],
    flags: [...flags],
  };
}
