/**
 * A learnable synthetic window task at the seed's scale for the training benchmark (pure TS).
 * Features are AR(1) noise; the label of the window ending at t is the quartile of a hidden score
 * that needs the window's history: momentum of feature 0 (mean of the last 16 rows minus the mean
 * of the 32 before) plus feature 1 at t, plus noise. Chronological 70/15/15 split.
 */
import type { SampleSet, WindowSource } from "@/lib/core/dataset";
import { mulberry32 } from "@/lib/models/random";

export interface BenchTask {
  source: WindowSource;
  train: SampleSet;
  val: SampleSet;
  test: SampleSet;
}

export function benchTask(samples: number, features = 42, window = 120, seed = 3): BenchTask {
  const rows = samples + window - 1;
  const rand = mulberry32(seed);
  const gauss = () => {
    const u = Math.max(rand(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
  const matrix = new Float32Array(rows * features);
  const phi = 0.9;
  const scale = Math.sqrt(1 - phi * phi); // unit stationary variance
  for (let f = 0; f < features; f++) matrix[f] = gauss();
  for (let t = 1; t < rows; t++)
    for (let f = 0; f < features; f++)
      matrix[t * features + f] = phi * matrix[(t - 1) * features + f] + scale * gauss();
  const score = new Float64Array(rows).fill(NaN);
  for (let t = 47; t < rows; t++) {
    let recent = 0;
    let before = 0;
    for (let k = 0; k < 16; k++) recent += matrix[(t - k) * features];
    for (let k = 16; k < 48; k++) before += matrix[(t - k) * features];
    score[t] = recent / 16 - before / 32 + 0.5 * matrix[t * features + 1] + 0.3 * gauss();
  }
  const ends = Int32Array.from({ length: samples }, (_, i) => i + window - 1);
  const sorted = Array.from(ends, (t) => score[t]).sort((a, b) => a - b);
  const q = [0.25, 0.5, 0.75].map((p) => sorted[Math.floor(p * (sorted.length - 1))]);
  const label = (t: number) => (score[t] < q[0] ? 0 : score[t] < q[1] ? 1 : score[t] < q[2] ? 2 : 3);
  const cut1 = Math.floor(samples * 0.7);
  const cut2 = Math.floor(samples * 0.85);
  const set = (a: number, b: number): SampleSet => {
    const e = ends.slice(a, b);
    return { ends: e, labels: Uint8Array.from(e, label) };
  };
  return {
    source: { matrix, rows, features, window },
    train: set(0, cut1),
    val: set(cut1, cut2),
    test: set(cut2, samples),
  };
}
