// One way a call handler might record a synthetic person at a call: the
// person as typed (PersonFields, the resolver's input), with the variations
// real records show: phones in any format or an old number, nicknames,
// transliterations, typos, swapped name order, a maiden name, dates of birth
// in any UK format or an age, addresses with Rd for Road, "2/10" for "Flat 2,
// 10", postcodes in any spacing or case, things left out. Each variation has
// a base rate (VARIATION_RATES, per typing where it can apply) scaled by
// `noise` (0 = typed perfectly, 1 = realistic, 2 = a bad night).
// Deterministic given the rng; pure.

import type { PersonFields } from '../er/identity-store.ts';
import variantData from './data/name-variants.json' with { type: 'json' };
import { ageAt, asciiFold, type SynthAddress, type SynthPerson, type SynthPhone } from './population.ts';
import type { Rng } from './random.ts';

/** Every kind of variation a typing can carry, for diagnostics and tests. */
export const VARIATION_KINDS = [
  // name
  'name_nickname', 'name_transliteration', 'name_diacritics_dropped', 'name_typo', 'name_swapped_order', 'name_comma_order', 'name_full_only',
  'name_surname_capitals', 'name_all_capitals', 'name_lower_case', 'name_middle_included', 'name_initial_only', 'name_given_missing', 'name_title', 'name_maiden',
  // phone
  'phone_missing', 'phone_old_number', 'phone_two_numbers', 'phone_typo', 'phone_compact', 'phone_plus44', 'phone_0044', 'phone_trunk_bracket',
  'phone_hyphens', 'phone_labelled', 'phone_dotted', 'phone_no_zero', 'phone_44_no_plus',
  // date of birth
  'dob_missing', 'dob_age_only', 'dob_with_age', 'dob_day_month_swapped', 'dob_year_typo', 'dob_short_year', 'dob_dots_short', 'dob_month_name',
  'dob_month_word', 'dob_iso', 'dob_no_padding',
  // address
  'address_missing', 'address_previous', 'address_postcode_missing', 'address_postcode_in_line', 'address_postcode_unspaced', 'address_postcode_lower',
  'address_street_abbreviated', 'address_flat_slash', 'address_flat_letter_joined', 'address_flat_missing', 'address_flat_no_comma', 'address_with_town',
  'address_with_borough', 'address_street_typo', 'address_upper_case',
  // email, gender
  'email_missing', 'email_upper_case', 'gender_missing', 'gender_abbreviated',
] as const;

export type VariationKind = (typeof VARIATION_KINDS)[number];

/**
 * Chance of each variation per typing at noise 1, where it can apply (a
 * nickname needs a name that has one, a maiden name a surname that changed).
 * Format kinds of one field are alternatives: their rates are the share of
 * typings that use that format rather than the plain one.
 */
export const VARIATION_RATES: Readonly<Record<VariationKind, number>> = Object.freeze({
  name_nickname: 0.15, name_transliteration: 0.2, name_diacritics_dropped: 0.7, name_typo: 0.06, name_swapped_order: 0.07, name_comma_order: 0.04,
  name_full_only: 0.15, name_surname_capitals: 0.25, name_all_capitals: 0.06, name_lower_case: 0.04, name_middle_included: 0.2, name_initial_only: 0.02,
  name_given_missing: 0.03, name_title: 0.05, name_maiden: 0.15,
  phone_missing: 0.2, phone_old_number: 0.1, phone_two_numbers: 0.15, phone_typo: 0.015,
  phone_compact: 0.28, phone_plus44: 0.08, phone_0044: 0.03, phone_trunk_bracket: 0.04, phone_hyphens: 0.04, phone_labelled: 0.06, phone_dotted: 0.02,
  phone_no_zero: 0.02, phone_44_no_plus: 0.02,
  dob_missing: 0.1, dob_age_only: 0.06, dob_with_age: 0.05, dob_day_month_swapped: 0.03, dob_year_typo: 0.015,
  dob_short_year: 0.08, dob_dots_short: 0.05, dob_month_name: 0.06, dob_month_word: 0.04, dob_iso: 0.06, dob_no_padding: 0.08,
  address_missing: 0.08, address_previous: 0.12, address_postcode_missing: 0.1, address_postcode_in_line: 0.4, address_postcode_unspaced: 0.15,
  address_postcode_lower: 0.08, address_street_abbreviated: 0.3, address_flat_slash: 0.15, address_flat_letter_joined: 0.5, address_flat_missing: 0.06,
  address_flat_no_comma: 0.15, address_with_town: 0.3, address_with_borough: 0.15, address_street_typo: 0.03, address_upper_case: 0.08,
  email_missing: 0.55, email_upper_case: 0.05, gender_missing: 0.1, gender_abbreviated: 0.4,
});

