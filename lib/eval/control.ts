/**
 * Shuffled-label control: the same pipeline trained and scored on labels permuted at random
 * within each part must score the chance level of its own prediction mix (chance.ts). If it
 * scores above, something leaks: evaluation on training rows, or parts that overlap. Look-ahead
 * inside the features is not caught this way (the shuffled labels no longer match the leaked
 * future either); the truncation test guards against it (lib/run/planted-leak.test.ts).
 */
import type { SplitIndices } from "../core/dataset";
import { mulberry32, shuffleInPlace } from "./random";

/**
 * Returns a copy of the per-row labels [T] in which the labels at rows `ends` (one part's sample
 * rows) are permuted among themselves (seeded Fisher–Yates); every other row is unchanged. The
 * class mix of the part is preserved exactly, so baselines fitted on the part are unchanged while
 * any link between features and labels is destroyed.
 */
export function permuteLabelsWithinPart<L extends Int8Array | Uint8Array>(
  labels: L,
  ends: ArrayLike<number>,
  seed: number,
): L {
  const out = labels.slice() as L;
  const vals = new Int16Array(ends.length);
  for (let i = 0; i < ends.length; i++) {
    const e = ends[i];
    if (!(e >= 0 && e < labels.length)) throw new Error(`row ${e} outside 0..${labels.length - 1}`);
    vals[i] = labels[e];
  }
  shuffleInPlace(vals, mulberry32(seed));
  for (let i = 0; i < ends.length; i++) out[ends[i]] = vals[i];
  return out;
}

/** permuteLabelsWithinPart applied to train, validation and test separately (labels never cross parts). */
export function permuteLabelsPerPart<L extends Int8Array | Uint8Array>(
  labels: L,
  split: SplitIndices,
  seed: number,
): L {
  let out = permuteLabelsWithinPart(labels, split.train, seed);
  out = permuteLabelsWithinPart(out, split.val, seed + 1);
  return permuteLabelsWithinPart(out, split.test, seed + 2);
}
