import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicaliseName } from './name.ts';
import { nicknameGroups } from './nicknames.ts';

// Invented names, common enough to be no one in particular.

describe('canonicaliseName: order and tokens', () => {
  it.each([
    ['John Smith', ['john'], ['smith'], []],
    ['SMITH, John', ['john'], ['smith'], ['order_from_comma']],
    ['Smith, John Paul', ['john', 'paul'], ['smith'], ['order_from_comma']],
    ['John SMITH', ['john'], ['smith'], ['order_from_capitals']],
    ['SMITH John', ['john'], ['smith'], ['order_from_capitals']],
    ['Helena BONHAM CARTER', ['helena'], ['bonham', 'carter'], ['order_from_capitals']],
    ['JOHN SMITH', ['john'], ['smith'], []],
    ['john smith', ['john'], ['smith'], []],
    ['Ana de la Cruz', ['ana'], ['de', 'la', 'cruz'], []],
    ['Pieter van der Berg', ['pieter'], ['van', 'der', 'berg'], []],
  ])('reads %j as given %j, family %j', (raw, given, family, flags) => {
    const result = canonicaliseName(raw);
    expect(result.given).toEqual(given);
    expect(result.family).toEqual(family);
    expect(result.flags).toEqual(flags);
  });

  it('reads a record with separate fields', () => {
    const result = canonicaliseName({ given: 'Mrs Mary Anne', family: 'Smith-Jones' });
    expect(result.given).toEqual(['mary', 'anne']);
    expect(result.family).toEqual(['smith-jones']);
    expect(result.titles).toEqual(['mrs']);
  });

  it('reads a full name from the full field', () => {
    expect(canonicaliseName({ full: 'SMITH, John' }).keys.family).toBe('smith');
  });
});

describe('canonicaliseName: folding for matching, original for display', () => {
  it.each([
    ['Seán O’Brien', 'sean', 'obrien'],
    ["sean o'brien", 'sean', 'obrien'],
    ['SEAN OBRIEN', 'sean', 'obrien'],
    ["Maria D'Souza", 'maria', 'dsouza'],
    ['Zoë Müller', 'zoe', 'muller'],
    ['Łukasz Wałęsa', 'lukasz', 'walesa'],
    ['Søren Ødegård', 'soren', 'odegard'],
    ['Алексей Иванов', 'aleksey', 'ivanov'],
    ['Ｊｏｈｎ Ｓｍｉｔｈ', 'john', 'smith'],
  ])('folds %j to %s %s', (raw, given, family) => {
    const result = canonicaliseName(raw);
    expect(result.keys.given).toBe(given);
    expect(result.keys.family).toBe(family);
  });

  it('keeps the name as typed for display', () => {
    const result = canonicaliseName('Mr Seán O’Brien Jr');
    expect(result.display).toEqual({ given: 'Seán', family: "O'Brien", full: "Seán O'Brien" });
    expect(result.raw).toBe('Mr Seán O’Brien Jr');
  });

  it.each([['MacDonald'], ['McDonald'], ['Mc Donald'], ['macdonald'], ['MCDONALD']])('writes %j as mcdonald', (family) => {
    expect(canonicaliseName(`Robert ${family}`).keys.family).toBe('mcdonald');
  });

  it('gives a double-barrelled name its whole and each part as keys', () => {
    for (const raw of ['Mary Smith-Jones', 'Mary Smith - Jones', 'SMITH JONES, Mary', 'Mary SMITH-JONES']) {
      expect(canonicaliseName(raw).keys.familyParts).toEqual(['smithjones', 'smith', 'jones']);
    }
  });

  it('gives a name with particles its core as a key too', () => {
    expect(canonicaliseName('Pieter van der Berg').keys.familyParts).toEqual(['vanderberg', 'berg']);
    expect(canonicaliseName('Omar Al-Rashid').keys.familyParts).toEqual(['alrashid', 'rashid']);
  });
});

