import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicaliseAddress, canonicalStreet } from './address.ts';

// Invented streets (Acacia Avenue, Mill Lane) with format-valid postcodes.

describe('canonicaliseAddress: flat, number and street', () => {
  it.each([
    ['Flat 2, 10 High St, Barnet, EN5 1AA', '2', '10'],
    ['Flat 2 10 High Street, Barnet EN5 1AA', '2', '10'],
    ['2/10 High Street, Barnet, EN5 1AA', '2', '10'],
    ['Apartment 2, 10 High St, EN5 1AA', '2', '10'],
    ['Flat B 10 High St, EN5 1AA', 'b', '10'],
    ['Flat B, 10 High St, EN5 1AA', 'b', '10'],
    ['10b High Street, EN5 1AA', 'b', '10'],
    ['10B High St EN5 1AA', 'b', '10'],
    ['Ground floor flat, 10 High St, EN5 1AA', 'ground floor', '10'],
    ['GFF 10 High St EN5 1AA', 'ground floor', '10'],
    ['1st floor flat, 10 High Street, EN5 1AA', 'first floor', '10'],
    ['10 High Street, EN5 1AA', undefined, '10'],
    ['No. 10 High Street, EN5 1AA', undefined, '10'],
  ])('reads %j as flat %s of number %s High Street', (raw, flat, houseNumber) => {
    const result = canonicaliseAddress(raw);
    expect(result).toMatchObject({ flat, houseNumber, street: 'high street', postcode: 'EN5 1AA' });
    expect(result.keys.postcodeHouse).toBe('EN51AA|10');
  });

  it('gives "Flat B, 10 High St" and "10b High Street" one dwelling key', () => {
    const a = canonicaliseAddress('Flat B, 10 High St, Barnet, EN5 1AA');
    const b = canonicaliseAddress('10b high street en5 1aa');
    expect(a.keys.postcodeHouseFlat).toBe('EN51AA|10|b');
    expect(b.keys.postcodeHouseFlat).toBe(a.keys.postcodeHouseFlat);
  });

  it('keeps a building name before a numbered street', () => {
    const result = canonicaliseAddress('Flat 2A, Rose Court, 10 High St, London SW1A 1AA');
    expect(result).toMatchObject({ flat: '2a', houseName: 'rose court', houseNumber: '10', street: 'high street', locality: ['london'] });
  });

  it('keeps a house name with no number', () => {
    const result = canonicaliseAddress('Rose Cottage, Mill La, Little Hadham, SG11 2AB');
    expect(result).toMatchObject({ houseName: 'rose cottage', houseNumber: undefined, street: 'mill lane', locality: ['little hadham'] });
    expect(result.keys.postcodeHouse).toBe('SG112AB|rose cottage');
  });

  it('keeps a range of numbers', () => {
    expect(canonicaliseAddress('10-12 Acacia Ave, N2 0NL')).toMatchObject({ houseNumber: '10-12', street: 'acacia avenue' });
  });

  it('keeps the locality in order and drops the country', () => {
    expect(canonicaliseAddress('10 Acacia Avenue, Barnet, London, EN5 1AA, United Kingdom').locality).toEqual(['barnet', 'london']);
  });
});

describe('canonicaliseAddress: street names', () => {
  it.each([
    ['High St', 'high street'],
    ['High St.', 'high street'],
    ['Acacia Ave', 'acacia avenue'],
    ['Kings Rd', 'kings road'],
    ['Mill La', 'mill lane'],
    ['Mill Ln', 'mill lane'],
    ['Rose Gdns', 'rose gardens'],
    ['Oak Cres', 'oak crescent'],
    ['Elm Cl', 'elm close'],
    ['Park Sq', 'park square'],
    ['Bay Tce', 'bay terrace'],
    ["St John's Rd", 'saint johns road'],
    ['St. Johns Road', 'saint johns road'],
    ['Gt North Rd', 'great north road'],
    ['Church Street', 'church street'],
  ])('writes %j as %j', (street, canonical) => {
    expect(canonicaliseAddress(`10 ${street}, N1 2AB`).street).toBe(canonical);
  });

  it('expands only the last word as a street type', () => {
    expect(canonicalStreet('st marys st')).toBe('saint marys street');
  });
});

