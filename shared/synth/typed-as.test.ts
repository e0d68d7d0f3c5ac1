import { describe, expect, it } from 'vitest';
import { canonicaliseAddress, canonicaliseDob, canonicaliseName, canonicalisePhone, parsePostcode } from '../canon/index.ts';
import { createPopulation, type SynthPerson } from './population.ts';
import { createRng } from './random.ts';
import { formatDob, formatPhone, phonesAt, typeAsCallHandler, typeAsCallHandlerWithVariations, typo, VARIATION_KINDS, type TypedPerson } from './typed-as.ts';

const population = createPopulation({ seed: 7, persons: 2000 });
const DAY = 86_400_000;
const START = Date.UTC(2023, 0, 1);

type Typing = TypedPerson & { person: SynthPerson; when: Date; whenIso: string };

/** Typings of people picked at random, each on a date after their birth. */
function typings(n: number, seed: string, noise = 1): Typing[] {
  const rng = createRng(seed);
  const out: Typing[] = [];
  for (let i = 0; i < n; i++) {
    const person = rng.pick(population.persons);
    const born = Date.parse(`${person.dob}T00:00:00Z`);
    const when = new Date(Math.max(born + DAY, START + rng.int(0, 729) * DAY));
    out.push({ ...typeAsCallHandlerWithVariations(person, rng, { when, noise }), person, when, whenIso: when.toISOString().slice(0, 10) });
  }
  return out;
}

const sample = typings(5000, 'typings');
const addressTyped = (t: Typing) => (t.whenIso < t.person.addressSince || t.variations.includes('address_previous')) && t.person.previousAddress ? t.person.previousAddress : t.person.address;
const share = (hits: number, of: number) => (of === 0 ? 0 : hits / of);