export type TypingOptions = {
  /** When the call happens: picks the number, address and surname in use then. */
  when: Date;
  /** Multiplies every variation rate (each capped at 0.95). 0 = typed perfectly; default 1. */
  noise?: number;
};

export type TypedPerson = {
  fields: PersonFields;
  /** The variations applied, in the order they were applied (each kind once). */
  variations: VariationKind[];
};

/** One way a call handler might record this person at a call. */
export function typeAsCallHandler(person: SynthPerson, rng: Rng, opts: TypingOptions): PersonFields {
  return typeAsCallHandlerWithVariations(person, rng, opts).fields;
}

/** As typeAsCallHandler, with the list of variations applied. */
export function typeAsCallHandlerWithVariations(person: SynthPerson, rng: Rng, opts: TypingOptions): TypedPerson {
  const noise = opts.noise ?? 1;
  if (!(noise >= 0) || !Number.isFinite(noise)) throw new RangeError(`typeAsCallHandler: noise must be a number ≥ 0 (got ${opts.noise})`);
  if (Number.isNaN(opts.when.getTime())) throw new RangeError('typeAsCallHandler: when is not a valid date');
  const applied = new Set<VariationKind>();
  const t: Typist = {
    rng,
    whenIso: opts.when.toISOString().slice(0, 10),
    maybe(kind) {
      if (!rng.chance(Math.min(0.95, VARIATION_RATES[kind] * noise))) return false;
      applied.add(kind);
      return true;
    },
    chooseFormat(kinds) {
      const total = kinds.reduce((s, k) => s + VARIATION_RATES[k], 0);
      if (!rng.chance(Math.min(0.95, total * noise))) return undefined;
      const kind = rng.weighted(kinds.map((k) => [k, VARIATION_RATES[k]] as const));
      applied.add(kind);
      return kind;
    },
    note(kind) {
      applied.add(kind);
    },
  };
  const fields: PersonFields = {};
  Object.assign(fields, typeName(person, t));
  Object.assign(fields, typeDob(person, t));
  const phones = typePhones(person, t);
  if (phones.length > 0) fields.phones = phones;
  if (person.email && !t.maybe('email_missing')) fields.emails = [t.maybe('email_upper_case') ? upperEmail(person.email, rng) : person.email];
  Object.assign(fields, typeAddress(person, t));
  if (!t.maybe('gender_missing')) {
    const g = person.gender === 'female' ? 'Female' : 'Male';
    fields.gender = t.maybe('gender_abbreviated') ? rng.pick([g[0]!, g.toLowerCase(), g[0]!.toLowerCase()]) : g;
  }
  return { fields, variations: [...applied] };
}

type Typist = {
  rng: Rng;
  whenIso: string;
  /** Applies a variation with its rate × noise; records it when it happens. */
  maybe(kind: VariationKind): boolean;
  /** Picks one of several alternative formats, or undefined for the plain one. */
  chooseFormat(kinds: readonly VariationKind[]): VariationKind | undefined;
  /** Records a variation that the timeline forced (a surname before marriage). */
  note(kind: VariationKind): void;
};

// ---------------------------------------------------------------- names