describe('canonicaliseAddress: UPRN, fields and what it cannot read', () => {
  it('lets a UPRN win and keeps it as the first key', () => {
    const result = canonicaliseAddress({ lines: ['Flat 3', '12 Acacia Avenue'], postcode: 'ec1a1bb', uprn: '000012345678' });
    expect(result.uprn).toBe('12345678');
    expect(result.keys.uprn).toBe('uprn:12345678');
    expect(result.flags).toContain('uprn');
    expect(result).toMatchObject({ flat: '3', houseNumber: '12', street: 'acacia avenue', postcode: 'EC1A 1BB' });
  });

  it('finds a UPRN typed in the text', () => {
    expect(canonicaliseAddress('UPRN: 100023336956, 10 Acacia Avenue').keys.uprn).toBe('uprn:100023336956');
  });

  it('flags a UPRN that is not one', () => {
    const result = canonicaliseAddress({ lines: ['12 Acacia Avenue'], uprn: 'ABC' });
    expect(result.uprn).toBeUndefined();
    expect(result.flags).toContain('invalid_uprn');
  });

  it('flags a postcode field that is not a postcode and keeps the rest', () => {
    const result = canonicaliseAddress({ lines: ['12 Acacia Avenue'], postcode: 'not known' });
    expect(result.flags).toEqual(expect.arrayContaining(['invalid_postcode', 'no_postcode']));
    expect(result.keys.streetHouse).toBe('acacia avenue|12');
  });

  it('flags a postcode it put right', () => {
    const result = canonicaliseAddress('10 Acacia Avenue, SW1A IAA');
    expect(result.postcode).toBe('SW1A 1AA');
    expect(result.flags).toContain('postcode_corrected');
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['n/k', 'not_known'],
    ['Unknown', 'not_known'],
    ['NFA', 'no_fixed_abode'],
    ['no fixed abode', 'no_fixed_abode'],
    ['???', 'unparsed'],
  ])('flags %j as %s with no keys', (raw, flag) => {
    const result = canonicaliseAddress(raw);
    expect(result.flags).toContain(flag);
    expect(Object.values(result.keys).every((k) => k === undefined)).toBe(true);
  });

  it('gives no postcode keys without a postcode, and a street key instead', () => {
    const result = canonicaliseAddress('10 Acacia Avenue, Barnet');
    expect(result.keys).toMatchObject({ postcode: undefined, postcodeHouse: undefined, streetHouse: 'acacia avenue|10' });
    expect(result.flags).toContain('no_postcode');
  });

  it('keeps the raw input', () => {
    expect(canonicaliseAddress('Flat 2, 10 High St').raw).toBe('Flat 2, 10 High St');
  });
});

const STREETS = ['High St', 'Acacia Avenue', 'Mill La', "St John's Rd", 'Rose Gdns', 'Gt North Road', 'Oak Cres'];
const TOWNS = ['', ', Barnet', ', Little Hadham', ', Barnet, London'];
const FLATS = ['', 'Flat 2, ', 'Flat B ', 'Ground floor flat, ', 'Apartment 14, ', 'Rose Court, '];
const POSTCODES = ['', ', EN5 1AA', ', sw1a1aa', ' N1 2AB', ', S W 1 A 1 A A'];

const typedAddress = fc
  .tuple(fc.constantFrom(...FLATS), fc.integer({ min: 1, max: 300 }), fc.constantFrom('', 'a', 'B'), fc.constantFrom(...STREETS), fc.constantFrom(...TOWNS), fc.constantFrom(...POSTCODES))
  .map(([flat, number, letter, street, town, postcode]) => `${flat}${number}${letter} ${street}${town}${postcode}`);

describe('canonicaliseAddress: properties', () => {
  it('is idempotent: canonicalising the canonical line gives the same keys and parts', () => {
    fc.assert(
      fc.property(fc.oneof(typedAddress, fc.string({ maxLength: 80 })), fc.option(fc.integer({ min: 1, max: 999_999_999 })), (raw, uprn) => {
        const first = canonicaliseAddress(uprn === null ? raw : { lines: [raw], uprn: String(uprn) });
        const again = canonicaliseAddress(first.canonical);
        expect(again.keys).toEqual(first.keys);
        const { raw: _a, canonical: _b, flags: _c, keys: _d, ...parts } = first;
        const { raw: _e, canonical: _f, flags: _g, keys: _h, ...partsAgain } = again;
        expect(partsAgain).toEqual(parts);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads a lettered flat over the house number ("C/118") and a flat written after the street', () => {
    const slash = canonicaliseAddress('C/118 Station Street');
    expect([slash.flat, slash.houseNumber, slash.street]).toEqual(['c', '118', 'station street']);
    const after = canonicaliseAddress('118 Station Street, Flat C, London');
    expect([after.flat, after.houseNumber, after.street, after.locality]).toEqual(['c', '118', 'station street', ['london']]);
    expect(canonicaliseAddress(after.canonical).flat).toBe('c');
  });
});
