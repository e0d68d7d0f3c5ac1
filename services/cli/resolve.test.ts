import { describe, expect, it } from 'vitest';
import { parseResolveArgs } from './resolve.ts';

const required = ['--input', 'people.csv', '--id-column', 'id', '--map', 'first=given_name,last=family_name', '--out', 'out.csv'];

describe('dauntless resolve arguments', () => {
  it('reads the required options and maps columns onto person fields', () => {
    const options = parseResolveArgs([...required, '--map', 'pnc=attr:pnc_id', '--reference-date', '2026-11-25']);
    expect(options.input).toBe('people.csv');
    expect(options.mapping.map((m) => m.column)).toEqual(['first', 'last', 'pnc']);
    expect(options.referenceDate.toISOString()).toBe('2026-11-25T00:00:00.000Z');
    expect(options.fresh).toBe(false);
  });

  it('says what is missing or wrong', () => {
    expect(() => parseResolveArgs(required.slice(2))).toThrow('--input is required');
    expect(() => parseResolveArgs([...required, '--map', 'x=shoe_size'])).toThrow(/unknown field "shoe_size"/);
    expect(() => parseResolveArgs([...required, '--colour', 'red'])).toThrow('unknown option --colour');
    expect(() => parseResolveArgs([...required, '--reference-date', '25/11/2026'])).toThrow(/write YYYY-MM-DD/);
  });

  it('refuses to empty the shared graph', () => {
    expect(() => parseResolveArgs([...required, '--fresh'])).toThrow(/name a graph of your own/);
    expect(parseResolveArgs([...required, '--fresh', '--graph', 'batch:{mine}']).fresh).toBe(true);
  });
});
