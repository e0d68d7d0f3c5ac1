import { describe, expect, it } from 'vitest';
import { BOROUGHS, boroughByCode, isMetBorough } from './boroughs.ts';

describe('Met boroughs', () => {
  it('are the 32 London boroughs E09000002..E09000033, without the City of London', () => {
    expect(BOROUGHS.map((b) => b.code)).toEqual(Array.from({ length: 32 }, (_, i) => `E090000${String(i + 2).padStart(2, '0')}`));
    expect(isMetBorough('E09000001')).toBe(false);
  });

  it('fall into 12 BCUs of two to four boroughs', () => {
    const sizes = new Map<string, number>();
    for (const b of BOROUGHS) sizes.set(b.bcu, (sizes.get(b.bcu) ?? 0) + 1);
    expect(sizes.size).toBe(12);
    for (const size of sizes.values()) expect(size).toBeGreaterThanOrEqual(2);
    expect(boroughByCode('E09000022')).toEqual({ code: 'E09000022', name: 'Lambeth', bcu: 'Central South (AS)' });
  });
});
