/**
 * Seeded pseudo-random numbers for evaluation (permutations, shuffled-label controls), so every
 * figure that depends on chance is reproducible from its seed.
 */

import { mulberry32 } from "../core/random";

export { mulberry32 };

/** In-place Fisher–Yates shuffle of `values` driven by `rand` (floats in [0, 1)). */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(values: T, rand: () => number): T {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const tmp = values[i];
    values[i] = values[j];
    values[j] = tmp;
  }
  return values;
}
