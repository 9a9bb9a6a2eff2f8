/**
 * Inverted-dropout masks drawn on the host, for host-memory backends (fusedOpsEnabled): one
 * multiply forward and one back, where tf.dropout runs ~12 kernels per call (a uniform draw, a
 * compare, a cast, a division, ...).
 */

/** Resolution of the drop decision: each mask value takes 16 bits of a 32-bit hash. */
const LEVELS = 65536;

/**
 * `size` mask values, each 0 with probability `rate` (to 1/65,536) and otherwise the scale that
 * keeps the expected output equal to the input, from `seed` alone: the same seed gives the same
 * mask in every worker. Two values per mulberry32 output, inlined: ~9 ns per value through
 * mulberry32's closure and a float compare was 0.28 ms per [32, 15, 64] mask, a tenth of the
 * Transformer's five dropouts' cost.
 */
export function dropoutMask(size: number, rate: number, seed: number): Float32Array {
  const mask = new Float32Array(size);
  fillDropoutMask(mask, rate, seed);
  return mask;
}

/** dropoutMask into `mask` (a new tensor's memory on wasm: see host-io.ts). */
export function fillDropoutMask(mask: Float32Array, rate: number, seed: number): void {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout rate ${rate} is not in [0, 1)`);
  const size = mask.length;
  const cut = Math.round(rate * LEVELS);
  const scale = LEVELS / (LEVELS - cut);
  let a = seed | 0;
  for (let k = 0; k < size; k += 2) {
    // mulberry32's step (lib/core/random.ts), its 32 bits used as two 16-bit draws.
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    t ^= t >>> 14;
    mask[k] = (t & 0xffff) < cut ? 0 : scale;
    if (k + 1 < size) mask[k + 1] = t >>> 16 < cut ? 0 : scale;
  }
}
