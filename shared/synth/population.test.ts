import { describe, expect, it } from 'vitest';
import { parsePostcode } from '../canon/index.ts';
import { BOROUGHS as MET_BOROUGHS } from '../geography/boroughs.ts';
import { ageAt, asciiFold, BOROUGHS, createPopulation, isDramaNumber, type SynthAddress } from './population.ts';

const population = createPopulation({ seed: 7, persons: 2000 });
const addressKey = (a: SynthAddress) => `${a.flat ?? ''}|${a.houseNumber}|${a.street}|${a.postcode}`;

describe('createPopulation', () => {
  it('gives the same population for the same seed', () => {
    const again = createPopulation({ seed: 7, persons: 2000 });
    expect(again.persons).toEqual(population.persons);
    expect(again.households).toEqual(population.households);
  });

  it('gives a different population for a different seed', () => {
    const other = createPopulation({ seed: 8, persons: 200 });
    const first = createPopulation({ seed: 7, persons: 200 });
    expect(other.persons.map((p) => p.givenName + p.familyName)).not.toEqual(first.persons.map((p) => p.givenName + p.familyName));
  });

  it('makes exactly the number of people asked for, each with a unique id', () => {
    expect(population.persons).toHaveLength(2000);
    expect(new Set(population.persons.map((p) => p.id)).size).toBe(2000);
    expect(population.byId.get('S000001')).toBe(population.persons[0]);
  });

  it('gives each phone number, current or old, to one person only', () => {
    const owners = new Map<string, string>();
    for (const p of population.persons) {
      for (const phone of p.phones) {
        expect(owners.get(phone.number), phone.number).toBeUndefined();
        owners.set(phone.number, p.id);
      }
    }
    expect(owners.size).toBeGreaterThan(1000);
  });

  it('takes every phone number from the ranges Ofcom reserves for drama', () => {
    for (const p of population.persons) for (const phone of p.phones) expect(isDramaNumber(phone.number), phone.number).toBe(true);
    expect(isDramaNumber('07700 900999')).toBe(true);
    expect(isDramaNumber('+44 20 7946 0123')).toBe(true);
    expect(isDramaNumber('028 9649 6500')).toBe(true);
    expect(isDramaNumber('07700 901000')).toBe(false);
    expect(isDramaNumber('07911 123456')).toBe(false);
    expect(isDramaNumber('028 9649 5999')).toBe(false);
  });

  it('keeps a history for people who changed number: the old one ended when the new one began', () => {
    const changed = population.persons.filter((p) => p.phones.some((x) => x.until));
    expect(changed.length).toBeGreaterThan(50);
    for (const p of changed) {
      const old = p.phones.find((x) => x.until)!;
      const next = p.phones.find((x) => x.from);
      if (next) expect(next.from).toBe(old.until);
    }
  });

  it('leaves some people with no phone', () => {
    expect(population.persons.some((p) => p.phones.length === 0)).toBe(true);
  });

  it('uses only example.org, example.com and example.net for emails, each unique', () => {
    const emails = population.persons.flatMap((p) => (p.email ? [p.email] : []));
    expect(emails.length).toBeGreaterThan(400);
    for (const e of emails) expect(e).toMatch(/^[a-z0-9._]+@example\.(org|com|net)$/);
    expect(new Set(emails).size).toBe(emails.length);
  });

  it('puts the members of a household at one address', () => {
    for (const h of population.households) {
      for (const id of h.memberIds) expect(addressKey(population.byId.get(id)!.address)).toBe(addressKey(h.address));
    }
  });

  it('gives no two households the same dwelling', () => {
    const keys = population.households.map((h) => addressKey(h.address));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('gives family households a shared surname most of the time: the hard negatives', () => {
    const families = population.households.filter((h) => h.kind !== 'single' && h.kind !== 'sharers' && h.memberIds.length > 1);
    const shared = families.filter((h) => {
      const names = h.memberIds.map((id) => population.byId.get(id)!.familyName);
      return names.some((n, i) => names.indexOf(n) !== i);
    });
    expect(shared.length / families.length).toBeGreaterThan(0.7);
  });

  it('includes children under 16, twins, and sons named after their fathers', () => {
    const ages = population.persons.map((p) => ageAt(p.dob, population.asOf));
    expect(Math.max(...ages)).toBeLessThanOrEqual(86);
    const adults = population.persons.filter((p) => p.relation !== 'child');
    for (const p of adults) expect(ageAt(p.dob, population.asOf)).toBeGreaterThanOrEqual(16);
    expect(ages.filter((a) => a < 16).length / ages.length).toBeGreaterThan(0.05);
    expect(ages.filter((a) => a < 16).length / ages.length).toBeLessThan(0.3);
    const twins = population.persons.filter((p) => p.twinOf);
    expect(twins.length).toBeGreaterThan(0);
    for (const t of twins) {
      const other = population.byId.get(t.twinOf!)!;
      expect(other.dob).toBe(t.dob);
      expect(other.householdId).toBe(t.householdId);
    }
    const juniors = population.persons.filter((p) => p.namesakeOf && p.relation === 'child');
    expect(juniors.length).toBeGreaterThan(0);
    for (const j of juniors) {
      const father = population.byId.get(j.namesakeOf!)!;
      expect(father.givenName).toBe(j.givenName);
      expect(father.householdId).toBe(j.householdId);
      expect(father.dob).not.toBe(j.dob);
    }
  });

  it('keeps a birth surname for some partners who took the household surname', () => {
    const changed = population.persons.filter((p) => p.birthFamilyName);
    expect(changed.length).toBeGreaterThan(50);
    for (const p of changed) {
      expect(p.birthFamilyName).not.toBe(p.familyName);
      expect(p.familyNameSince! > p.dob).toBe(true);
    }
  });

  it('has a few same-name same-date-of-birth coincidences across London', () => {
    expect(population.coincidences.length).toBeGreaterThanOrEqual(1);
    for (const [a, b] of population.coincidences) {
      const pa = population.byId.get(a)!;
      const pb = population.byId.get(b)!;
      expect([pb.givenName, pb.familyName, pb.dob]).toEqual([pa.givenName, pa.familyName, pa.dob]);
      expect(pb.householdId).not.toBe(pa.householdId);
    }
  });

  it('makes common surnames common, so term frequency matters', () => {
    const count = (name: string) => population.persons.filter((p) => p.familyName === name).length;
    for (const name of ['Smith', 'Patel', 'Jones', 'Williams']) expect(count(name), name).toBeGreaterThanOrEqual(20);
    for (const name of ['Khan', 'Begum', 'Ahmed']) expect(count(name), name).toBeGreaterThanOrEqual(8);
  });

  it('draws names from many communities', () => {
    expect(new Set(population.persons.map((p) => p.community)).size).toBeGreaterThanOrEqual(20);
  });

  it('writes postcodes that canonicalise, in districts of the borough', () => {
    for (const p of population.persons.slice(0, 500)) {
      for (const a of [p.address, ...(p.previousAddress ? [p.previousAddress] : [])]) {
        const pc = parsePostcode(a.postcode);
        expect(pc?.postcode, a.postcode).toBe(a.postcode);
        expect(BOROUGHS.find((b) => b.code === a.boroughCode)!.districts).toContain(pc!.outward);
      }
    }
  });

  it('gives some people a previous address and a move date', () => {
    const movers = population.persons.filter((p) => p.previousAddress);
    expect(movers.length / population.persons.length).toBeGreaterThan(0.1);
    for (const m of movers) expect(addressKey(m.previousAddress!)).not.toBe(addressKey(m.address));
  });

  it('lists the 32 Met boroughs, E09000002 to E09000033, without the City of London', () => {
    expect(BOROUGHS).toHaveLength(32);
    expect(BOROUGHS.map((b) => b.code)).toEqual(Array.from({ length: 32 }, (_, i) => `E090000${String(i + 2).padStart(2, '0')}`));
  });

  it('agrees with the project borough table (shared/geography) on codes and names', () => {
    expect(BOROUGHS.map((b) => [b.code, b.name])).toEqual(MET_BOROUGHS.map((b) => [b.code, b.name]));
  });

  it('keeps to the boroughs asked for, by code or name', () => {
    const small = createPopulation({ seed: 1, persons: 300, boroughs: ['E09000030', 'Newham'] });
    const codes = new Set(small.persons.flatMap((p) => [p.address.boroughCode, ...(p.previousAddress ? [p.previousAddress.boroughCode] : [])]));
    expect([...codes].sort()).toEqual(['E09000025', 'E09000030']);
    expect(() => createPopulation({ seed: 1, persons: 10, boroughs: ['City of London'] })).toThrow(/not Met/);
  });

  it('refuses a population size that is not a whole number ≥ 1', () => {
    expect(() => createPopulation({ seed: 1, persons: 0 })).toThrow(RangeError);
    expect(() => createPopulation({ seed: 1, persons: 2.5 })).toThrow(RangeError);
  });
});

describe('asciiFold', () => {
  it('drops diacritics the way a UK keyboard does', () => {
    expect(asciiFold('Łukasz Wiśniewski')).toBe('Lukasz Wisniewski');
    expect(asciiFold('Ștefan Yılmaz İbrahim')).toBe('Stefan Yilmaz Ibrahim');
    expect(asciiFold('Seán Ó Súilleabháin')).toBe('Sean O Suilleabhain');
  });
});