describe('canonicaliseName: titles, suffixes, initials, aliases', () => {
  it.each([
    ['Mr John Smith', ['mr'], []],
    ['Dr. Jane Smith PhD', ['dr'], ['phd']],
    ['Mrs Ms Jane Smith', ['mrs', 'ms'], []],
    ['John Smith Jr', [], ['jr']],
    ['John Smith Snr.', [], ['snr']],
    ['Smith, Mr John', ['mr'], []],
    ['John Smith, Jr', [], ['jr']],
    ['Smith, Mr', ['mr'], []],
  ])('removes the title and suffix of %j', (raw, titles, suffixes) => {
    const result = canonicaliseName(raw);
    expect(result.titles).toEqual(titles);
    expect(result.suffixes).toEqual(suffixes);
    expect(result.keys.family).toBe('smith');
  });

  it('keeps a lone title-like word as the name', () => {
    expect(canonicaliseName('Miss').family).toEqual(['miss']);
  });

  it.each([['J. R. Smith'], ['J.R. Smith'], ['JR Smith'], ['J R SMITH'], ['Smith, J.R.']])('reads %j as initials J R', (raw) => {
    const result = canonicaliseName(raw);
    expect(result.keys.initials).toBe('jr');
    expect(result.keys.family).toBe('smith');
    expect(result.flags).toContain('initials_only');
  });

  it('gives initials for middle names too', () => {
    expect(canonicaliseName('John Paul George Smith').keys.initials).toBe('jpg');
  });

  it.each([
    ['John Smith aka Jack Jones', ['jack'], ['jones']],
    ['John Smith a.k.a. Jack Jones', ['jack'], ['jones']],
    ['John Smith AKA Jacko', ['jacko'], ['smith']],
    ['John Smith alias Jack Jones', ['jack'], ['jones']],
    ['John "Jack" Smith', ['jack'], ['smith']],
    ['John (Jack) Smith', ['jack'], ['smith']],
    ['Jane Smith née Jones', ['jane'], ['jones']],
    ['Jane Smith nee Jones', ['jane'], ['jones']],
    ['John Smith / Jack Jones', ['jack'], ['jones']],
  ])('keeps the alias of %j', (raw, given, family) => {
    const result = canonicaliseName(raw);
    expect(result.aliases).toHaveLength(1);
    expect(result.aliases[0]).toMatchObject({ given, family });
    expect(result.flags).toContain('alias');
    expect(result.family).toEqual(['smith']);
  });
});

describe('canonicaliseName: nicknames and sounds', () => {
  it.each([
    [['Bob', 'Rob', 'Robbie', 'Robert'], 'robert'],
    [['Bill', 'Will', 'Liam', 'William'], 'william'],
    [['Peggy', 'Maggie', 'Margaret'], 'margaret'],
    [['Jim', 'Jimmy', 'James'], 'james'],
    [['Mohammed', 'Muhammad', 'Mohamed', 'Mohammad', 'Muhammed'], 'muhammad'],
    [['Aleksandr', 'Alexander', 'Sasha', 'Alex'], 'alexander'],
    [['Yusuf', 'Youssef', 'Yousef'], 'yusuf'],
    [['Siobhan', 'Shivaun'], 'siobhan'],
    // Short forms used in London's communities: a caller gives the one she is known by.
    [['Oluwafemi', 'Femi'], 'oluwafemi'],
    [['Chukwuemeka', 'Emeka'], 'chukwuemeka'],
    [['Katarzyna', 'Kasia'], 'katarzyna'],
    [['Małgorzata', 'Gosia'], 'malgorzata'],
    [['Krzysztof', 'Christopher', 'Chris'], 'christopher'],
    [['Konstantinos', 'Kostas'], 'konstantinos'],
    [['Sukhwinder', 'Sukhi'], 'sukhwinder'],
    [['Kwadwo', 'Kojo'], 'kwadwo'],
  ])('puts %j in the %s group', (names, group) => {
    for (const name of names) expect(canonicaliseName(`${name} Smith`).keys.givenGroups).toContain(group);
  });

  it('puts a name in several groups when it is short for several', () => {
    expect(nicknameGroups('bert')).toEqual(expect.arrayContaining(['albert', 'robert']));
  });

  it('gives a name in no group itself as its group', () => {
    expect(canonicaliseName('Zebedee Smith').keys.givenGroups).toEqual(['zebedee']);
  });

  it.each([
    ['Smith', 'Smyth'],
    ['Katherine', 'Catherine'],
    ['Mohammed', 'Muhammad'],
    ['Schmidt', 'Smith'],
  ])('gives %s and %s a phonetic key in common', (a, b) => {
    const sounds = (word: string) => canonicaliseName(word).keys.familySound;
    expect(sounds(a).some((code) => sounds(b).includes(code))).toBe(true);
  });

  it('gives given names phonetic keys too', () => {
    expect(canonicaliseName('Stephen Smith').keys.givenSound).toEqual(canonicaliseName('Steven Smith').keys.givenSound);
  });
});

