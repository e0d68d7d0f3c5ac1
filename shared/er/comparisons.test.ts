import { describe, expect, it } from 'vitest';
import { compareRecords, dayNumber, sameLastDigits, type FieldComparison } from './comparisons.ts';
import type { PersonFields } from './identity-store.ts';
import { features } from './test-support/records.ts';

const levelOf = (a: PersonFields, b: PersonFields, field: string): string | undefined =>
  compareRecords(features(a, 'a'), features(b, 'b')).find((c: FieldComparison) => c.field === field)?.level;

describe('comparisons', () => {
  it('gives the exact level with the shared value as its term', () => {
    const out = compareRecords(features({ given_name: 'John', family_name: 'Gaster' }, 'a'), features({ given_name: 'john', family_name: 'GASTER' }, 'b'));
    expect(out).toContainEqual({ field: 'given_name', level: 'exact', term: 'given_name:john' });
    expect(out).toContainEqual({ field: 'family_name', level: 'exact', term: 'family_name:gaster' });
  });

  it('reads nicknames, typos and initials at their own levels', () => {
    expect(levelOf({ given_name: 'Bob', family_name: 'Smith' }, { given_name: 'Robert', family_name: 'Smith' }, 'given_name')).toBe('nickname');
    expect(levelOf({ given_name: 'Mathilda', family_name: 'Smith' }, { given_name: 'Matilda', family_name: 'Smith' }, 'given_name')).toBe('jaro_winkler>=0.92');
    expect(levelOf({ given_name: 'J', family_name: 'Smith' }, { given_name: 'John', family_name: 'Smith' }, 'given_name')).toBe('initial');
    expect(levelOf({ given_name: 'Agnes', family_name: 'Beaumont' }, { given_name: 'Agnes', family_name: 'Bequmont' }, 'family_name')).toBe('jaro_winkler>=0.92');
    expect(levelOf({ given_name: 'Ann', family_name: 'Smith' }, { given_name: 'Ann', family_name: 'Jones' }, 'family_name')).toBe('else');
  });

  it('reads a nickname typed with a slip as nickname_typo', () => {
    expect(levelOf({ given_name: 'Jeny', family_name: 'Pearce' }, { given_name: 'Jennifer', family_name: 'Pearce' }, 'given_name')).toBe('nickname_typo');
    expect(levelOf({ given_name: 'Aisha', family_name: 'Popal' }, { given_name: 'Ayesa', family_name: 'Popal' }, 'given_name')).toBe('nickname_typo');
    expect(levelOf({ given_name: 'Jenny', family_name: 'Pearce' }, { given_name: 'Jennifer', family_name: 'Pearce' }, 'given_name')).toBe('nickname');
    expect(levelOf({ given_name: 'Jeny', family_name: 'Pearce' }, { given_name: 'Margaret', family_name: 'Pearce' }, 'given_name')).toBe('else');
  });

  it('meets a name typed the other way round on its swapped reading', () => {
    const out = compareRecords(features({ given_name: 'Shaw', family_name: 'Daniella' }, 'a'), features({ given_name: 'Daniella', family_name: 'Shaw' }, 'b'));
    expect(out.find((c) => c.field === 'given_name')?.level).toBe('exact');
    expect(out.find((c) => c.field === 'family_name')?.level).toBe('exact');
  });

  it('meets given and family names typed into each other\'s boxes, and "SURNAME, Given" in the full-name box', () => {
    for (const other of [{ given_name: 'Pearce', family_name: 'Jennifer' }, { full_name: 'PEARCE, Jennifer' }, { full_name: 'PEARCE Jennifer' }]) {
      const out = compareRecords(features(other, 'a'), features({ given_name: 'Jennifer', family_name: 'Pearce' }, 'b'));
      expect(out.find((c) => c.field === 'given_name')?.level).toBe('exact');
      expect(out.find((c) => c.field === 'family_name')?.level).toBe('exact');
    }
  });

  it('meets a flat written "118c", "Flat C, 118", "C/118" and "118 ..., Flat C" as one house and street', () => {
    const forms = ['118c Station Street', 'Flat C, 118 Station St.', 'C/118 Station Street', '118 Station Street, Flat C', 'FLAT C 118 STATION ST'];
    for (const a of forms) for (const b of forms) expect(levelOf({ addresses: [a] }, { addresses: [b] }, 'street')).toBe('house_and_street');
    expect(levelOf({ addresses: ['118c Station Street'] }, { addresses: ['Flat D, 118 Station Street'] }, 'street')).toBe('street');
  });

  it('meets a mobile typed without its leading zero or with the letter O for a zero', () => {
    for (const typed of ['7401 543320', '074O1543320', '07401 54332O', '+44 7401 543320'])
      expect(levelOf({ phones: [typed] }, { phones: ['07401 543320'] }, 'phone')).toBe('exact');
  });

  it('compares a one-word name with whichever name it matches', () => {
    const out = compareRecords(features({ full_name: 'francis' }, 'a'), features({ given_name: 'Francis', family_name: 'Sugg' }, 'b'));
    expect(out.filter((c) => c.field === 'given_name' || c.field === 'family_name')).toEqual([{ field: 'given_name', level: 'exact', term: 'given_name:francis' }]);
  });

  it('grades dates of birth: exact, day/month swapped, one edit, partial, age, far apart', () => {
    expect(levelOf({ dob: '1985-03-12' }, { dob: '12/03/1985' }, 'dob')).toBe('exact');
    expect(levelOf({ dob: '1985-03-12' }, { dob: '1985-12-03' }, 'dob')).toBe('day_month_swapped');
    expect(levelOf({ dob: '1985-03-12' }, { dob: '1985-03-13' }, 'dob')).toBe('one_edit');
    expect(levelOf({ dob: '1985' }, { dob: '1985-03-12' }, 'dob')).toBe('partial_compatible');
    expect(levelOf({ dob: '39' }, { dob: '1985-03-12' }, 'dob')).toBe('age_compatible');
    expect(levelOf({ dob: '1950-01-01' }, { dob: '1985-03-12' }, 'dob')).toBe('far_apart');
    expect(levelOf({ dob: '1985-03-12' }, {}, 'dob')).toBeUndefined();
  });

  it('calls dates of birth of another generation far apart, and not a typo, a swap or a year out', () => {
    // A father and son: thirty years apart.
    expect(levelOf({ dob: '1961-04-22' }, { dob: '1991-09-18' }, 'dob')).toBe('far_apart');
    expect(levelOf({ dob: '1976' }, { dob: '2006-01-30' }, 'dob')).toBe('far_apart');
    expect(levelOf({ dob: '65' }, { dob: '1987-11-17' }, 'dob')).toBe('far_apart');
    // Slips of the keyboard stay at their own levels.
    expect(levelOf({ dob: '1961-04-22' }, { dob: '1991-04-22' }, 'dob')).toBe('one_edit');
    expect(levelOf({ dob: '1961-04-22' }, { dob: '1916-04-22' }, 'dob')).toBe('two_edits');
    expect(levelOf({ dob: '1961-04-12' }, { dob: '1961-12-04' }, 'dob')).toBe('day_month_swapped');
    expect(levelOf({ dob: '1961-04-22' }, { dob: '1962-02-10' }, 'dob')).toBe('within_1_year');
    expect(levelOf({ dob: '1961-04-22' }, { dob: '1969-08-30' }, 'dob')).toBe('within_10_years');
    // A decade out with the month slipped too, and a year typed wrong on the right day and month: 'else', not far apart.
    expect(levelOf({ dob: '1973-10-27' }, { dob: '1983-11-24' }, 'dob')).toBe('else');
    expect(levelOf({ dob: '2015-07-21' }, { dob: '1951-07-21' }, 'dob')).toBe('else');
    // An age a few years out is 'else' too.
    expect(levelOf({ dob: '30' }, { dob: '1990-03-12' }, 'dob')).toBe('else');
  });

  it('grades postcodes and addresses', () => {
    expect(levelOf({ postcode: 'sw1a1aa' }, { postcode: 'SW1A 1AA' }, 'postcode')).toBe('exact');
    expect(levelOf({ postcode: 'SW1A 1AB' }, { postcode: 'SW1A 1AA' }, 'postcode')).toBe('sector');
    expect(levelOf({ postcode: 'SW1A 2AA' }, { postcode: 'SW1A 1AA' }, 'postcode')).toBe('district');
    expect(levelOf({ postcode: 'E1 6AN' }, { postcode: 'SW1A 1AA' }, 'postcode')).toBe('else');
    expect(levelOf({ addresses: ['10 High St, Barnet'] }, { addresses: ['10 High Street'] }, 'street')).toBe('house_and_street');
    expect(levelOf({ addresses: ['12 High St'] }, { addresses: ['10 High Street'] }, 'street')).toBe('street');
  });

  it('compares phones, e-mails and identifiers exactly, with weaker partial levels', () => {
    expect(levelOf({ phones: ['07700 900123'] }, { phones: ['+44 7700 900123'] }, 'phone')).toBe('exact');
    expect(levelOf({ phones: ['900 1234'] }, { phones: ['020 7900 1234'] }, 'phone')).toBe('last_7_digits');
    expect(levelOf({ emails: ['Jo Bloggs <JO.B@example.com>'] }, { emails: ['jo.b@example.com'] }, 'email')).toBe('exact');
    expect(levelOf({ emails: ['jo.b@example.com'] }, { emails: ['jo.b@example.org'] }, 'email')).toBe('local_part');
    expect(levelOf({ emails: ['tanisha.reid@example.net'] }, { emails: ['tanisha.reid2@example.net'] }, 'email')).toBe('fuzzy');
    expect(levelOf({ attrs: { ssn: '521-21-2123' } }, { attrs: { ssn: '521212123' } }, 'identifier')).toBe('exact');
    expect(levelOf({ attrs: { ssn: '521212124' } }, { attrs: { ssn: '521212123' } }, 'identifier')).toBe('one_edit');
    expect(levelOf({ attrs: { passport: 'X1' } }, { attrs: { ssn: '521212123' } }, 'identifier')).toBeUndefined();
  });

  it('compares other attributes by name', () => {
    expect(levelOf({ attrs: { occupation: 'Rabbi' } }, { attrs: { occupation: 'rabbi' } }, 'attr:occupation')).toBe('exact');
    expect(levelOf({ attrs: { occupation: 'rabbi' } }, { attrs: { occupation: 'judge' } }, 'attr:occupation')).toBe('else');
    expect(levelOf({ gender: 'F' }, { gender: 'female' }, 'gender')).toBe('exact');
  });

  it('counts days since 1970 as Date.UTC does, for every day of four centuries and for what is not a plain date', () => {
    const viaDate = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;
    for (let day = Date.UTC(1800, 0, 1); day <= Date.UTC(2200, 11, 31); day += 86_400_000) {
      const iso = new Date(day).toISOString().slice(0, 10);
      if (dayNumber(iso) !== viaDate(iso)) expect(dayNumber(iso), iso).toBe(viaDate(iso));
    }
    for (const odd of ['0099-03-01', '1985-02-30', '1985-13-01', '1985-3-1', '19850301', '', 'abcd-ef-gh']) {
      expect(dayNumber(odd), odd).toEqual(viaDate(odd));
    }
  });

  it('compares the last digits of two phone keys as their digits alone would', () => {
    const viaDigits = (a: string, b: string) => {
      const [da, db] = [a.replace(/\D/g, ''), b.replace(/\D/g, '')];
      return da.length >= 7 && db.length >= 7 && da.slice(-7) === db.slice(-7);
    };
    const keys = ['+447700900123', '+447800900123', 'digits:0900123', 'digits:900123', '+44 20 7946 0018', '020-7946-0018', '+1555', '', 'x7946-0018x', '79460018'];
    for (const a of keys) for (const b of keys) expect(sameLastDigits(a, b, 7), `${a} / ${b}`).toBe(viaDigits(a, b));
  });

  it('compares an attribute the way the mapping said: fuzzy text at three thresholds, numbers by closeness', () => {
    const record = (attrs: Record<string, string>, attrComparisons: Record<string, 'fuzzy' | 'numeric' | 'exact'>) => ({ attrs, attrComparisons });
    const attr = (a: Record<string, string>, b: Record<string, string>, how: Record<string, 'fuzzy' | 'numeric' | 'exact'>, field: string) =>
      levelOf(record(a, how), record(b, how), field);
    expect(attr({ suburb: 'kambah' }, { suburb: 'kambah' }, { suburb: 'fuzzy' }, 'attr:suburb')).toBe('exact');
    expect(attr({ suburb: 'kambah' }, { suburb: 'kambha' }, { suburb: 'fuzzy' }, 'attr:suburb')).toBe('jaro_winkler>=0.95');
    expect(attr({ suburb: 'kambah' }, { suburb: 'dubbo' }, { suburb: 'fuzzy' }, 'attr:suburb')).toBe('else');
    expect(attr({ postcode: '2615' }, { postcode: '2651' }, { postcode: 'numeric' }, 'attr:postcode')).toBe('within_10%');
    expect(attr({ postcode: '2615' }, { postcode: '2616' }, { postcode: 'numeric' }, 'attr:postcode')).toBe('one_edit');
    expect(attr({ postcode: '2615' }, { postcode: '2605' }, { postcode: 'numeric' }, 'attr:postcode')).toBe('one_edit');
    expect(attr({ postcode: '2615' }, { postcode: '2590' }, { postcode: 'numeric' }, 'attr:postcode')).toBe('within_1%');
    expect(attr({ postcode: '2615' }, { postcode: '4000' }, { postcode: 'numeric' }, 'attr:postcode')).toBe('else');
    expect(attr({ state: 'nsw' }, { state: 'vic' }, { state: 'exact' }, 'attr:state')).toBe('else');
    expect(levelOf({ attrs: { occupation: 'rabbi' } }, { attrs: { occupation: 'rabbis' } }, 'attr:occupation')).toBe('jaro_winkler>=0.88');
  });
});
