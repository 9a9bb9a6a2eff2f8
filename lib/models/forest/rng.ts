/**
 * Seeded PRNG (mulberry32): tiny, fast and deterministic across engines, so the same seed gives
 * the same forest in Node tests, the page and every worker.
 */
import { mulberry32 as coreMulberry32 } from "../../core/random";

export type Rng = () => number;

/** A generator of uniform floats in [0, 1) from a 32-bit seed (the studio's one generator). */
export const mulberry32: (seed: number) => Rng = coreMulberry32;

/**
 * Seed of tree `index` in a forest seeded with `seed`: derived from both (splitmix-style hash) so
 * a tree depends only on (seed, index), never on which worker built it or in what order.
 */
export function treeSeed(seed: number, index: number): number {
  let z = (Math.imul(seed >>> 0, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** Uniform integer in [0, n). */
export function randInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}
