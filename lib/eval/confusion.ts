/**
 * Confusion matrices: rows are true classes, columns predicted classes. Plain `number[][]` so
 * they serialise to JSON (evaluation_metrics.json, share links) unchanged.
 */
import { NUM_CLASSES } from "../core/classes";

/** K x K counts, rows = true class, columns = predicted class. */
export type ConfusionMatrix = number[][];

/** Index of the largest probability in each row of `probs` [N*k] (ties → lowest index). Returns [N]. */
export function argmaxRows(probs: ArrayLike<number>, k: number = NUM_CLASSES): Uint8Array {
  if (probs.length % k !== 0) throw new Error(`probs length ${probs.length} is not a multiple of ${k}`);
  const n = probs.length / k;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestP = probs[i * k];
    for (let c = 1; c < k; c++) {
      const p = probs[i * k + c];
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}

/** Counts [k][k] from true labels [N] and predicted classes [N] (both 0..k-1). */
export function confusionMatrix(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  k: number = NUM_CLASSES,
): ConfusionMatrix {
  if (labels.length !== predicted.length)
    throw new Error(`labels (${labels.length}) and predictions (${predicted.length}) differ in length`);
  const cm: ConfusionMatrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i];
    const p = predicted[i];
    if (!(t >= 0 && t < k) || !(p >= 0 && p < k))
      throw new Error(`class out of range at ${i}: true ${t}, predicted ${p}`);
    cm[t][p]++;
  }
  return cm;
}

/** Counts [k][k] from true labels [N] and class probabilities [N*k] (prediction = argmax). */
export function confusionFromProbs(
  labels: ArrayLike<number>,
  probs: ArrayLike<number>,
  k: number = NUM_CLASSES,
): ConfusionMatrix {
  return confusionMatrix(labels, argmaxRows(probs, k), k);
}

/** Row-normalised shares (each row sums to 1; a row with no samples stays all zeros). */
export function rowShares(cm: ConfusionMatrix): number[][] {
  return cm.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (total > 0 ? v / total : 0));
  });
}

/** Total number of samples counted in `cm`. */
export function confusionTotal(cm: ConfusionMatrix): number {
  let s = 0;
  for (const row of cm) for (const v of row) s += v;
  return s;
}
