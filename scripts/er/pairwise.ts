// Pairwise quality of a clustering against the truth: a pair is two records
// of the same person. Precision = true pairs found / pairs found; recall =
// true pairs found / true pairs; F1 their harmonic mean. And blocking
// recall: the share of true pairs that share at least one block key (the
// ceiling on recall, since other pairs are never compared). Pure.

export type PairwiseFigures = {
  records: number;
  truePairs: number;
  predictedPairs: number;
  correctPairs: number;
  precision: number;
  recall: number;
  f1: number;
};

const pairs = (n: number): number => (n * (n - 1)) / 2;

/** truth and predicted: recordId → cluster, over the same records. */
export function pairwise(truth: Map<string, string>, predicted: Map<string, string>): PairwiseFigures {
  const trueSizes = new Map<string, number>();
  const predSizes = new Map<string, number>();
  const cells = new Map<string, number>();
  for (const [recordId, t] of truth) {
    const p = predicted.get(recordId) ?? `unresolved:${recordId}`;
    trueSizes.set(t, (trueSizes.get(t) ?? 0) + 1);
    predSizes.set(p, (predSizes.get(p) ?? 0) + 1);
    const cell = `${t}\u0000${p}`;
    cells.set(cell, (cells.get(cell) ?? 0) + 1);
  }
  let truePairs = 0;
  let predictedPairs = 0;
  let correctPairs = 0;
  for (const n of trueSizes.values()) truePairs += pairs(n);
  for (const n of predSizes.values()) predictedPairs += pairs(n);
  for (const n of cells.values()) correctPairs += pairs(n);
  const precision = predictedPairs === 0 ? 1 : correctPairs / predictedPairs;
  const recall = truePairs === 0 ? 1 : correctPairs / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { records: truth.size, truePairs, predictedPairs, correctPairs, precision, recall, f1 };
}

/** Share of true pairs whose records share at least one block key. */
export function blockingRecall(truth: Map<string, string>, keysOf: Map<string, readonly string[]>): number {
  const clusters = new Map<string, string[]>();
  for (const [recordId, cluster] of truth) {
    const members = clusters.get(cluster);
    if (members) members.push(recordId);
    else clusters.set(cluster, [recordId]);
  }
  let total = 0;
  let together = 0;
  for (const members of clusters.values()) {
    const sets = members.map((id) => new Set(keysOf.get(id) ?? []));
    for (let i = 0; i < sets.length; i++) {
      for (let j = i + 1; j < sets.length; j++) {
        total += 1;
        const [small, large] = sets[i]!.size <= sets[j]!.size ? [sets[i]!, sets[j]!] : [sets[j]!, sets[i]!];
        for (const key of small) {
          if (large.has(key)) {
            together += 1;
            break;
          }
        }
      }
    }
  }
  return total === 0 ? 1 : together / total;
}
