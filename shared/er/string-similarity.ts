// String similarity for comparisons: Jaro–Winkler (Winkler 1990) for names,
// Levenshtein (fast-levenshtein) for codes and dates. Pure.

import levenshtein from 'fast-levenshtein';

let matchedA = new Uint8Array(64);
let matchedB = new Uint8Array(64);

/**
 * Jaro–Winkler similarity in [0, 1]; prefix scale 0.1, prefix up to 4
 * characters. 0 when either is empty.
 *
 * Remembered per pair: scoring asks for the same pairs of names, towns and
 * occupations over and over (every member of every candidate of every
 * record), and looking a pair up costs a fraction of working it out. The
 * memory is bounded (forgotten all at once when full).
 */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 0 : 1;
  let row = remembered.get(a);
  if (row === undefined) {
    if (rememberedPairs >= REMEMBERED_PAIRS) {
      remembered.clear();
      rememberedPairs = 0;
    }
    remembered.set(a, (row = new Map()));
  }
  let similarity = row.get(b);
  if (similarity === undefined) {
    row.set(b, (similarity = computeJaroWinkler(a, b)));
    rememberedPairs++;
  }
  return similarity;
}

const remembered = new Map<string, Map<string, number>>();
let rememberedPairs = 0;
const REMEMBERED_PAIRS = 200_000;

function computeJaroWinkler(a: string, b: string): number {
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  // Scratch buffers reused across calls: names are short, and this runs
  // hundreds of times per record.
  if (la > matchedA.length || lb > matchedB.length) {
    matchedA = new Uint8Array(Math.max(la, lb) * 2);
    matchedB = new Uint8Array(Math.max(la, lb) * 2);
  }
  matchedA.fill(0, 0, la);
  matchedB.fill(0, 0, lb);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(lb - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (matchedB[j] || a.charCodeAt(i) !== b.charCodeAt(j)) continue;
      matchedA[i] = 1;
      matchedB[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (!matchedA[i]) continue;
    while (!matchedB[k]) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const jaro = (matches / la + matches / lb + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < la && prefix < lb && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Levenshtein edit distance. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  return levenshtein.get(a, b);
}
