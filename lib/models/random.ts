/** Seeded randomness for the training loop (batch order); pure, no tfjs. */

import { mulberry32 } from "../core/random";

export { mulberry32 };

/** Fisher–Yates shuffle of a copy of `values`, seeded. */
export function shuffled(values: Int32Array, seed: number): Int32Array {
  const out = Int32Array.from(values);
  const rand = mulberry32(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}

/**
 * Inverse-frequency class weights, sklearn's "balanced": w_c = N / (C * n_c); 0 for absent classes.
 * @returns Float32Array [numClasses]
 */
export function balancedClassWeights(labels: ArrayLike<number>, numClasses: number): Float32Array {
  const counts = new Float64Array(numClasses);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  const w = new Float32Array(numClasses);
  for (let c = 0; c < numClasses; c++) w[c] = counts[c] > 0 ? labels.length / (numClasses * counts[c]) : 0;
  return w;
}
