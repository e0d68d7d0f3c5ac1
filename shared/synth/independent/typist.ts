// How the independent stream's call handlers type a person: written apart
// from shared/synth/typed-as.ts, with habits of its own. Names go into the
// wrong boxes, into the full-name box as "SURNAME, Given" or "SURNAME
// Given", or as a nickname, sometimes misspelt ("Jeny", "Ayesa"); typos are
// keyboard slips, phonetic spellings and dropped letters; a mobile loses its
// leading zero or has the letter O typed for a zero; a flat is "118c",
// "Flat C, 118" or "C/118"; a date of birth has its day and month swapped.
// Deterministic given the rng; pure.

import type { IncidentParty } from '../../contracts/incident.ts';
import type { Rng } from '../random.ts';
import { NICKNAMES } from './pools.ts';

export type IndependentAddress = {
  /** "C" or "3", when the dwelling is a flat. */
  flat?: string;
  houseNumber: number;
  street: string;
  postcode: string;
  boroughCode: string;
};

export type IndependentPerson = {
  id: string;
  given: string;
  middle?: string;
  family: string;
  gender: 'female' | 'male';
  /** ISO date. */
  dob: string;
  /** Mobiles over time ("07544 978690"), each from an ISO date until the next. */
  mobiles: { number: string; from: string }[];
  householdId: string;
  /** Where they lived before `movedOn` (ISO), if they moved. */
  previousAddress?: IndependentAddress;
  movedOn?: string;
};

/** What the caller knows of this party: their own details, a suspect's, or a bystander's. */
export type Knowledge = 'self' | 'suspect' | 'other';

export type TypeOptions = {
  person: IndependentPerson;
  address: IndependentAddress;
  landline: string | undefined;
  /** ISO date of the call. */
  when: string;
  knows: Knowledge;
  partyId: string;
  roles: string[];
  relationshipToVictim: string | null;
  rng: Rng;
};

/** One party as this stream's call handler types it. */
export function typeIndependentParty(o: TypeOptions): IncidentParty {
  const { rng, person } = o;
  return {
    partyId: o.partyId,
    roles: [...o.roles],
    name: typeName(person, o.knows, rng),
    ...typeBirth(person, o.when, o.knows, rng),
    gender: rng.chance(0.15) ? null : rng.pick(person.gender === 'female' ? ['F', 'Female', 'female', 'F'] : ['M', 'Male', 'male', 'M']),
    phones: typePhones(person, o.landline, o.when, o.knows, rng),
    emails: o.knows === 'self' && rng.chance(0.15) ? [emailOf(person, rng)] : [],
    addresses: typeAddresses(o),
    relationshipToVictim: o.relationshipToVictim,
  };
}

// ---------------------------------------------------------------- names

function typeName(person: IndependentPerson, knows: Knowledge, rng: Rng): IncidentParty['name'] {
  let given: string | null = person.given;
  let family: string | null = person.family;
  const nicknames = NICKNAMES[person.given];
  if (nicknames && rng.chance(knows === 'suspect' ? 0.3 : 0.18)) {
    given = rng.pick(nicknames);
    if (rng.chance(0.3)) given = misspell(given, rng);
  } else if (rng.chance(0.06)) given = misspell(given, rng);
  if (rng.chance(0.07)) family = misspell(family, rng);
  if (rng.chance(0.03)) given = given[0]!;
  if (rng.chance(knows === 'self' ? 0.03 : 0.1)) given = null;
  if (rng.chance(knows === 'self' ? 0.01 : 0.05)) family = null;
  const casing = rng.weighted([['as_is', 72], ['all_capitals', 14], ['family_capitals', 10], ['lower', 4]] as const);
  const cased = (s: string | null, isFamily: boolean): string | null =>
    s === null ? null : casing === 'all_capitals' || (casing === 'family_capitals' && isFamily) ? s.toUpperCase() : casing === 'lower' ? s.toLowerCase() : s;
  const g = cased(given, false);
  const f = cased(family, true);
  const middle = person.middle && rng.chance(0.1) ? person.middle : null;
  const empty = { title: null, given: null, middle: null, family: null, full: null, aliases: [] };
  const layout = rng.weighted([['boxes', 60], ['boxes_swapped', 9], ['full', 12], ['full_comma', 9], ['full_family_first', 6], ['full_reversed_plain', 4]] as const);
  switch (layout) {
    case 'boxes':
      return { ...empty, given: g, middle, family: f };
    case 'boxes_swapped':
      // Given and family typed into each other's boxes.
      return { ...empty, given: f, family: g };
    case 'full':
      return { ...empty, full: [g, f].filter(Boolean).join(' ') || null };
    case 'full_comma':
      return { ...empty, full: f && g ? `${(family ?? '').toUpperCase()}, ${g}` : (f ?? g) };
    case 'full_family_first':
      return { ...empty, full: [family?.toUpperCase() ?? null, g].filter(Boolean).join(' ') || null };
    case 'full_reversed_plain':
      return { ...empty, full: [f, g].filter(Boolean).join(' ') || null };
  }
}