describe('canonicaliseName: swapped order', () => {
  it('gives a name typed family-first the keys of the same name typed family-last', () => {
    const familyLast = canonicaliseName('John Smith');
    const familyFirst = canonicaliseName('Smith John');
    expect(familyFirst.swapped).toEqual(familyLast.keys);
    expect(familyLast.swapped).toEqual(familyFirst.keys);
  });

  it('reverses a comma or capitals reading too', () => {
    expect(canonicaliseName('SMITH, John').swapped?.family).toBe('john');
    expect(canonicaliseName('John SMITH').swapped?.family).toBe('john');
  });

  it('reads a single word both ways', () => {
    const result = canonicaliseName('Smith');
    expect(result.keys.family).toBe('smith');
    expect(result.swapped?.given).toBe('smith');
    expect(result.flags).toContain('single_token');
  });
});

describe('canonicaliseName: what it cannot read', () => {
  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['12345', 'unparsed'],
    ['???', 'unparsed'],
  ])('flags %j as %s with no keys', (raw, flag) => {
    const result = canonicaliseName(raw);
    expect(result.flags).toContain(flag);
    expect(result.keys.family).toBe('');
    expect(result.swapped).toBeUndefined();
  });

  it('keeps a name in another script as written, without a sound', () => {
    const result = canonicaliseName('王小明');
    expect(result.keys.family).toBe('王小明');
    expect(result.keys.familySound).toEqual([]);
    expect(result.flags).toContain('non_latin');
  });
});

const GIVEN = ['John', 'Mary', 'Seán', 'Zoë', 'Anne-Marie', 'J', 'Bob', 'Mohammed', 'Aleksandr', 'Łukasz', 'Siobhan', 'Jean-Paul'];
const FAMILY = ['Smith', "O'Brien", 'MacDonald', 'Smith-Jones', 'de la Cruz', 'Müller', 'van der Berg', "D'Souza", 'Al-Rashid', 'Ødegård'];
const TITLES = ['', 'Mr ', 'Mrs ', 'Dr ', 'Ms '];
const SUFFIXES = ['', ' Jr', ' Snr', ' III'];

const typedName = fc
  .tuple(fc.array(fc.constantFrom(...GIVEN), { minLength: 1, maxLength: 3 }), fc.constantFrom(...FAMILY), fc.constantFrom(...TITLES), fc.constantFrom(...SUFFIXES), fc.integer({ min: 0, max: 3 }))
  .map(([given, family, title, suffix, form]) => {
    const g = given.join(' ');
    if (form === 0) return `${title}${g} ${family}${suffix}`;
    if (form === 1) return `${family.toUpperCase()}, ${title}${g}`;
    if (form === 2) return `${title}${g} ${family.toUpperCase()}${suffix}`;
    return `${title}${g.toLowerCase()} ${family.toLowerCase()}${suffix}`;
  });

describe('canonicaliseName: properties', () => {
  it('is idempotent: canonicalising the folded name again gives the same keys', () => {
    fc.assert(
      fc.property(fc.oneof(typedName, fc.string({ maxLength: 60 })), (raw) => {
        const first = canonicaliseName(raw);
        const again = canonicaliseName({ given: first.given.join(' '), family: first.family.join(' ') });
        if (first.keys.family === '' && first.keys.given === '') return;
        expect(again.keys).toEqual(first.keys);
        expect(again.given).toEqual(first.given);
        expect(again.family).toEqual(first.family);
      }),
      { numRuns: 1000 },
    );
  });

  it('gives the same keys whatever the case and spacing of a typed name', () => {
    fc.assert(
      fc.property(fc.constantFrom(...GIVEN), fc.constantFrom(...FAMILY), fc.constantFrom(' ', '  ', '\t'), (given, family, space) => {
        const plain = canonicaliseName(`${given} ${family}`).keys;
        expect(canonicaliseName(`${family.toUpperCase()},${space}${given}`).keys).toEqual(plain);
        expect(canonicaliseName(`${given}${space}${family.toUpperCase()}`).keys).toEqual(plain);
        expect(canonicaliseName(`${given.toLowerCase()}${space}${family.toLowerCase()}`).keys).toEqual(plain);
      }),
    );
  });
});
