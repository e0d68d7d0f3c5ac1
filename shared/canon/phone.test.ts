import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { canonicalisePhone } from './phone.ts';

// Numbers here are Ofcom's drama ranges (07700 900xxx, 020 7946 0xxx,
// 0113 496 0xxx), libphonenumber's example mobile (07400 123456) and random
// digits: none belongs to a person.

const key = (raw: string): string | undefined => canonicalisePhone(raw).keys[0];

describe('canonicalisePhone: the seed case', () => {
  it('finds an 11-digit mobile typed as five digits, a space and six digits', () => {
    expect(key('07400123456')).toBe('+447400123456');
    expect(key('07400 123456')).toBe('+447400123456');
  });

  it('matches a number that is not valid the same way, on its digits', () => {
    // 07700 900xxx is reserved for drama, so libphonenumber calls it invalid.
    expect(key('07700900123')).toBe('digits:447700900123');
    expect(key('07700 900123')).toBe('digits:447700900123');
    expect(canonicalisePhone('07700 900123').flags).toContain('invalid');
  });
});

describe('canonicalisePhone: renderings of one number', () => {
  const mobile = '+447400123456';
  it.each([
    ['07400 123456'],
    ['07400-123-456'],
    ['0 7 4 0 0 1 2 3 4 5 6'],
    ['(07400) 123456'],
    ['+44 7400 123456'],
    ['+44 (0)7400 123456'],
    ['+44 07400 123456'],
    ['0044 7400 123456'],
    ['447400123456'],
    ['7400123456'],
    ['mob: 07400 123456'],
    ['Mob 07400123456'],
    ['tel 07400 123456'],
    ['h: 07400 123456'],
    ['M-07400 123456'],
    ['tel:+44-7400-123456'],
    ['０７４００ １２３４５６'],
    ['٠٧٤٠٠١٢٣٤٥٦'],
    ['०७४००१२३४५६'],
    ['𝟎𝟕𝟒𝟎𝟎𝟏𝟐𝟑𝟒𝟓𝟔'],
    ['07400/123456'],
    ['07400–123456'],
  ])('reads %j as the one mobile', (raw) => {
    const result = canonicalisePhone(raw);
    expect(result.keys).toEqual([mobile]);
    expect(result.numbers[0]).toMatchObject({ e164: mobile, valid: true, type: 'mobile', country: 'GB' });
  });

  it.each([
    ['020 7946 0958 ext 123', '123'],
    ['020 7946 0958 ext. 123', '123'],
    ['020 7946 0958 x123', '123'],
    ['(020) 7946 0958 extn 4', '4'],
    ['tel:+44-20-7946-0958;ext=12', '12'],
  ])('keeps the extension of %j apart from the key', (raw, extension) => {
    const result = canonicalisePhone(raw);
    expect(result.keys).toEqual(['+442079460958']);
    expect(result.numbers[0]?.extension).toBe(extension);
    expect(result.flags).toContain('extension');
  });
});

describe('canonicalisePhone: types, fields and foreign numbers', () => {
  it.each([
    ['020 7946 0958', '+442079460958', 'landline'],
    ['0113 496 0123', '+441134960123', 'landline'],
    ['0800 123 4567', '+448001234567', 'toll_free'],
    ['0300 123 4567', '+443001234567', 'uan'],
    ['0870 123 4567', '+448701234567', 'premium_rate'],
    ['07624 123456', '+447624123456', 'mobile'],
  ])('reads %j as %s (%s)', (raw, e164, type) => {
    expect(canonicalisePhone(raw).numbers[0]).toMatchObject({ e164, type, valid: true });
  });

  it.each([
    ['07400 123456 / 020 7946 0958'],
    ['07400 123456, 020 7946 0958'],
    ['07400 123456 or 020 7946 0958'],
    ['m: 07400 123456 h: 020 7946 0958'],
    ['07400 123456 020 7946 0958'],
    ['07400123456 02079460958'],
  ])('keeps both numbers of %j', (raw) => {
    const result = canonicalisePhone(raw);
    expect(result.keys).toEqual(['+447400123456', '+442079460958']);
    expect(result.flags).toContain('multiple');
  });

  it.each([
    ['+33 1 23 45 67 89', '+33123456789', 'FR'],
    ['0033 1 23 45 67 89', '+33123456789', 'FR'],
    ['+33 (0)1 23 45 67 89', '+33123456789', 'FR'],
    ['+48 512 345 678', '+48512345678', 'PL'],
    ['+353 85 123 4567', '+353851234567', 'IE'],
    ['+1 (202) 555-0123', '+12025550123', 'US'],
  ])('reads the foreign number %j with its own country code', (raw, e164, country) => {
    const result = canonicalisePhone(raw);
    expect(result.numbers[0]).toMatchObject({ e164, country, valid: true });
    expect(result.flags).toContain('foreign');
  });

  it('reads national numbers of another default country', () => {
    expect(canonicalisePhone('01 23 45 67 89', { defaultCountry: 'FR' }).keys).toEqual(['+33123456789']);
  });

  it.each([
    ['', ['empty']],
    ['   ', ['empty']],
    ['refused', ['unparsed']],
    ['n/k', ['unparsed']],
  ])('flags %j with nothing to match on', (raw, flags) => {
    const result = canonicalisePhone(raw);
    expect(result.numbers).toEqual([]);
    expect(result.keys).toEqual([]);
    expect(result.flags).toEqual(flags);
  });

  it('keeps a number it cannot read as its digits, flagged', () => {
    const result = canonicalisePhone('12345');
    expect(result.keys).toEqual(['digits:12345']);
    expect(result.numbers[0]).toMatchObject({ valid: false, type: 'unknown', e164: undefined });
    expect(result.flags).toEqual(['invalid']);
  });

  it('keeps the raw input for display', () => {
    expect(canonicalisePhone(' Mob: 07400 123456 (mum) ').raw).toBe(' Mob: 07400 123456 (mum) ');
  });
});