const fold = (s: string) => asciiFold(s).toLowerCase();
const NICKNAMES = new Map<string, string[]>(Object.entries(variantData.nicknames).map(([k, v]) => [fold(k), v]));
const transliterationIndex = (groups: string[][]) => {
  const index = new Map<string, string[]>();
  for (const group of groups) {
    for (const name of group) {
      const others = group.filter((n) => fold(n) !== fold(name));
      if (others.length > 0) index.set(fold(name), [...new Set([...(index.get(fold(name)) ?? []), ...others])]);
    }
  }
  return index;
};
const GIVEN_VARIANTS = transliterationIndex(variantData.transliterations.given);
const FAMILY_VARIANTS = transliterationIndex(variantData.transliterations.family);
const NON_ASCII = /[^\x00-\x7f]/;

function typeName(person: SynthPerson, t: Typist): Pick<PersonFields, 'given_name' | 'family_name' | 'full_name'> {
  const { rng } = t;
  let family = person.familyName;
  if (person.birthFamilyName && person.familyNameSince) {
    if (t.whenIso < person.familyNameSince) {
      family = person.birthFamilyName;
      t.note('name_maiden');
    } else if (t.maybe('name_maiden')) family = person.birthFamilyName;
  }
  let given: string | undefined = person.givenName;
  const nicknames = NICKNAMES.get(fold(given));
  const givenVariants = GIVEN_VARIANTS.get(fold(given));
  if (nicknames && t.maybe('name_nickname')) given = rng.pick(nicknames);
  else if (givenVariants && t.maybe('name_transliteration')) given = rng.pick(givenVariants);
  const familyVariants = FAMILY_VARIANTS.get(fold(family));
  if (familyVariants && t.maybe('name_transliteration')) family = rng.pick(familyVariants);
  if ((NON_ASCII.test(given) || NON_ASCII.test(family)) && t.maybe('name_diacritics_dropped')) {
    given = asciiFold(given);
    family = asciiFold(family);
  }
  if (t.maybe('name_typo')) {
    if (rng.chance(0.5)) given = typo(given, rng);
    else family = typo(family, rng);
  }
  if (person.middleNames.length > 0 && t.maybe('name_middle_included')) given = `${given} ${person.middleNames.join(' ')}`;
  if (t.maybe('name_initial_only')) given = `${given[0] ?? ''}${rng.chance(0.5) ? '.' : ''}`;
  if (t.maybe('name_given_missing')) given = undefined;

  const caseKind = t.chooseFormat(['name_surname_capitals', 'name_all_capitals', 'name_lower_case']);
  if (caseKind === 'name_surname_capitals') family = family.toUpperCase();
  if (caseKind === 'name_all_capitals') {
    family = family.toUpperCase();
    given = given?.toUpperCase();
  }
  if (caseKind === 'name_lower_case') {
    family = family.toLowerCase();
    given = given?.toLowerCase();
  }
  const title = t.maybe('name_title') ? titleFor(person, family !== person.familyName || person.relation === 'partner', rng) : undefined;

  const layout = t.chooseFormat(['name_full_only', 'name_swapped_order', 'name_comma_order']);
  if (layout === 'name_swapped_order') {
    // Family first: in capitals most of the time, the usual police convention that says which part is which.
    const fam = caseKind === 'name_lower_case' || !rng.chance(0.8) ? family : family.toUpperCase();
    return { full_name: [title, fam, given].filter(Boolean).join(' ') };
  }
  if (layout === 'name_comma_order') return { full_name: given ? `${family}, ${[title, given].filter(Boolean).join(' ')}` : family };
  if (layout === 'name_full_only') return { full_name: [title, given, family].filter(Boolean).join(' ') };
  const out: Pick<PersonFields, 'given_name' | 'family_name'> = { family_name: family };
  const givenField = [title, given].filter(Boolean).join(' ');
  if (givenField) out.given_name = givenField;
  return out;
}

function titleFor(person: SynthPerson, married: boolean, rng: Rng): string {
  if (person.gender === 'male') return rng.pick(['Mr', 'Mr', 'MR', 'Mr.']);
  return married ? rng.pick(['Mrs', 'Mrs', 'Ms']) : rng.pick(['Miss', 'Ms', 'Ms']);
}

