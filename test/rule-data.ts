import { mulberry32 } from "../lib/models/forest/rng";

/**
 * A small plain-matrix fixture for tests: p uniform inputs, class = 2*(x0 > 0.5) + (x1 > 0.3),
 * so inputs 0 and 1 are informative and the others noise.
 * @returns x row-major [n * p], labels [n]
 */
export function ruleData(n: number, p: number, seed: number): { x: Float32Array; y: Uint8Array } {
  const rng = mulberry32(seed);
  const x = new Float32Array(n * p);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) x[i * p + j] = rng();
    y[i] = 2 * (x[i * p] > 0.5 ? 1 : 0) + (x[i * p + 1] > 0.3 ? 1 : 0);
  }
  return { x, y };
}