// Random valid UK numbers: a national significant number that libphonenumber
// itself (not the fast path under test) calls valid.
const validUkNumber = fc
  .tuple(fc.constantFrom('1', '2', '3', '7', '8'), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }))
  .map(([first, rest]) => first + rest.join(''))
  .filter((nsn) => parsePhoneNumberFromString(`+44${nsn}`)?.isValid() === true);

const separators = fc.constantFrom('', '', '', ' ', '-', ' - ', '.', '  ');

/** "07400123456" with random spaces, hyphens and dots between the digits. */
const spaced = (digits: string, seps: string[]): string => [...digits].map((d, i) => d + (i < digits.length - 1 ? seps[i % seps.length] ?? '' : '')).join('');

const scriptDigits = (text: string, zero: number): string => text.replace(/\d/g, (d) => String.fromCodePoint(zero + Number(d)));

const RENDERINGS: Record<string, (nsn: string, seps: string[]) => string> = {
  national: (nsn) => `0${nsn}`,
  fivePlusSix: (nsn) => `0${nsn.slice(0, 4)} ${nsn.slice(4)}`,
  spacedAnywhere: (nsn, seps) => spaced(`0${nsn}`, seps),
  brackets: (nsn) => `(0${nsn.slice(0, 4)}) ${nsn.slice(4)}`,
  plus44: (nsn, seps) => `+44 ${spaced(nsn, seps)}`,
  plus44Trunk: (nsn) => `+44 (0)${nsn}`,
  doubleZero44: (nsn) => `0044 ${nsn}`,
  bare44: (nsn) => `44${nsn}`,
  droppedZero: (nsn) => nsn,
  labelMob: (nsn) => `mob: 0${nsn}`,
  labelTel: (nsn) => `tel 0${nsn}`,
  labelH: (nsn) => `h:0${nsn}`,
  extension: (nsn) => `0${nsn} ext 42`,
  fullWidth: (nsn) => scriptDigits(`0${nsn}`, 0xff10),
  arabicIndic: (nsn) => scriptDigits(`0${nsn}`, 0x0660),
  devanagari: (nsn) => scriptDigits(`+44 ${nsn}`, 0x0966),
};

describe('canonicalisePhone: properties', () => {
  it('gives every rendering of a random valid UK number the same E.164', () => {
    fc.assert(
      fc.property(validUkNumber, fc.array(separators, { minLength: 1, maxLength: 12 }), (nsn, seps) => {
        for (const [name, render] of Object.entries(RENDERINGS)) {
          const raw = render(nsn, seps);
          const result = canonicalisePhone(raw);
          if (result.keys.length !== 1 || result.numbers[0]?.e164 !== `+44${nsn}`) {
            throw new Error(`${name} rendering ${JSON.stringify(raw)} gave ${JSON.stringify(result.keys)}`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps both of two random valid numbers typed in one field', () => {
    fc.assert(
      fc.property(validUkNumber, validUkNumber, fc.constantFrom(' / ', ', ', ' or ', '; ', ' '), (a, b, between) => {
        fc.pre(a !== b);
        expect(canonicalisePhone(`0${a}${between}0${b}`).keys).toEqual([`+44${a}`, `+44${b}`]);
      }),
      { numRuns: 200 },
    );
  });

  it('is idempotent: canonicalising a canonical value gives the same key', () => {
    const phoneish = fc.string({
      unit: fc.constantFrom('0', '1', '2', '4', '7', '9', '44', '00', '+', ' ', '-', '(', ')', '/', 'x', 'ext ', 'mob:', '٣'),
      maxLength: 40,
    });
    fc.assert(
      fc.property(fc.oneof(phoneish, validUkNumber.map((n) => `0${n}`)), (raw) => {
        for (const number of canonicalisePhone(raw).numbers) {
          expect(canonicalisePhone(number.canonical).keys).toEqual([number.key]);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('reads the letter O for a zero and l or I for a one inside a number, and flags it', () => {
    for (const typed of ['074O1543320', '0740154332O', '07401 54332O', 'O7401543320', 'mob O7401543320']) {
      const r = canonicalisePhone(typed);
      expect(r.keys).toEqual(['+447401543320']);
    }
    expect(canonicalisePhone('074O1543320').flags).toContain('look_alike_corrected');
    expect(canonicalisePhone('07l44 978690').keys).toEqual(['+447144978690']);
    expect(canonicalisePhone('07I44978690').keys).toEqual(['+447144978690']);
  });

  it('leaves letters of a word alone: labels are not digits', () => {
    expect(canonicalisePhone('tel 02071234567').keys).toEqual(['+442071234567']);
    expect(canonicalisePhone('Mobile: 07401543320').flags).not.toContain('look_alike_corrected');
  });

  it('reads a 10-digit number starting 7 as a UK mobile without its trunk zero', () => {
    expect(canonicalisePhone('7544 978690').keys).toEqual(['+447544978690']);
  });
});
