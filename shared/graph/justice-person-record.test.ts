import { describe, expect, it } from 'vitest';
import { sampleJusticeEvent } from '../../test/helpers/sample-justice-event.ts';
import type { JusticeEvent } from '../contracts/justice-event.ts';
import { justicePersonRecords, referenceAttrs } from './justice-person-record.ts';

describe('justicePersonRecords', () => {
  it('makes the subject and each related person a record of their own, by event id', () => {
    const records = justicePersonRecords(sampleJusticeEvent() as unknown as JusticeEvent);
    expect(records.map((r) => [r.role, r.record.recordId, r.record.source])).toEqual([
      ['SUBJECT', 'JUS-20261120-0091:subject', 'justice:JUS-20261120-0091'],
      ['RELATED', 'JUS-20261120-0091:related-0', 'justice:JUS-20261120-0091'],
    ]);
    expect(records[0]!.record.fields).toEqual({ given_name: 'ROBERT', family_name: 'SAMPLE', dob: '1985-06-14', phones: ['07700900456'], attrs: { pnc_id: '09/123456H' } });
    expect(records[1]!.record.fields).toEqual({
      given_name: 'Joanne',
      family_name: 'Example-Tester',
      dob: '1991-04-03',
      phones: ['+44 7700 900123'],
      addresses: ['Flat 2, 10 Acacia Road, London SE11 4AA'],
    });
  });
});

describe('referenceAttrs', () => {
  it.each<[string | null, Record<string, string> | undefined]>([
    ['09/123456H', { pnc_id: '09/123456H' }],
    ['2008/0123456x', { pnc_id: '2008/0123456X' }],
    ['123456/91H', { cro_number: '123456/91H' }],
    // A custody record number names a detention, not a person: not compared.
    ['LX-CUST-2026-004471', undefined],
    ['  ', undefined],
    [null, undefined],
  ])('reads %s as %j', (ref, attrs) => {
    expect(referenceAttrs(ref)).toEqual(attrs);
  });
});
