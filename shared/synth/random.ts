// A small seeded pseudo-random generator for synthetic data: sfc32 (Chris
// Doty-Humphrey's Small Fast Counting generator, 128-bit state, passes
// PractRand to 2^60 bytes), seeded through a string hash (cyrb128). The same
// seed gives the same stream on every platform and Node version; nothing here
// reads the clock or Math.random. `fork(label)` derives an independent stream,
// so adding a draw in one part of the generator does not shift every draw
// after it in another (the population and each typing of a person draw from
// their own forks).

export type Rng = {
  /** The seed this stream was made from (a fork's seed is "<parent>/<label>"). */
  readonly seed: string;
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** One element, uniformly. Throws a RangeError on an empty list. */
  pick<T>(items: readonly T[]): T;
  /** One element, with probability proportional to its weight (weights ≥ 0, not all 0). */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** True with probability p (clamped to [0, 1]). */
  chance(p: number): boolean;
  /** A shuffled copy (Fisher–Yates); the input is left alone. */
  shuffle<T>(items: readonly T[]): T[];
  /** Roughly normal (Box–Muller), mean and standard deviation as given. */
  normal(mean: number, sd: number): number;
  /** An independent stream derived from this one's seed and a label; does not advance this stream. */
  fork(label: string | number): Rng;
};

/** Creates a seeded stream. Numbers and strings are both fine as seeds ("7" and 7 are the same seed). */
export function createRng(seed: string | number): Rng {
  const seedText = String(seed);
  const [a0, b0, c0, d0] = cyrb128(seedText);
  let a = a0, b = b0, c = c0, d = d0;
  const next = (): number => {
    // sfc32: all arithmetic in 32 bits.
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Warm up: the first outputs of sfc32 from a hashed seed are fine, but
  // discarding a few is the customary belt and braces.
  for (let i = 0; i < 12; i++) next();

  const rng: Rng = {
    seed: seedText,
    next,
    int(min, max) {
      if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) throw new RangeError(`int(${min}, ${max}): give integers with min ≤ max`);
      return min + Math.floor(next() * (max - min + 1));
    },
    pick(items) {
      if (items.length === 0) throw new RangeError('pick: the list is empty');
      return items[Math.floor(next() * items.length)]!;
    },
    weighted(items) {
      let total = 0;
      for (const [, w] of items) total += w > 0 ? w : 0;
      if (!(total > 0)) throw new RangeError('weighted: give at least one item with a positive weight');
      let r = next() * total;
      for (const [item, w] of items) {
        if (w <= 0) continue;
        r -= w;
        if (r < 0) return item;
      }
      // Floating-point rounding: the last positive item.
      for (let i = items.length - 1; i >= 0; i--) if (items[i]![1] > 0) return items[i]![0];
      throw new RangeError('weighted: unreachable');
    },
    chance(p) {
      return next() < Math.min(1, Math.max(0, p));
    },
    shuffle(items) {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
    normal(mean, sd) {
      const u = 1 - next(); // (0, 1]: log(0) is never taken
      const v = next();
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    fork(label) {
      return createRng(`${seedText}/${label}`);
    },
  };
  return rng;
}

/** A weighted picker built once for a long list (binary search over cumulative weights). */
export function weightedTable<T>(items: readonly (readonly [T, number])[]): (rng: Rng) => T {
  const values: T[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const [item, w] of items) {
    if (!(w > 0)) continue;
    total += w;
    values.push(item);
    cumulative.push(total);
  }
  if (values.length === 0) throw new RangeError('weightedTable: give at least one item with a positive weight');
  return (rng) => {
    const r = rng.next() * total;
    let lo = 0, hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return values[lo]!;
  };
}

/** cyrb128 (bryc): a fast 128-bit string hash, used only to spread a seed over sfc32's state. */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
