import { describe, expect, it } from 'vitest';
import { asciiDigits, capInput, foldLetters, MAX_INPUT_CHARS, normaliseText } from './text.ts';

describe('asciiDigits', () => {
  it.each([
    ['０７９', '079'],
    ['٠٧٩', '079'],
    ['۰۷۹', '079'],
    ['०७९', '079'],
    ['০৭৯', '079'],
    ['𝟎𝟕𝟗', '079'],
    ['𝟘𝟟𝟡', '079'],
    ['tel 07', 'tel 07'],
  ])('turns %j into %j', (text, ascii) => {
    expect(asciiDigits(text)).toBe(ascii);
  });
});

describe('foldLetters', () => {
  it.each([
    ['Zoë', 'zoe'],
    ['SEÁN', 'sean'],
    ['Łukasz', 'lukasz'],
    ['Straße', 'strasse'],
    ['Ødegård', 'odegard'],
    ['Þór', 'thor'],
    ['Йосиф', 'yosif'],
    ['İlker', 'ilker'],
  ])('folds %j to %j', (text, folded) => {
    expect(foldLetters(text)).toBe(folded);
  });
});

describe('normaliseText and capInput', () => {
  it('turns full-width letters and ligatures into ASCII', () => {
    expect(normaliseText('Ｓｍｉｔｈ ﬁ')).toBe('Smith fi');
  });

  it('cuts long input without splitting a surrogate pair', () => {
    const raw = 'a'.repeat(MAX_INPUT_CHARS - 1) + '😀' + 'b';
    const { text, truncated } = capInput(raw);
    expect(truncated).toBe(true);
    expect(text).toBe('a'.repeat(MAX_INPUT_CHARS - 1));
  });

  it('reads null and non-strings safely', () => {
    expect(capInput(null)).toEqual({ text: '', truncated: false });
    expect(capInput(42)).toEqual({ text: '42', truncated: false });
  });
});
