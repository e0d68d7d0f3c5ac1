import { describe, expect, it } from 'vitest';
import { createRetryPolicy, decorrelatedJitterMs, exponentialCeilingMs, fullJitterMs } from './retry-policy.ts';

const config = { initialMs: 100, maxMs: 10_000 };
const always = (r: number) => () => r;

describe('the retry policy', () => {
  it('doubles the ceiling from initialMs on each attempt, capped at maxMs', () => {
    expect([1, 2, 3, 4, 8, 20].map((a) => exponentialCeilingMs(a, config))).toEqual([100, 200, 400, 800, 10_000, 10_000]);
  });

  it('draws full jitter from zero to the ceiling of the attempt', () => {
    expect(fullJitterMs(3, config, always(0))).toBe(0);
    expect(fullJitterMs(3, config, always(0.999_999))).toBe(400);
    expect(fullJitterMs(30, config, always(0.5))).toBe(5_000);
  });

  it('draws decorrelated jitter from initialMs to three times the previous delay, never past maxMs', () => {
    expect(decorrelatedJitterMs(100, config, always(0))).toBe(100);
    expect(decorrelatedJitterMs(100, config, always(0.999_999))).toBe(300);
    expect(decorrelatedJitterMs(9_000, config, always(0.999_999))).toBe(10_000);
  });

  it('gives each failing message a fresh sequence that grows and stays within its bounds', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647);
    for (const jitter of ['full', 'decorrelated'] as const) {
      const policy = createRetryPolicy({ ...config, jitter }, random);
      const delays = Array.from({ length: 50 }, policy.backoff().next);
      expect(delays.every((d) => Number.isInteger(d) && d >= (jitter === 'full' ? 0 : 100) && d <= 10_000)).toBe(true);
      expect(Math.max(...delays.slice(10))).toBeGreaterThan(1_000);
    }
    const upper = createRetryPolicy({ ...config, jitter: 'decorrelated' }, always(0.999_999));
    expect(Array.from({ length: 6 }, upper.backoff().next)).toEqual([300, 900, 2_700, 8_100, 10_000, 10_000]);
    // A new message starts again from the bottom.
    expect(upper.backoff().next()).toBe(300);
  });

  it('defaults to decorrelated jitter, which never retries at once', () => {
    const policy = createRetryPolicy(config, always(0));
    expect(Array.from({ length: 5 }, policy.backoff().next)).toEqual([100, 100, 100, 100, 100]);
  });
});
