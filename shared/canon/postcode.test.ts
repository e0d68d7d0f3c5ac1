import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findPostcode, parsePostcode } from './postcode.ts';
import { canonicaliseAddress } from './address.ts';

describe('parsePostcode', () => {
  it.each([
    ['SW1A 1AA', 'SW1A 1AA', 'SW1A'],
    ['sw1a1aa', 'SW1A 1AA', 'SW1A'],
    [' sw1a   1aa ', 'SW1A 1AA', 'SW1A'],
    ['S W 1 A 1 A A', 'SW1A 1AA', 'SW1A'],
    ['EN5 1AA', 'EN5 1AA', 'EN5'],
    ['m11ae', 'M1 1AE', 'M1'],
    ['B338TH', 'B33 8TH', 'B33'],
    ['CR2 6XH', 'CR2 6XH', 'CR2'],
    ['DN55 1PT', 'DN55 1PT', 'DN55'],
    ['W1A 0AX', 'W1A 0AX', 'W1A'],
    ['EC1A 1BB', 'EC1A 1BB', 'EC1A'],
    ['GIR 0AA', 'GIR 0AA', 'GIR'],
  ])('reads %j as %s (district %s)', (raw, postcode, outward) => {
    expect(parsePostcode(raw)).toMatchObject({ postcode, outward, compact: postcode.replace(' ', ''), corrected: false });
  });

  it('gives the sector for partial matches', () => {
    expect(parsePostcode('SW1A 1AA')?.sector).toBe('SW1A 1');
  });

  it.each([
    ['SW1A IAA', 'SW1A 1AA'],
    ['SW1A OAA', 'SW1A 0AA'],
    ['EN5 lAA', 'EN5 1AA'],
    ['NIO 1AA', 'N10 1AA'],
  ])('puts right the look-alike characters of %j', (raw, postcode) => {
    expect(parsePostcode(raw)).toMatchObject({ postcode, corrected: true });
  });

  it.each([['SW1A'], ['12345'], ['QA1 1AA'], ['SW1A 1CA'], ['SW1A 1AAA'], ['hello'], [''], ['AAA 1AA']])('rejects %j', (raw) => {
    expect(parsePostcode(raw)).toBeUndefined();
  });

  it('finds the last postcode in a line of text', () => {
    expect(findPostcode('10 High St, Barnet EN5 1AA')?.postcode.postcode).toBe('EN5 1AA');
    expect(findPostcode('10 High St, Barnet, en51aa')?.postcode.postcode).toBe('EN5 1AA');
  });

  it('does not read ordinary words as a postcode', () => {
    expect(findPostcode('so old, ten high street, barnet')).toBeUndefined();
  });
});

// Random postcodes that follow the format rules.
const letters = (set: string) => fc.constantFrom(...set.split(''));
const digit = fc.constantFrom(...'0123456789'.split(''));
const FIRST = 'ABCDEFGHIJKLMNOPRSTUWYZ';
const SECOND = 'ABCDEFGHKLMNOPQRSTUVWXY';
const THIRD = 'ABCDEFGHJKPSTUW';
const FOURTH = 'ABEHMNPRVWXY';
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
const outward = fc.oneof(
  fc.tuple(letters(FIRST), digit).map((p) => p.join('')),
  fc.tuple(letters(FIRST), digit, digit).map((p) => p.join('')),
  fc.tuple(letters(FIRST), letters(SECOND), digit).map((p) => p.join('')),
  fc.tuple(letters(FIRST), letters(SECOND), digit, digit).map((p) => p.join('')),
  fc.tuple(letters(FIRST), digit, letters(THIRD)).map((p) => p.join('')),
  fc.tuple(letters(FIRST), letters(SECOND), digit, letters(FOURTH)).map((p) => p.join('')),
);
const inward = fc.tuple(digit, letters(INWARD_LETTERS), letters(INWARD_LETTERS)).map((p) => p.join(''));
const postcode = fc.tuple(outward, inward).map(([o, i]) => `${o} ${i}`);

/** The postcode with random spaces between characters and random case per character. */
const rendered = fc
  .tuple(postcode, fc.array(fc.constantFrom('', '', ' ', '  ', '\t'), { minLength: 8, maxLength: 8 }), fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }))
  .map(([pc, spaces, lower]) => ({
    pc,
    typed: [...pc.replace(' ', '')].map((c, i) => (lower[i] ? c.toLowerCase() : c) + (spaces[i] ?? '')).join(''),
  }));

describe('postcodes: properties', () => {
  it('gives every spacing and case of a random postcode the same postcode', () => {
    fc.assert(
      fc.property(rendered, ({ pc, typed }) => {
        expect(parsePostcode(typed)?.postcode).toBe(pc);
        expect(canonicaliseAddress({ lines: ['10 Acacia Avenue'], postcode: typed }).postcode).toBe(pc);
        expect(canonicaliseAddress(`10 Acacia Avenue, Barnet, ${typed}`).postcode).toBe(pc);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the usual typings of a random postcode inside an address the same postcode', () => {
    fc.assert(
      fc.property(postcode, fc.constantFrom(' ', '', '  '), fc.boolean(), (pc, gap, lower) => {
        const typed = pc.replace(' ', gap);
        const text = `Flat 2, 10 Acacia Avenue, Barnet ${lower ? typed.toLowerCase() : typed}`;
        expect(canonicaliseAddress(text).postcode).toBe(pc);
      }),
      { numRuns: 1000 },
    );
  });

  it('is idempotent: parsing a canonical postcode gives it back', () => {
    fc.assert(
      fc.property(postcode, (pc) => {
        expect(parsePostcode(pc)?.postcode).toBe(pc);
        expect(parsePostcode(parsePostcode(pc)?.compact ?? '')?.postcode).toBe(pc);
      }),
    );
  });
});