/** Nearby keys on a UK QWERTY keyboard: the slips a fast typist makes. */
const ADJACENT: Record<string, string> = {
  q: 'wa', w: 'qeas', e: 'wrds', r: 'etdf', t: 'ryfg', y: 'tugh', u: 'yihj', i: 'uojk', o: 'ipkl', p: 'ol',
  a: 'qwsz', s: 'awedxz', d: 'serfcx', f: 'drtgvc', g: 'ftyhbv', h: 'gyujnb', j: 'huikmn', k: 'jiolm', l: 'kop',
  z: 'asx', x: 'zsdc', c: 'xdfv', v: 'cfgb', b: 'vghn', n: 'bhjm', m: 'njk',
};

/** One edit, never on the first letter: an adjacent key, a dropped, doubled or swapped letter. */
export function typo(word: string, rng: Rng): string {
  const letters = [...word];
  const positions = letters.map((c, i) => (i > 0 && /\p{L}/u.test(c) ? i : -1)).filter((i) => i > 0);
  if (positions.length === 0) return word;
  const i = rng.pick(positions);
  const c = letters[i]!;
  const kind = rng.weighted([['adjacent', 5], ['drop', 2], ['double', 2], ['swap', 2]] as const);
  if (kind === 'adjacent') {
    const near = ADJACENT[c.toLowerCase()];
    if (near) {
      const n = rng.pick([...near]);
      letters[i] = c === c.toUpperCase() ? n.toUpperCase() : n;
      return letters.join('');
    }
  }
  if (kind === 'drop' && letters.length > 3) {
    letters.splice(i, 1);
    return letters.join('');
  }
  if (kind === 'swap' && i + 1 < letters.length && letters[i + 1] !== c && /\p{L}/u.test(letters[i + 1]!)) {
    letters[i] = letters[i + 1]!;
    letters[i + 1] = c;
    return letters.join('');
  }
  letters.splice(i, 0, c);
  return letters.join('');
}

// ---------------------------------------------------------------- phones

/** Numbers in use on a date, and numbers given up before it. */
export function phonesAt(person: SynthPerson, whenIso: string): { current: SynthPhone[]; old: SynthPhone[] } {
  const current: SynthPhone[] = [];
  const old: SynthPhone[] = [];
  for (const p of person.phones) {
    if (p.until && p.until <= whenIso) old.push(p);
    else if (!p.from || p.from <= whenIso) current.push(p);
    // A number taken up after the call is unknown at the call.
  }
  return { current, old };
}

const PHONE_FORMATS: readonly VariationKind[] = [
  'phone_compact', 'phone_plus44', 'phone_0044', 'phone_trunk_bracket', 'phone_hyphens', 'phone_labelled', 'phone_dotted', 'phone_no_zero', 'phone_44_no_plus',
];

function typePhones(person: SynthPerson, t: Typist): string[] {
  const { rng } = t;
  const { current, old } = phonesAt(person, t.whenIso);
  if (current.length === 0 && old.length === 0) return [];
  if (t.maybe('phone_missing')) return [];
  let chosen: SynthPhone[];
  if (old.length > 0 && t.maybe('phone_old_number')) chosen = [rng.pick(old)];
  else if (current.length === 0) return [];
  else {
    const mobilesFirst = current.slice().sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'mobile' ? -1 : 1));
    chosen = [mobilesFirst[0]!];
    if (mobilesFirst.length > 1 && t.maybe('phone_two_numbers')) chosen.push(mobilesFirst[1]!);
  }
  return chosen.map((phone) => {
    let spaced = phone.number;
    if (t.maybe('phone_typo')) spaced = phoneTypo(spaced, rng);
    return formatPhone(spaced, phone.kind, t.chooseFormat(PHONE_FORMATS), rng);
  });
}