describe('typeAsCallHandler', () => {
  it('types the same way for the same seed, and differently for another', () => {
    const person = population.persons[1]!;
    const when = new Date('2024-06-01T10:00:00Z');
    const a = Array.from({ length: 20 }, (_, i) => typeAsCallHandler(person, createRng(`s${i}`), { when }));
    const b = Array.from({ length: 20 }, (_, i) => typeAsCallHandler(person, createRng(`s${i}`), { when }));
    expect(a).toEqual(b);
    expect(new Set(a.map((f) => JSON.stringify(f))).size).toBeGreaterThan(5);
  });

  it('shows every kind of variation over a few thousand typings', () => {
    const seen = new Map<string, number>();
    for (const t of sample) for (const v of t.variations) seen.set(v, (seen.get(v) ?? 0) + 1);
    const missing = VARIATION_KINDS.filter((k) => !seen.has(k));
    expect(missing).toEqual([]);
  });

  it('at noise 0 types the person exactly, in the plain formats', () => {
    const person = population.persons.find((p) => p.email && p.phones.length === 1 && !p.phones[0]!.until && !p.previousAddress && !p.birthFamilyName)!;
    const { fields, variations } = typeAsCallHandlerWithVariations(person, createRng(1), { when: new Date('2025-01-01T00:00:00Z'), noise: 0 });
    expect(variations).toEqual([]);
    const [y, m, d] = person.dob.split('-');
    expect(fields).toMatchObject({
      given_name: person.givenName,
      family_name: person.familyName,
      dob: `${d}/${m}/${y}`,
      phones: [person.phones[0]!.number],
      emails: [person.email],
      postcode: person.address.postcode,
      gender: person.gender === 'female' ? 'Female' : 'Male',
    });
    expect(fields.addresses?.[0]).toContain(person.address.street);
  });

  it('types phones that canonicalise to the person’s number (≥ 95%) unless old or mistyped', () => {
    let agree = 0, total = 0;
    for (const t of sample) {
      if (!t.fields.phones || t.variations.includes('phone_old_number') || t.variations.includes('phone_typo')) continue;
      const keys = new Set(phonesAt(t.person, t.whenIso).current.flatMap((p) => canonicalisePhone(p.number).keys));
      for (const typed of t.fields.phones) {
        total++;
        const got = canonicalisePhone(typed).keys;
        if (got.length === 1 && keys.has(got[0]!)) agree++;
      }
    }
    expect(total).toBeGreaterThan(2000);
    expect(share(agree, total)).toBeGreaterThanOrEqual(0.95);
  });

  it('types an old number only for people who changed theirs, and it canonicalises to that old number', () => {
    const olds = sample.filter((t) => t.variations.includes('phone_old_number'));
    expect(olds.length).toBeGreaterThan(0);
    for (const t of olds) {
      const oldKeys = phonesAt(t.person, t.whenIso).old.flatMap((p) => canonicalisePhone(p.number).keys);
      if (!t.variations.includes('phone_typo')) expect(oldKeys).toContain(canonicalisePhone(t.fields.phones![0]!).keys[0]);
    }
  });

  it('types names whose family key matches the person’s (≥ 95%) unless transliterated, mistyped or a maiden name', () => {
    let agree = 0, total = 0;
    for (const t of sample) {
      if (t.variations.some((v) => v === 'name_typo' || v === 'name_transliteration' || v === 'name_maiden')) continue;
      const f = t.fields;
      const typed = canonicaliseName(f.full_name ?? { given: f.given_name, family: f.family_name });
      const truth = canonicaliseName({ given: t.person.givenName, family: t.person.familyName });
      total++;
      if (typed.keys.family === truth.keys.family || typed.swapped?.family === truth.keys.family) agree++;
    }
    expect(share(agree, total)).toBeGreaterThanOrEqual(0.95);
  });

  it('types given names that share a nickname group or key with the person’s in most cases', () => {
    let agree = 0, total = 0;
    for (const t of sample) {
      const f = t.fields;
      if (t.variations.some((v) => v === 'name_typo' || v === 'name_given_missing' || v === 'name_initial_only')) continue;
      if (!f.given_name && !f.full_name) continue;
      const typed = canonicaliseName(f.full_name ?? { given: f.given_name, family: f.family_name });
      const truth = canonicaliseName({ given: t.person.givenName, family: t.person.familyName });
      const groups = new Set(truth.keys.givenGroups);
      const readings = [typed.keys, ...(typed.swapped ? [typed.swapped] : [])];
      total++;
      if (readings.some((k) => k.givenGroups.some((g) => groups.has(g)))) agree++;
    }
    // Nicknames and transliterations the resolver's table does not know account for the rest.
    expect(share(agree, total)).toBeGreaterThanOrEqual(0.9);
  });

  it('types dates of birth that canonicalise to the person’s (≥ 95%) unless swapped or mistyped', () => {
    let agree = 0, total = 0;
    for (const t of sample) {
      if (!t.fields.dob || t.variations.includes('dob_day_month_swapped') || t.variations.includes('dob_year_typo')) continue;
      total++;
      if (canonicaliseDob(t.fields.dob, { referenceDate: t.when }).iso === t.person.dob) agree++;
    }
    expect(share(agree, total)).toBeGreaterThanOrEqual(0.95);
  });

  it('keeps the swapped date of birth among the canonical candidates when typed in digits, day first', () => {
    // In ISO or with the month in words the order is explicit: the swap is then a plain wrong date.
    const explicit = ['dob_year_typo', 'dob_iso', 'dob_month_name', 'dob_month_word'];
    const swapped = sample.filter((t) => t.fields.dob && t.variations.includes('dob_day_month_swapped') && !t.variations.some((v) => explicit.includes(v)));
    expect(swapped.length).toBeGreaterThan(10);
    for (const t of swapped) expect(canonicaliseDob(t.fields.dob!, { referenceDate: t.when }).candidates).toContain(t.person.dob);
  });

  it('types an age at the date of the call when it gives no date of birth', () => {
    const ages = sample.filter((t) => t.variations.includes('dob_age_only'));
    expect(ages.length).toBeGreaterThan(50);
    for (const t of ages) {
      expect(t.fields.dob).toBeUndefined();
      const r = canonicaliseDob(String(t.fields.age), { referenceDate: t.when });
      expect(r.range && r.range.from <= t.person.dob && t.person.dob <= r.range.to, `${t.fields.age} ${t.person.dob}`).toBe(true);
    }
  });

  it('types addresses whose postcode and building keys match the address of the time (≥ 95%)', () => {
    let pcAgree = 0, pcTotal = 0, houseAgree = 0, houseTotal = 0;
    for (const t of sample) {
      const f = t.fields;
      if (!f.addresses || t.variations.includes('address_postcode_missing')) continue;
      const truth = addressTyped(t);
      const typed = canonicaliseAddress(f.postcode ? { lines: f.addresses, postcode: f.postcode } : f.addresses[0]!);
      pcTotal++;
      if (typed.keys.postcode === parsePostcode(truth.postcode)?.compact) pcAgree++;
      if (t.variations.includes('address_flat_missing') || t.variations.includes('address_street_typo')) continue;
      houseTotal++;
      const want = canonicaliseAddress(`${truth.flat ? `Flat ${truth.flat}, ` : ''}${truth.houseNumber} ${truth.street}, ${truth.postcode}`).keys;
      if ((typed.keys.postcodeHouseFlat ?? typed.keys.postcodeHouse) === (want.postcodeHouseFlat ?? want.postcodeHouse)) houseAgree++;
    }
    expect(share(pcAgree, pcTotal)).toBeGreaterThanOrEqual(0.95);
    expect(share(houseAgree, houseTotal)).toBeGreaterThanOrEqual(0.95);
  });

  it('uses the surname and address of the time: the birth surname before a marriage, the previous address before a move', () => {
    const married = population.persons.find((p) => p.birthFamilyName && p.familyNameSince! > '2020-01-01')!;
    const before = typeAsCallHandlerWithVariations(married, createRng(3), { when: new Date(`${Number(married.familyNameSince!.slice(0, 4)) - 1}-01-01T00:00:00Z`), noise: 0 });
    expect(before.fields.family_name).toBe(married.birthFamilyName);
    expect(before.variations).toContain('name_maiden');
    const mover = population.persons.find((p) => p.previousAddress && p.addressSince > '2022-01-01')!;
    const earlier = typeAsCallHandler(mover, createRng(3), { when: new Date('2021-06-01T00:00:00Z'), noise: 0 });
    expect(earlier.postcode).toBe(mover.previousAddress!.postcode);
  });

  it('refuses a negative noise', () => {
    expect(() => typeAsCallHandler(population.persons[0]!, createRng(1), { when: new Date(), noise: -1 })).toThrow(RangeError);
  });
});