/** Keys a finger slips to on a UK keyboard. */
const NEAR: Record<string, string> = {
  a: 'sqz', b: 'vn', c: 'xv', d: 'sf', e: 'wr', f: 'dg', g: 'fh', h: 'gj', i: 'uo', j: 'hk', k: 'jl', l: 'k', m: 'n', n: 'bm',
  o: 'ip', p: 'o', q: 'w', r: 'et', s: 'ad', t: 'ry', u: 'yi', v: 'cb', w: 'qe', x: 'zc', y: 'tu', z: 'x',
};

/** Spellings that sound alike: what a handler writes down from a voice on the phone. */
const SOUNDS: readonly (readonly [RegExp, string])[] = [
  [/ph/i, 'f'], [/ck/i, 'k'], [/sh/i, 's'], [/th/i, 't'], [/ie$/i, 'y'], [/y$/i, 'ie'], [/ee/i, 'i'], [/ou/i, 'u'], [/kh/i, 'k'],
  [/z/i, 's'], [/v/i, 'w'], [/c(?=[aou])/i, 'k'], [/q/i, 'k'], [/ei/i, 'ie'], [/aa/i, 'a'], [/ey$/i, 'i'], [/ah$/i, 'a'],
];

/** One misspelling, never of the first letter: a keyboard slip, a phonetic spelling or a dropped letter. */
export function misspell(word: string, rng: Rng): string {
  if (word.length < 3) return word;
  const kind = rng.weighted([['near_key', 4], ['sound', 3], ['drop', 4], ['double', 1]] as const);
  const at = rng.int(1, word.length - 1);
  const c = word[at]!;
  if (kind === 'sound') {
    const rules = SOUNDS.filter(([re]) => re.test(word.slice(1)));
    if (rules.length > 0) {
      const [re, to] = rng.pick(rules);
      const rest = word.slice(1).replace(re, (m) => (m === m.toUpperCase() ? to.toUpperCase() : to));
      if (rest !== word.slice(1)) return word[0] + rest;
    }
  }
  if (kind === 'near_key' && NEAR[c.toLowerCase()]) {
    const n = rng.pick([...NEAR[c.toLowerCase()]!]);
    return word.slice(0, at) + (c === c.toUpperCase() ? n.toUpperCase() : n) + word.slice(at + 1);
  }
  if (kind === 'double') return word.slice(0, at) + c + word.slice(at);
  // Dropped: a doubled letter or an 'h' is the likeliest to go.
  const doubled = [...word].findIndex((x, i) => i > 0 && x === word[i - 1]);
  const h = word.slice(1).search(/h/i);
  const drop = doubled > 0 ? doubled : h >= 0 ? h + 1 : at;
  return word.slice(0, drop) + word.slice(drop + 1);
}