/** Renders a spaced national number ("07700 900123") in one of the formats. */
export function formatPhone(spaced: string, kind: 'mobile' | 'landline', format: VariationKind | undefined, rng: Rng): string {
  const national = spaced.replace(/\s+/g, '');
  const afterZero = spaced.replace(/^0/, '');
  switch (format) {
    case 'phone_compact': return national;
    case 'phone_plus44': return rng.chance(0.7) ? `+44 ${afterZero}` : `+44${national.slice(1)}`;
    case 'phone_0044': return `0044 ${afterZero}`;
    case 'phone_trunk_bracket': return `+44 (0)${afterZero}`;
    case 'phone_hyphens': return spaced.replace(/\s+/g, '-');
    case 'phone_labelled': {
      const label = kind === 'mobile' ? rng.pick(['mob:', 'Mob ', 'mobile:', 'MOB-', 'M:']) : rng.pick(['home:', 'tel:', 'Tel ', 'H:', 'landline ']);
      return `${label}${label.endsWith(' ') ? '' : rng.pick(['', ' '])}${rng.chance(0.5) ? national : spaced}`;
    }
    case 'phone_dotted': return spaced.replace(/\s+/g, '.');
    case 'phone_no_zero': return rng.chance(0.5) ? afterZero : national.slice(1);
    case 'phone_44_no_plus': return `44${national.slice(1)}`;
    default: return spaced;
  }
}

/** One wrong digit or two swapped, in the subscriber part (the last six digits). */
function phoneTypo(spaced: string, rng: Rng): string {
  const chars = [...spaced];
  const digitPositions = chars.map((c, i) => (/\d/.test(c) ? i : -1)).filter((i) => i >= 0).slice(-6);
  const i = rng.pick(digitPositions);
  if (rng.chance(0.5)) {
    const j = digitPositions[digitPositions.indexOf(i) + 1];
    if (j !== undefined && chars[j] !== chars[i]) {
      [chars[i], chars[j]] = [chars[j]!, chars[i]!];
      return chars.join('');
    }
  }
  chars[i] = String((Number(chars[i]) + rng.int(1, 9)) % 10);
  return chars.join('');
}

// ---------------------------------------------------------------- dates of birth

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DOB_FORMATS: readonly VariationKind[] = ['dob_short_year', 'dob_dots_short', 'dob_month_name', 'dob_month_word', 'dob_iso', 'dob_no_padding'];

function typeDob(person: SynthPerson, t: Typist): Pick<PersonFields, 'dob' | 'age'> {
  const { rng } = t;
  const age = Math.max(0, ageAt(person.dob, t.whenIso));
  if (t.maybe('dob_missing')) return {};
  if (t.maybe('dob_age_only')) return { age };
  let [y, m, d] = person.dob.split('-').map(Number) as [number, number, number];
  if (d <= 12 && d !== m && t.maybe('dob_day_month_swapped')) [d, m] = [m, d];
  if (t.maybe('dob_year_typo')) y = rng.chance(0.5) ? y + rng.pick([-1, 1, -10, 10]) : swapLastDigits(y);
  const dob = formatDob(y, m, d, t.chooseFormat(DOB_FORMATS));
  return t.maybe('dob_with_age') ? { dob, age } : { dob };
}

function swapLastDigits(year: number): number {
  const s = String(year);
  const swapped = Number(s.slice(0, 2) + s[3] + s[2]);
  return swapped === year ? year + 1 : swapped;
}

/** A date in one of the UK ways of writing it; plain is "12/03/1985". */
export function formatDob(y: number, m: number, d: number, format: VariationKind | undefined): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  const yy = p2(y % 100);
  switch (format) {
    case 'dob_short_year': return `${p2(d)}/${p2(m)}/${yy}`;
    case 'dob_dots_short': return `${d}.${m}.${yy}`;
    case 'dob_month_name': return `${p2(d)}-${MONTH_NAMES[m - 1]!.slice(0, 3)}-${y}`;
    case 'dob_month_word': return `${d} ${MONTH_NAMES[m - 1]} ${y}`;
    case 'dob_iso': return `${y}-${p2(m)}-${p2(d)}`;
    case 'dob_no_padding': return `${d}/${m}/${y}`;
    default: return `${p2(d)}/${p2(m)}/${y}`;
  }
}

