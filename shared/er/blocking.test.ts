import { describe, expect, it } from 'vitest';
import { blockingKeys, termKeys } from './blocking.ts';
import type { PersonFields } from './identity-store.ts';
import { features } from './test-support/records.ts';

const shareAKey = (a: PersonFields, b: PersonFields): boolean => {
  const keys = new Set(blockingKeys(features(a, 'a')));
  return blockingKeys(features(b, 'b')).some((k) => keys.has(k));
};

describe('blocking keys', () => {
  const base: PersonFields = { given_name: 'Agnes', family_name: 'Beaumont', dob: '1652-03-21', postcode: 'SG18 9TB' };

  it('are prefixed by the rule that made them, with no duplicates', () => {
    const keys = blockingKeys(features(base));
    expect(keys.length).toBe(new Set(keys).size);
    for (const key of keys) expect(key).toMatch(/^[a-z+]+:/);
    expect(keys).toContain('f+y:beaumont|1652');
  });

  it('bring together a typo, a swapped name, a nickname and a day/month swap of one person', () => {
    expect(shareAKey(base, { ...base, family_name: 'Bequmont', postcode: undefined })).toBe(true);
    expect(shareAKey(base, { given_name: 'Beaumont', family_name: 'Agnes' })).toBe(true);
    expect(shareAKey(base, { given_name: 'Nessie', family_name: 'Beaumont', dob: '1652-03-21' })).toBe(true);
    expect(shareAKey({ given_name: 'Bob', family_name: 'Smith', dob: '12/03/1985' }, { given_name: 'Robert', family_name: 'Smyth', dob: '1985-12-03' })).toBe(true);
    expect(shareAKey({ given_name: 'Jo', family_name: 'Blogs', phones: ['07700 900123'] }, { family_name: 'Unrelated', phones: ['+447700900123'] })).toBe(true);
  });

  it('file a mistyped year under the family name\'s sound with the day and month, and no broader sound', () => {
    expect(blockingKeys(features(base)).filter((k) => k.startsWith('ns+md:'))).toEqual(['ns+md:PMNT|03-21']);
    expect(shareAKey(base, { given_name: 'Agnes', family_name: 'Beaumont', dob: '1625-03-21' })).toBe(true);
  });

  it('keep different people apart', () => {
    expect(shareAKey(base, { given_name: 'Moses', family_name: 'Gaster', dob: '1856-09-17', postcode: 'EX20 3PZ' })).toBe(false);
  });

  it('count the record once in each term it carries', () => {
    expect(termKeys(features(base))).toEqual(['family_name:beaumont', 'given_name:agnes', 'dob:1652-03-21', 'postcode:SG189TB']);
  });
});
