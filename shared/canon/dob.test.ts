import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicaliseDob } from './dob.ts';

// Every call passes the reference date: results never depend on the clock.
const referenceDate = new Date('2025-06-15T12:00:00Z');
const dob = (raw: string, age?: number) => canonicaliseDob(raw, age === undefined ? { referenceDate } : { referenceDate, age });

describe('canonicaliseDob: full dates', () => {
  it.each([
    ['12/03/1985'],
    ['12/3/1985'],
    ['12.3.85'],
    ['12-03-1985'],
    ['12 03 1985'],
    ['12-Mar-1985'],
    ['12 March 1985'],
    ['12th March 1985'],
    ['12th of March, 1985'],
    ['March 12, 1985'],
    ['12 MAR 85'],
    ['1985-03-12'],
    ['19850312'],
    ['12031985'],
    ['120385'],
    ['DOB: 12/03/1985'],
    ['d.o.b. 12/03/1985'],
    ['١٢/٠٣/١٩٨٥'],
  ])('reads %j as 12 March 1985', (raw) => {
    const result = dob(raw);
    expect(result).toMatchObject({ precision: 'day', iso: '1985-03-12', canonical: '1985-03-12' });
    expect(result.candidates[0]).toBe('1985-03-12');
    expect(result.keys).toEqual({ iso: '1985-03-12', year: '1985', yearMonth: '1985-03', monthDay: '03-12' });
  });

  it('keeps the day/month swap of a numeric date as a candidate', () => {
    const result = dob('12/03/1985');
    expect(result.candidates).toEqual(['1985-03-12', '1985-12-03']);
    expect(result.flags).toContain('possible_swap');
  });

  it.each([['12 March 1985'], ['1985-03-12'], ['25/03/1985'], ['03/03/1985']])('keeps no swap for %j, which cannot be the other way round', (raw) => {
    expect(dob(raw).candidates).toHaveLength(1);
    expect(dob(raw).flags).not.toContain('possible_swap');
  });

  it('reads month first only when day first is impossible', () => {
    const result = dob('03/25/1985');
    expect(result.iso).toBe('1985-03-25');
    expect(result.flags).toContain('month_first');
  });

  it.each([
    ['12.3.85', '1985-03-12'],
    ['1.1.25', '2025-01-01'],
    ['1.7.25', '1925-07-01'],
    ['5/6/07', '2007-06-05'],
    ['5/6/30', '1930-06-05'],
  ])('resolves the two-digit year of %j as for a living person: %s', (raw, iso) => {
    expect(dob(raw).iso).toBe(iso);
    expect(dob(raw).flags).toContain('two_digit_year');
  });

  it('reads 29 February in a leap year', () => {
    expect(dob('29/02/2000').iso).toBe('2000-02-29');
  });
});

describe('canonicaliseDob: partial dates and ages', () => {
  it.each([
    ['1985', 'year', '1985', { from: '1985-01-01', to: '1985-12-31' }],
    ['03/1985', 'month', '1985-03', { from: '1985-03-01', to: '1985-03-31' }],
    ['Mar 1985', 'month', '1985-03', { from: '1985-03-01', to: '1985-03-31' }],
    ['February 2000', 'month', '2000-02', { from: '2000-02-01', to: '2000-02-29' }],
    ['1985-03', 'month', '1985-03', { from: '1985-03-01', to: '1985-03-31' }],
  ])('reads %j as a %s', (raw, precision, canonical, range) => {
    const result = dob(raw);
    expect(result).toMatchObject({ precision, canonical, range, iso: undefined });
    expect(result.flags).toContain('partial');
  });

  it.each([
    ['34', { from: '1990-06-16', to: '1991-06-15' }],
    ['aged 34', { from: '1990-06-16', to: '1991-06-15' }],
    ['34 yrs', { from: '1990-06-16', to: '1991-06-15' }],
    ['34yo', { from: '1990-06-16', to: '1991-06-15' }],
    ['30-35', { from: '1989-06-16', to: '1995-06-15' }],
    ['30s', { from: '1985-06-16', to: '1995-06-15' }],
    ['in her 30s', { from: '1985-06-16', to: '1995-06-15' }],
    ['late 20s', { from: '1995-06-16', to: '1999-06-15' }],
  ])('reads the age %j as birth dates %j', (raw, range) => {
    const result = dob(raw);
    expect(result).toMatchObject({ precision: 'age', range, iso: undefined, canonical: undefined });
    expect(result.flags).toContain('age_only');
  });

  it('widens an approximate age by two years each way', () => {
    const result = dob('approx 30');
    expect(result.range).toEqual({ from: '1992-06-16', to: '1997-06-15' });
    expect(result.flags).toEqual(expect.arrayContaining(['approximate', 'age_only']));
  });

  it('uses an age given beside an empty date', () => {
    expect(dob('', 40)).toMatchObject({ precision: 'age', range: { from: '1984-06-16', to: '1985-06-15' } });
  });

  it('flags an age that disagrees with the date by more than a year', () => {
    // 12 March 1985 is 40 on the reference date.
    expect(dob('12/03/1985', 25).flags).toContain('age_mismatch');
    expect(dob('12/03/1985', 25).iso).toBe('1985-03-12');
    expect(dob('12/03/1985', 42).flags).toContain('age_mismatch');
    for (const age of [39, 40, 41]) expect(dob('12/03/1985', age).flags).not.toContain('age_mismatch');
  });
});

