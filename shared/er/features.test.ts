import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blockingKeys, termKeys } from './blocking.ts';
import { emailsInText, featuresOf } from './features.ts';
import type { PersonRecord } from './identity-store.ts';

const referenceDate = new Date('2026-01-01T00:00:00Z');
const MB = 1 << 20;

// The obvious regex for e-mails, the reference emailsInText must agree with:
// right on every input, but it backtracks cubically on a long run with an "@"
// and no dot.
const BACKTRACKING_EMAIL = /[^\s<>"',;()]+@[^\s<>"',;()]+\.[^\s<>"',;()]+/g;

describe('emailsInText', () => {
  it('finds what the backtracking regex found, on any text of e-mail-ish characters', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'B', '@', '.', ' ', '<', '>', ',', ';', '(', '"', "'", '\n', 'é'), maxLength: 40 });
    fc.assert(
      fc.property(text, (t) => {
        expect(emailsInText(t)).toEqual([...t.matchAll(BACKTRACKING_EMAIL)].map((m) => m[0]));
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads a display name and address as typed', () => {
    expect(emailsInText('Maria Sentosa<MSentosa@fmail.com>; j.o@x.co.uk.')).toEqual(['MSentosa@fmail.com', 'j.o@x.co.uk.']);
  });
});

// Hostile shapes of a megabyte each: one long run, an "@" with no dot after
// it (what made the regex cubic), separators only, digits, and alternations
// that make naive patterns backtrack. Each must finish, whatever field it is in.
const hostile: [string, string][] = [
  ['letters', 'a'.repeat(MB)],
  ['an @ and no dot', 'a@' + 'a'.repeat(MB)],
  ['@ and dots', '@.'.repeat(MB / 2)],
  ['many @', 'a@'.repeat(MB / 2)],
  ['spaces', ' '.repeat(MB)],
  ['digits', '7'.repeat(MB)],
  ['digits and spaces', '07 '.repeat(MB / 3)],
  ['dots', '.'.repeat(MB)],
  ['commas', 'a,'.repeat(MB / 2)],
  ['hyphens', 'a-'.repeat(MB / 2)],
  ['slashes', '1/'.repeat(MB / 2)],
  ['apostrophes', "o'".repeat(MB / 2)],
  ['postcode-like', 'SW1A 1AA '.repeat(MB / 9)],
  ['combining marks', 'e\u0301'.repeat(MB / 2)],
];

const recordOf = (text: string): PersonRecord => ({
  recordId: 'r1',
  source: 'test',
  fields: {
    given_name: text,
    family_name: text,
    full_name: text,
    aliases: [text],
    dob: text,
    phones: [text],
    emails: [text],
    addresses: [text],
    house_number: text,
    street: text,
    town: text,
    postcode: text,
    gender: text,
    attrs: { pnc_id: text, occupation: text },
  },
});

describe('featuresOf on hostile input', () => {
  // Finishing at all is the point: the cubic regex took hours on a megabyte. The
  // timeout is generous (a loaded machine), far below what any super-linear step would need.
  it.each(hostile)('reads a megabyte of %s in every field, and its keys', (_shape, text) => {
    const features = featuresOf(recordOf(text), { referenceDate });
    expect(features.recordId).toBe('r1');
    blockingKeys(features);
    termKeys(features);
  }, 30_000);

  it('de-duplicates 10,000 phones and e-mails in linear time, keeping first-seen order', () => {
    const phones = Array.from({ length: 10_000 }, (_, i) => `07700 9${String(i % 5_000).padStart(5, '0')}`);
    const emails = Array.from({ length: 10_000 }, (_, i) => `p${i % 5_000}@example.com`);
    const features = featuresOf({ recordId: 'r1', source: 'test', fields: { phones, emails } }, { referenceDate });
    expect(features.ph).toHaveLength(5_000);
    expect(features.ph![1]).toBe(featuresOf({ recordId: 'r2', source: 'test', fields: { phones: [phones[1]!] } }, { referenceDate }).ph![0]);
    expect(features.em).toHaveLength(5_000);
    expect(features.em![1]).toBe('p1@example.com');
  }, 30_000);
});
