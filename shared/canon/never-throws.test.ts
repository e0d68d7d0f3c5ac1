import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicaliseAddress, canonicaliseDob, canonicaliseName, canonicalisePhone, MAX_INPUT_CHARS } from './index.ts';

// Call handlers type under pressure and systems paste whatever they hold:
// no string, however long or strange, may make a canonicaliser throw.

const referenceDate = new Date('2025-06-15T00:00:00Z');
const canonicalisers: [string, (raw: string) => { raw: string; flags: readonly string[] }][] = [
  ['phone', (raw) => canonicalisePhone(raw)],
  ['name', (raw) => canonicaliseName(raw)],
  ['address', (raw) => canonicaliseAddress(raw)],
  ['dob', (raw) => canonicaliseDob(raw, { referenceDate })],
];

// Any code point, and lone UTF-16 surrogates, which fast-check's Unicode
// units never produce but a broken upstream encoder can.
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u));
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.string({ unit: anyCodeUnit, maxLength: 200 }),
  fc.string({ unit: fc.constantFrom('0', '7', '+', ' ', ',', '/', 'flat', 'st', "'", '-', 'é', '\u0301', '٣', 'ﬁ', 'İ', 'ß', '\u200b', '\n'), maxLength: 80 }),
);

describe.each(canonicalisers)('%s canonicaliser', (_kind, canonicalise) => {
  it('never throws on arbitrary Unicode', () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        const result = canonicalise(raw);
        expect(Array.isArray(result.flags)).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it('never throws on very long strings, reads only the first MAX_INPUT_CHARS and flags the cut', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 50 }), fc.integer({ min: 600, max: 200_000 }), (piece, length) => {
        const raw = piece.repeat(Math.ceil(length / piece.length)).slice(0, length);
        const result = canonicalise(raw);
        expect(result.raw.length).toBeLessThanOrEqual(MAX_INPUT_CHARS);
        expect(result.flags).toContain('truncated');
      }),
      { numRuns: 100 },
    );
  });

  it('never throws on values that are not strings', () => {
    for (const value of [null, undefined, 42, {}, [], { toString: () => { throw new Error('hostile'); } }]) {
      expect(() => canonicalise(value as unknown as string)).not.toThrow();
    }
  });
});

describe('record inputs', () => {
  it('never throw on fields of the wrong type', () => {
    const odd = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant(undefined), fc.array(fc.string()), fc.object());
    fc.assert(
      fc.property(odd, odd, odd, (a, b, c) => {
        expect(() => canonicaliseName({ given: a, family: b, full: c } as never)).not.toThrow();
        expect(() => canonicaliseAddress({ lines: a, postcode: b, uprn: c } as never)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});
