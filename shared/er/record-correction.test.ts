import { describe, expect, it } from 'vitest';
import type { PersonRecord } from './identity-store.ts';
import { applyCorrection, correctableValues, reasonQuotesValue } from './record-correction.ts';

const record: PersonRecord = {
  recordId: 'evt-1:P1',
  source: 'cad:CAD-1',
  fields: { given_name: 'Jo', family_name: 'EXAMPLE-TESTER', dob: '3/4/91', phones: ['07700 900123'], addresses: ['Flat 2, 10 Acacia Rd, SE11 4AA'], gender: 'F' },
};

describe('a correction of a person record', () => {
  it('replaces the fields given, keeps the others, and names the fields it changed', () => {
    const result = applyCorrection(record, { dateOfBirth: '4/3/91', phones: ['07700 900123', '07700 900999'] });
    expect(result).toEqual({
      ok: true,
      record: { ...record, fields: { ...record.fields, dob: '4/3/91', phones: ['07700 900123', '07700 900999'] } },
      changed: ['dateOfBirth', 'phones'],
    });
  });

  it('clears a field set to null or left empty, and leaves blank lines of a list out', () => {
    const result = applyCorrection(record, { gender: null, familyName: '  ', addresses: ['', 'Flat 3, 10 Acacia Rd, SE11 4AA', ' '] });
    expect(result.ok && result.record.fields).toEqual({ given_name: 'Jo', dob: '3/4/91', phones: ['07700 900123'], addresses: ['Flat 3, 10 Acacia Rd, SE11 4AA'] });
    expect(result.ok && result.changed).toEqual(['familyName', 'gender', 'addresses']);
  });

  it('counts a field given with the value it has as no change, and a correction of nothing as nothing to correct', () => {
    expect(applyCorrection(record, { givenName: 'Jo', dateOfBirth: '3/4/91', emails: [] })).toEqual({ ok: false, code: 'NOTHING_TO_CORRECT', reasons: ['every field given already has that value'] });
    expect(applyCorrection(record, { givenName: 'Jo', familyName: 'Tester' })).toMatchObject({ ok: true, changed: ['familyName'] });
  });

  it('refuses a value over its cap, naming the field and its size, never the value', () => {
    const result = applyCorrection(record, { familyName: 'x'.repeat(201), phones: Array.from({ length: 21 }, () => '07700 900123') });
    expect(result).toEqual({ ok: false, code: 'INVALID_CORRECTION', reasons: ['familyName is 201 characters long (at most 200)', 'phones has 21 items (at most 20)'] });
    expect(JSON.stringify(result)).not.toContain('xxxx');
  });

  it('refuses unknown fields, wrong types and an age that is not a whole number of years', () => {
    expect(applyCorrection(record, { nhsNumber: '123' })).toMatchObject({ ok: false, code: 'INVALID_CORRECTION' });
    expect(applyCorrection(record, { phones: '07700 900123' })).toEqual({ ok: false, code: 'INVALID_CORRECTION', reasons: ['phones is a list of text or null'] });
    expect(applyCorrection(record, { givenName: 5 })).toEqual({ ok: false, code: 'INVALID_CORRECTION', reasons: ['givenName is text or null'] });
    expect(applyCorrection(record, { ageYears: 40.5 })).toMatchObject({ ok: false, code: 'INVALID_CORRECTION' });
    expect(applyCorrection(record, {})).toMatchObject({ ok: false, code: 'INVALID_CORRECTION' });
    expect(applyCorrection(record, null)).toMatchObject({ ok: false, code: 'INVALID_CORRECTION' });
  });

  it('refuses a record left with nothing to resolve on, as a call\'s party would be', () => {
    const result = applyCorrection(record, { givenName: null, familyName: null, dateOfBirth: null, phones: null, addresses: null });
    expect(result).toEqual({ ok: false, code: 'INVALID_CORRECTION', reasons: ['the record would have no name, phone, email, date of birth or address to resolve'] });
  });

  it('shows the record\'s fields under the names the API takes', () => {
    expect(correctableValues(record.fields)).toEqual({ givenName: 'Jo', familyName: 'EXAMPLE-TESTER', dateOfBirth: '3/4/91', gender: 'F', phones: ['07700 900123'], addresses: ['Flat 2, 10 Acacia Rd, SE11 4AA'] });
  });
});

describe('the reason of a correction', () => {
  const corrected = applyCorrection(record, { dateOfBirth: '4/3/91', familyName: 'Tester' });
  if (!corrected.ok) throw new Error('the sample correction is valid');
  it('may not quote an old or a new value, which the audit log must not keep', () => {
    expect(reasonQuotesValue('dob was typed 3/4/91 by mistake', record, corrected.record, corrected.changed)).toBe(true);
    expect(reasonQuotesValue('The family name is TESTER per the PNC', record, corrected.record, corrected.changed)).toBe(true);
    expect(reasonQuotesValue('Day and month typed the wrong way round (ref QA-12)', record, corrected.record, corrected.changed)).toBe(false);
  });
});
