import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { ukFastPathAvailable, ukNumberType } from './uk-number-type.ts';

// The fast path must give exactly libphonenumber's answer. If a library
// upgrade changes its metadata layout, this fails instead of the resolver
// silently drifting.

const libphonenumber = (nsn: string) => {
  const parsed = parsePhoneNumberFromString(`+44${nsn}`);
  return { country: parsed?.country, type: parsed?.getType() };
};

// Biased towards the prefixes that carry real UK ranges, so valid numbers
// of every type turn up, not only noise.
const nationalSignificantNumber = fc
  .tuple(
    fc.constantFrom('7', '74', '75', '77', '78', '79', '7624', '7781', '7911', '1', '113', '1481', '1534', '1624', '161', '2', '20', '3', '30', '5', '56', '55', '70', '76', '8', '80', '84', '87', '9', '90'),
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }),
    fc.constantFrom(9, 10),
  )
  .map(([prefix, digits, length]) => (prefix + digits.join('')).slice(0, length));

describe('ukNumberType', () => {
  it('is available with the installed libphonenumber-js', () => {
    expect(ukFastPathAvailable).toBe(true);
  });

  it('agrees with libphonenumber on country and type for random +44 numbers', () => {
    fc.assert(
      fc.property(nationalSignificantNumber, (nsn) => {
        expect(ukNumberType(nsn)).toEqual(libphonenumber(nsn));
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    ['7400123456', 'GB', 'MOBILE'],
    ['2079460958', 'GB', 'FIXED_LINE'],
    ['7624123456', 'IM', 'MOBILE'],
    ['1534123456', 'JE', 'FIXED_LINE'],
    ['8001234567', 'GB', 'TOLL_FREE'],
    ['7700900123', undefined, undefined],
  ])('reads %s as %s %s', (nsn, country, type) => {
    expect(ukNumberType(nsn)).toEqual({ country, type });
  });
});