// ---------------------------------------------------------------- date of birth

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function typeBirth(person: IndependentPerson, when: string, knows: Knowledge, rng: Rng): Pick<IncidentParty, 'dateOfBirth' | 'ageYears'> {
  const age = ageOn(person.dob, when);
  const missing = knows === 'self' ? 0.1 : knows === 'suspect' ? 0.35 : 0.5;
  // A caller knows her own age; a suspect's she may guess at.
  if (rng.chance(missing)) return { dateOfBirth: null, ageYears: knows === 'other' || rng.chance(0.5) ? null : knows === 'self' ? age : Math.max(16, age + rng.int(-2, 2)) };
  if (rng.chance(knows === 'self' ? 0.05 : 0.15)) return { dateOfBirth: null, ageYears: age };
  let [y, m, d] = person.dob.split('-').map(Number) as [number, number, number];
  if (d <= 12 && d !== m && rng.chance(0.05)) [m, d] = [d, m];
  else if (rng.chance(0.02)) y += rng.pick([-1, 1, 10, -10]);
  const p = (n: number) => String(n).padStart(2, '0');
  const format = rng.weighted([['slashes', 45], ['dots_short', 10], ['words', 10], ['iso', 8], ['compact', 7], ['no_padding', 12], ['dashes', 8]] as const);
  const text = {
    slashes: `${p(d)}/${p(m)}/${y}`,
    dots_short: `${d}.${m}.${p(y % 100)}`,
    words: `${d}${ordinal(d)} ${MONTHS[m - 1]} ${y}`,
    iso: `${y}-${p(m)}-${p(d)}`,
    compact: `${p(d)}${p(m)}${y}`,
    no_padding: `${d}/${m}/${y}`,
    dashes: `${p(d)}-${p(m)}-${y}`,
  }[format];
  return { dateOfBirth: text, ageYears: null };
}

const ordinal = (d: number): string => (d % 10 === 1 && d !== 11 ? 'st' : d % 10 === 2 && d !== 12 ? 'nd' : d % 10 === 3 && d !== 13 ? 'rd' : 'th');

export function ageOn(dob: string, when: string): number {
  const years = Number(when.slice(0, 4)) - Number(dob.slice(0, 4));
  return when.slice(5) < dob.slice(5) ? years - 1 : years;
}

// ---------------------------------------------------------------- phones

/** The mobile in use on a date. */
export function mobileOn(person: IndependentPerson, when: string): string | undefined {
  let current: string | undefined;
  for (const m of person.mobiles) if (m.from <= when) current = m.number;
  return current;
}

function typePhones(person: IndependentPerson, landline: string | undefined, when: string, knows: Knowledge, rng: Rng): string[] {
  const out: string[] = [];
  const mobile = mobileOn(person, when);
  const knowsMobile = knows === 'self' ? 0.85 : knows === 'suspect' ? 0.5 : 0.3;
  if (mobile && rng.chance(knowsMobile)) {
    // An old number, now and then: the one the caller remembers.
    const old = person.mobiles.filter((m) => m.from <= when && m.number !== mobile);
    out.push(writePhone(old.length > 0 && rng.chance(0.1) ? rng.pick(old).number : mobile, rng));
  }
  if (landline && rng.chance(knows === 'self' ? 0.2 : 0.05)) out.push(writePhone(landline, rng));
  return out;
}

/** A spaced national number ("07544 978690") as this stream's handlers write it. */
export function writePhone(spaced: string, rng: Rng): string {
  const national = spaced.replace(/\s+/g, '');
  const kind = rng.weighted([
    ['spaced', 32], ['compact', 28], ['plus44_spaced', 9], ['plus44', 5], ['bracketed', 4], ['no_zero', 6], ['dashes', 3], ['letter_o', 5], ['letter_l', 2], ['labelled', 6],
  ] as const);
  switch (kind) {
    case 'spaced': return spaced;
    case 'compact': return national;
    case 'plus44_spaced': return `+44 ${spaced.slice(1)}`;
    case 'plus44': return `+44${national.slice(1)}`;
    case 'bracketed': return `(${spaced.split(' ')[0]}) ${spaced.split(' ').slice(1).join(' ')}`;
    // A 10-digit mobile starting 7: the leading zero left off.
    case 'no_zero': return spaced.slice(1);
    case 'dashes': return `${national.slice(0, 4)}-${national.slice(4, 7)}-${national.slice(7)}`;
    case 'letter_o': {
      // The letter O typed for a zero, anywhere in the number.
      const zeros = [...national].map((c, i) => (c === '0' ? i : -1)).filter((i) => i >= 0);
      const at = rng.pick(zeros);
      return national.slice(0, at) + 'O' + national.slice(at + 1);
    }
    case 'letter_l': {
      const ones = [...national].map((c, i) => (c === '1' ? i : -1)).filter((i) => i >= 0);
      if (ones.length === 0) return national;
      const at = rng.pick(ones);
      return national.slice(0, at) + rng.pick(['l', 'I']) + national.slice(at + 1);
    }
    case 'labelled': return `${rng.pick(['mob ', 'Mobile: ', 'tel ', 'M '])}${national}`;
  }
}

