import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { partyRecordId } from './party-record.ts';
import { relatedRecordId, subjectRecordId } from './justice-person-record.ts';
import { recordIdPart } from './record-id.ts';

describe('record ids', () => {
  it('leave ordinary ids as they are', () => {
    expect(partyRecordId('evt-4471-v1', 'P1')).toBe('evt-4471-v1:P1');
    expect(partyRecordId('0b7c7d2e-5a0e-4c1e-9d0f-3f7a1e0c2b11', 'P12')).toBe('0b7c7d2e-5a0e-4c1e-9d0f-3f7a1e0c2b11:P12');
    expect(subjectRecordId('JE-1')).toBe('JE-1:subject');
  });

  it('escape colons, spaces, braces and the escape itself in the party\'s part', () => {
    expect(partyRecordId('CAD-1:v1', 'P1')).toBe('CAD-1:v1:P1');
    expect(partyRecordId('a:b', 'c')).toBe('a:b:c');
    expect(partyRecordId('a', 'b:c')).toBe('a:b%3Ac');
    expect(partyRecordId('evt {g}', 'P 1%')).toBe('evt {g}:P%201%25');
    expect(relatedRecordId('e', 0)).toBe('e:related-0');
    // The justice persons of event "e" and the parties of a call "e:related" are told apart.
    expect(partyRecordId('e:related', '0')).toBe('e:related:0');
  });

  it('never give two (event, party) pairs one id', () => {
    const part = fc.string({ unit: fc.constantFrom('a', ':', '%', '3', 'A', ' ', '{', '}', '\t', 'é'), maxLength: 6 });
    fc.assert(
      fc.property(part, part, part, part, (e1, p1, e2, p2) => {
        fc.pre(e1 !== e2 || p1 !== p2);
        expect(partyRecordId(e1, p1)).not.toBe(partyRecordId(e2, p2));
      }),
      { numRuns: 20_000 },
    );
  });

  it('write a part with no colon, space or brace left in it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(recordIdPart(s)).not.toMatch(/[:\s{}]/u);
      }),
    );
  });
});