describe('canonicaliseDob: impossible, future and unreadable', () => {
  it.each([['31/02/1985'], ['29/02/2001'], ['13/13/1985'], ['00/03/1985']])('flags %j as impossible and keeps the year', (raw) => {
    const result = dob(raw);
    expect(result.flags).toContain('impossible');
    expect(result.iso).toBeUndefined();
    expect(result.keys.year).toBe(raw.slice(-4));
  });

  it('flags a date after the reference date', () => {
    expect(dob('12/03/2030').flags).toContain('future');
    expect(dob('16/06/2025').flags).toContain('future');
    expect(dob('15/06/2025').flags).not.toContain('future');
  });

  it('flags a person older than 120', () => {
    expect(dob('01/01/1890').flags).toContain('implausible_age');
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['unknown', 'unparsed'],
    ['n/k', 'unparsed'],
    ['12 March', 'unparsed'],
    ['12/03', 'unparsed'],
  ])('flags %j as %s', (raw, flag) => {
    const result = dob(raw);
    expect(result.flags).toContain(flag);
    expect(result.precision).toBe('none');
    expect(result.candidates).toEqual([]);
  });

  it('gives the same answer for the same reference date, whatever the clock', () => {
    const a = canonicaliseDob('34', { referenceDate: new Date('2020-01-01T00:00:00Z') });
    const b = canonicaliseDob('34', { referenceDate: new Date('2020-01-01T00:00:00Z') });
    expect(a).toEqual(b);
    expect(a.range).toEqual({ from: '1985-01-02', to: '1986-01-01' });
  });
});

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const pad = (n: number) => String(n).padStart(2, '0');

/** A real date between 1905 and the reference date. */
const birthDate = fc
  .tuple(fc.integer({ min: 1905, max: 2024 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }))
  .map(([y, m, d]) => ({ y, m, d: Math.min(d, daysIn(y, m)) }));

describe('canonicaliseDob: properties', () => {
  it('gives every UK rendering of a random date the same ISO date first', () => {
    fc.assert(
      fc.property(birthDate, ({ y, m, d }) => {
        const iso = `${y}-${pad(m)}-${pad(d)}`;
        const month = MONTH_NAMES[m - 1] ?? '';
        const renderings = [
          `${pad(d)}/${pad(m)}/${y}`,
          `${d}/${m}/${y}`,
          `${d}.${m}.${y}`,
          `${pad(d)}-${month.slice(0, 3)}-${y}`,
          `${d} ${month} ${y}`,
          `${month} ${d}, ${y}`,
          iso,
          `${pad(d)}${pad(m)}${y}`,
        ];
        // A two-digit year is only unambiguous within the last hundred years.
        if (y > 1925) renderings.push(`${d}.${m}.${String(y).slice(2)}`);
        for (const raw of renderings) expect(dob(raw).candidates[0], raw).toBe(iso);
      }),
      { numRuns: 500 },
    );
  });

  it('is idempotent: canonicalising a canonical value changes nothing', () => {
    const typed = fc.oneof(
      birthDate.map(({ y, m, d }) => `${d}/${m}/${y}`),
      birthDate.map(({ y, m }) => `${m}/${y}`),
      birthDate.map(({ y }) => String(y)),
      fc.string({ unit: fc.constantFrom('1', '2', '3', '9', '0', '/', '.', '-', ' ', 'mar', 'age '), maxLength: 14 }),
    );
    fc.assert(
      fc.property(typed, (raw) => {
        const first = dob(raw);
        if (first.canonical === undefined) return;
        const again = dob(first.canonical);
        expect(again.canonical).toBe(first.canonical);
        expect(again.precision).toBe(first.precision);
        expect(again.range).toEqual(first.range);
        expect(again.keys).toEqual(first.keys);
      }),
      { numRuns: 1000 },
    );
  });
});