// ---------------------------------------------------------------- addresses

const SHORT_STREET: Record<string, readonly string[]> = {
  Street: ['St', 'St.', 'Str.'], Road: ['Rd', 'Rd.'], Lane: ['Ln', 'La.'], Avenue: ['Ave', 'Av.'], Grove: ['Gr', 'Grv'], Hill: ['Hl'], Rise: ['Rise'],
};

export function addressOn(person: IndependentPerson, home: IndependentAddress, when: string): IndependentAddress {
  return person.previousAddress && person.movedOn && when < person.movedOn ? person.previousAddress : home;
}

function typeAddresses(o: TypeOptions): string[] {
  const { rng } = o;
  const knows = o.knows === 'self' ? 0.95 : o.knows === 'suspect' ? 0.55 : 0.4;
  if (!rng.chance(knows)) return [];
  return [writeAddress(addressOn(o.person, o.address, o.when), rng)];
}

/** One address as a handler writes it on one line. */
export function writeAddress(a: IndependentAddress, rng: Rng): string {
  const words = a.street.split(' ');
  const type = words[words.length - 1]!;
  const short = SHORT_STREET[type];
  const street = short && rng.chance(0.4) ? [...words.slice(0, -1), rng.pick(short)].join(' ') : a.street;
  let building = `${a.houseNumber} ${street}`;
  if (a.flat && !rng.chance(0.05)) {
    const letter = /^[A-Z]$/.test(a.flat);
    const form = rng.weighted(
      letter
        ? ([['joined_lower', 25], ['joined_upper', 10], ['flat_comma', 30], ['flat_space', 10], ['slash', 15], ['flat_after', 10]] as const)
        : ([['flat_comma', 45], ['flat_space', 15], ['slash', 30], ['flat_after', 10]] as const),
    );
    building = {
      joined_lower: `${a.houseNumber}${a.flat.toLowerCase()} ${street}`,
      joined_upper: `${a.houseNumber}${a.flat} ${street}`,
      flat_comma: `Flat ${a.flat}, ${a.houseNumber} ${street}`,
      flat_space: `Flat ${a.flat} ${a.houseNumber} ${street}`,
      slash: `${a.flat}/${a.houseNumber} ${street}`,
      flat_after: `${a.houseNumber} ${street}, Flat ${a.flat}`,
    }[form];
  }
  const parts = [building];
  if (rng.chance(0.2)) parts.push('London');
  if (!rng.chance(0.15)) {
    let postcode = a.postcode;
    if (rng.chance(0.2)) postcode = postcode.replace(' ', '');
    if (rng.chance(0.1)) postcode = postcode.toLowerCase();
    parts.push(postcode);
  }
  const line = parts.join(', ');
  return rng.chance(0.1) ? line.toUpperCase() : line;
}

function emailOf(person: IndependentPerson, rng: Rng): string {
  const clean = (s: string) => s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
  const local = rng.pick([`${clean(person.given)}.${clean(person.family)}`, `${clean(person.given)}${person.dob.slice(2, 4)}`, `${clean(person.given)[0]}${clean(person.family)}`]);
  return `${local}@${rng.pick(['gmail.com', 'outlook.com', 'yahoo.co.uk', 'hotmail.co.uk'])}`;
}
