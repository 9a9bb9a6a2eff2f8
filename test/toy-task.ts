/**
 * A small learnable window task for model tests and quick benchmarks (pure, no tfjs): the label
 * of a window ending at t is encoded in its last rows plus noise.
 */
import type { SampleSet, WindowSource } from "../lib/core/dataset";
import { defaultConfig, type LstmConfig, type TransformerConfig } from "../lib/models/config";
import { mulberry32 } from "../lib/models/random";

export interface ToyTask {
  source: WindowSource;
  train: SampleSet;
  val: SampleSet;
  test: SampleSet;
}

/**
 * Builds a [rows, features] matrix and chronological 70/15/15 sample sets (ends ≥ window-1).
 * Labels are uniform in 0..3, constant over runs of 2*window rows; feature 0 of row t carries (label-1.5)*signal and feature 1
 * of row t-2 half of it, on top of noise (sd ~0.6); a model must look at the window's end.
 */
export function toyTask(rows: number, features: number, window: number, seed = 1, signal = 1): ToyTask {
  const rand = mulberry32(seed);
  const noise = () => rand() + rand() + rand() - 1.5; // ~N(0, 0.25)
  const labels = new Uint8Array(rows);
  // Labels come in runs of 2*window rows (regimes), so most of a window shares its label.
  const run = 2 * window;
  for (let t = 0; t < rows; t++) labels[t] = t % run === 0 ? Math.floor(rand() * 4) : labels[t - 1];
  const matrix = new Float32Array(rows * features);
  for (let t = 0; t < rows; t++) {
    for (let f = 0; f < features; f++) matrix[t * features + f] = 2 * noise();
  }
  // Row t carries its own label (the window's last row), plus a weaker echo two rows earlier.
  for (let t = 0; t < rows; t++) {
    matrix[t * features] += (labels[t] - 1.5) * signal;
    if (t >= 2 && features > 1) matrix[(t - 2) * features + 1] += (labels[t] - 1.5) * signal * 0.5;
  }
  const ends = Int32Array.from({ length: rows - window + 1 }, (_, i) => i + window - 1);
  const cut1 = Math.floor(ends.length * 0.7);
  const cut2 = Math.floor(ends.length * 0.85);
  const set = (a: number, b: number): SampleSet => {
    const e = ends.slice(a, b);
    return { ends: e, labels: Uint8Array.from(e, (t) => labels[t]) };
  };
  return {
    source: { matrix, rows, features, window },
    train: set(0, cut1),
    val: set(cut1, cut2),
    test: set(cut2, ends.length),
  };
}

/** The toy task as a trainer's data: its source, a label per row (-1 where none) and the parts' ends. */
export function toyTrainData(task: ToyTask): {
  source: WindowSource;
  featureNames: string[];
  labels: Int8Array;
  ends: { train: Int32Array; val: Int32Array; test: Int32Array };
} {
  const labels = new Int8Array(task.source.rows).fill(-1);
  for (const part of [task.train, task.val, task.test]) part.ends.forEach((t, k) => (labels[t] = part.labels[k]));
  return {
    source: task.source,
    featureNames: Array.from({ length: task.source.features }, (_, f) => `f${f}`),
    labels,
    ends: { train: task.train.ends, val: task.val.ends, test: task.test.ends },
  };
}

/** Small Transformer and LSTM settings that learn the toy task in seconds on the cpu backend. */
export const TINY_MODELS: { transformer: TransformerConfig; lstm: LstmConfig } = {
  transformer: {
    ...defaultConfig("transformer"),
    dModel: 16,
    heads: 2,
    blocks: 1,
    ff: 32,
    dropout: 0.1,
    patch: 2,
    batchSize: 32,
    learningRate: 3e-3,
    epochs: 8,
    patience: 4,
  },
  lstm: {
    ...defaultConfig("lstm"),
    units: 16,
    layers: 1,
    dropout: 0.1,
    patch: 2,
    batchSize: 32,
    learningRate: 1e-2,
    epochs: 6,
    patience: 3,
  },
};