describe('formatPhone', () => {
  const rng = createRng('formats');
  it.each([
    ['phone_compact', '07700900123'],
    ['phone_0044', '0044 7700 900123'],
    ['phone_trunk_bracket', '+44 (0)7700 900123'],
    ['phone_hyphens', '07700-900123'],
    ['phone_dotted', '07700.900123'],
    ['phone_44_no_plus', '447700900123'],
    [undefined, '07700 900123'],
  ] as const)('writes %s as %s, which canonicalises to the same key', (format, expected) => {
    const typed = formatPhone('07700 900123', 'mobile', format, rng);
    expect(typed).toBe(expected);
    expect(canonicalisePhone(typed).keys).toEqual(canonicalisePhone('07700 900123').keys);
  });

  it('labels a number as a call handler does, and the label does not change the key', () => {
    const typed = formatPhone('020 7946 0123', 'landline', 'phone_labelled', rng);
    expect(typed).toMatch(/^(home|tel|Tel|H|landline)/);
    expect(canonicalisePhone(typed).keys).toEqual(['+442079460123']);
  });
});

describe('formatDob', () => {
  it.each([
    [undefined, '12/03/1985'],
    ['dob_short_year', '12/03/85'],
    ['dob_dots_short', '12.3.85'],
    ['dob_month_name', '12-Mar-1985'],
    ['dob_month_word', '12 March 1985'],
    ['dob_iso', '1985-03-12'],
    ['dob_no_padding', '12/3/1985'],
  ] as const)('writes %s as %s, which canonicalises back', (format, expected) => {
    expect(formatDob(1985, 3, 12, format)).toBe(expected);
    expect(canonicaliseDob(expected, { referenceDate: new Date('2025-01-01T00:00:00Z') }).iso).toBe('1985-03-12');
  });
});

describe('typo', () => {
  it('makes one edit, never to the first letter', () => {
    const rng = createRng('typo');
    for (let i = 0; i < 200; i++) {
      const out = typo('Margaret', rng);
      expect(out[0]).toBe('M');
      expect(out).not.toBe('Margaret');
      expect(Math.abs(out.length - 'Margaret'.length)).toBeLessThanOrEqual(1);
    }
  });
});