// ---------------------------------------------------------------- addresses

const STREET_ABBREVIATIONS: Record<string, string[]> = {
  Road: ['Rd', 'Rd.', 'RD'], Street: ['St', 'St.', 'Str'], Avenue: ['Ave', 'Av'], Gardens: ['Gdns', 'Gdn'], Close: ['Cl', 'Clo'], Court: ['Ct', 'Crt'],
  Lane: ['Ln', 'La'], Grove: ['Gr', 'Gro'], Crescent: ['Cres', 'Cresc'], Way: ['Wy'], Terrace: ['Terr', 'Tce'], Place: ['Pl'], Drive: ['Dr', 'Drv'],
  Square: ['Sq'], Walk: ['Wlk'], Rise: ['Ri'], Mews: ['Mws'], Parade: ['Pde'], Row: ['Rw'], Hill: ['Hl'],
};

function typeAddress(person: SynthPerson, t: Typist): Pick<PersonFields, 'addresses' | 'postcode'> {
  const { rng } = t;
  if (t.maybe('address_missing')) return {};
  let address: SynthAddress = person.address;
  if (person.previousAddress) {
    // Before the move the previous address is simply where they lived; after it, some records still carry it.
    if (t.whenIso < person.addressSince) address = person.previousAddress;
    else if (t.maybe('address_previous')) address = person.previousAddress;
  }
  let street = address.street;
  if (t.maybe('address_street_abbreviated')) {
    const words = street.split(' ');
    const type = words[words.length - 1]!;
    const short = STREET_ABBREVIATIONS[type];
    if (short) street = [...words.slice(0, -1), rng.pick(short)].join(' ');
  }
  if (t.maybe('address_street_typo')) {
    const words = street.split(' ');
    const i = rng.int(0, Math.max(0, words.length - 2));
    words[i] = typo(words[i]!, rng);
    street = words.join(' ');
  }
  let building = `${address.houseNumber} ${street}`;
  if (address.flat && !t.maybe('address_flat_missing')) {
    const letter = /^[A-Z]$/.test(address.flat);
    if (letter && t.maybe('address_flat_letter_joined')) building = `${address.houseNumber}${rng.chance(0.5) ? address.flat : address.flat.toLowerCase()} ${street}`;
    else {
      // "2/10" is written for numbered flats only.
      const flatFormat = t.chooseFormat(letter ? ['address_flat_no_comma'] : ['address_flat_slash', 'address_flat_no_comma']);
      if (flatFormat === 'address_flat_slash') building = `${address.flat}/${address.houseNumber} ${street}`;
      else if (flatFormat === 'address_flat_no_comma') building = `Flat ${address.flat} ${building}`;
      else building = `Flat ${address.flat}, ${building}`;
    }
  }
  const parts = [building];
  if (t.maybe('address_with_borough')) parts.push(address.borough);
  if (t.maybe('address_with_town')) parts.push(rng.chance(0.8) ? 'London' : 'LONDON');
  let postcode: string | undefined = address.postcode;
  if (t.maybe('address_postcode_missing')) postcode = undefined;
  else {
    if (t.maybe('address_postcode_unspaced')) postcode = postcode.replace(' ', '');
    if (t.maybe('address_postcode_lower')) postcode = postcode.toLowerCase();
  }
  const inLine = postcode !== undefined && t.maybe('address_postcode_in_line');
  if (inLine && postcode) parts.push(postcode);
  let line = parts.join(', ');
  if (t.maybe('address_upper_case')) line = line.toUpperCase();
  const out: Pick<PersonFields, 'addresses' | 'postcode'> = { addresses: [line] };
  if (postcode && !inLine) out.postcode = postcode;
  return out;
}

function upperEmail(email: string, rng: Rng): string {
  if (rng.chance(0.5)) return email.toUpperCase();
  const [local = '', domain = ''] = email.split('@');
  return `${local.replace(/(^|[._])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase())}@${domain}`;
}
