import { describe, expect, it } from 'vitest';
import { createRng, weightedTable } from './random.ts';

const draws = (seed: string | number, n = 20) => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.next());
};

describe('createRng', () => {
  it('gives the same stream for the same seed', () => {
    expect(draws(7)).toEqual(draws(7));
    expect(draws('7')).toEqual(draws(7));
  });

  it('gives a different stream for a different seed', () => {
    expect(draws(7)).not.toEqual(draws(8));
  });

  it('gives numbers in [0, 1) spread over the interval', () => {
    const xs = draws('spread', 10_000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });

  it('keeps int within its bounds, both ends reachable', () => {
    const rng = createRng('int');
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const n = rng.int(3, 7);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(7);
      seen.add(n);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('refuses an empty pick and bad int bounds with a RangeError', () => {
    const rng = createRng(1);
    expect(() => rng.pick([])).toThrow(RangeError);
    expect(() => rng.int(5, 1)).toThrow(RangeError);
    expect(() => rng.weighted([['a', 0]])).toThrow(RangeError);
  });

  it('draws weighted items in proportion to their weights', () => {
    const rng = createRng('weighted');
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 20_000; i++) counts[rng.weighted([['a', 1], ['b', 3], ['c', 0]] as const)]++;
    expect(counts.c).toBe(0);
    expect(counts.b / counts.a).toBeGreaterThan(2.7);
    expect(counts.b / counts.a).toBeLessThan(3.3);
  });

  it('weightedTable agrees in proportion with weighted', () => {
    const table = weightedTable([['x', 9], ['y', 1]] as const);
    const rng = createRng('table');
    let x = 0;
    for (let i = 0; i < 10_000; i++) if (table(rng) === 'x') x++;
    expect(x / 10_000).toBeGreaterThan(0.88);
    expect(x / 10_000).toBeLessThan(0.92);
  });

  it('shuffles into a permutation and leaves the input alone', () => {
    const input = Array.from({ length: 50 }, (_, i) => i);
    const out = createRng('shuffle').shuffle(input);
    expect(out).not.toEqual(input);
    expect([...out].sort((a, b) => a - b)).toEqual(input);
    expect(input[0]).toBe(0);
  });

  it('gives roughly normal values with the mean and spread asked for', () => {
    const rng = createRng('normal');
    const xs = Array.from({ length: 10_000 }, () => rng.normal(10, 2));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(10, 1);
    expect(sd).toBeGreaterThan(1.9);
    expect(sd).toBeLessThan(2.1);
  });

  it('forks independent streams without advancing the parent', () => {
    const a = createRng('parent');
    const b = createRng('parent');
    const fork = a.fork('child');
    fork.next();
    expect(a.next()).toBe(b.next());
    expect(createRng('parent').fork('child').next()).toBe(createRng('parent').fork('child').next());
    expect(createRng('parent').fork('child').next()).not.toBe(createRng('parent').fork('other').next());
  });
});
