import type { Dataset, Normalization, WindowSource } from "./dataset";

/** Rows covered by the windows ending at `trainEnds` (1 = covered). [rows] */
export function trainingRowMask(rows: number, trainEnds: ArrayLike<number>, window: number): Uint8Array {
  const mask = new Uint8Array(rows);
  for (let k = 0; k < trainEnds.length; k++) mask.fill(1, Math.max(0, trainEnds[k] - window + 1), trainEnds[k] + 1);
  return mask;
}

/**
 * Per-feature mean and population std over the rows covered by training windows only (float64
 * accumulation). A constant feature (std <= 1e-12 relative to its scale) gets std 1, so it
 * normalises to 0 instead of blowing up.
 * @param matrix row-major [rows * features]
 */
export function fitNormalization(
  matrix: Float32Array,
  rows: number,
  features: number,
  trainEnds: ArrayLike<number>,
  window: number,
): Normalization {
  const mask = trainingRowMask(rows, trainEnds, window);
  const sum = new Float64Array(features);
  let n = 0;
  for (let r = 0; r < rows; r++) {
    if (!mask[r]) continue;
    n++;
    for (let j = 0, o = r * features; j < features; j++) sum[j] += matrix[o + j];
  }
  const mean = new Float64Array(features);
  for (let j = 0; j < features; j++) mean[j] = n ? sum[j] / n : 0;
  const sq = new Float64Array(features);
  for (let r = 0; r < rows; r++) {
    if (!mask[r]) continue;
    for (let j = 0, o = r * features; j < features; j++) {
      const d = matrix[o + j] - mean[j];
      sq[j] += d * d;
    }
  }
  const std = new Float32Array(features);
  for (let j = 0; j < features; j++) {
    const s = n ? Math.sqrt(sq[j] / n) : 0;
    std[j] = s > 1e-12 * Math.max(1, Math.abs(mean[j])) ? s : 1;
  }
  return { mean: Float32Array.from(mean), std };
}

/** (x - mean) / std per feature, row-major [rows * features]. */
export function applyNormalization(
  matrix: Float32Array,
  features: number,
  norm: Normalization,
  out?: Float32Array,
): Float32Array {
  const dst = out ?? new Float32Array(matrix.length);
  for (let o = 0; o < matrix.length; o += features) {
    for (let j = 0; j < features; j++) dst[o + j] = (matrix[o + j] - norm.mean[j]) / norm.std[j];
  }
  return dst;
}

/** Constant features: std was replaced by 1 because the training rows never vary. */
export function isConstantFeature(matrix: Float32Array, rows: number, features: number, j: number): boolean {
  for (let r = 1; r < rows; r++) if (matrix[r * features + j] !== matrix[j]) return false;
  return true;
}

/**
 * Per-symbol normalisation of a multi-symbol dataset: each symbol's statistics fitted on the rows
 * of its own training windows (windows never cross symbols, so these are its rows). Columns in
 * `keepRaw` (the symbol one-hot, constant within a symbol) get mean 0 and std 1.
 * @param rowSymbol symbol index per row [rows]; @returns mean and std [symbols * features]
 */
export function fitSymbolNormalization(
  matrix: Float32Array,
  rows: number,
  features: number,
  trainEnds: Int32Array,
  window: number,
  rowSymbol: Uint8Array,
  symbols: number,
  keepRaw: readonly number[] = [],
): Normalization {
  const mean = new Float32Array(symbols * features);
  const std = new Float32Array(symbols * features);
  for (let s = 0; s < symbols; s++) {
    const ends = trainEnds.filter((t) => rowSymbol[t] === s);
    const n = fitNormalization(matrix, rows, features, ends, window);
    mean.set(n.mean, s * features);
    std.set(n.std, s * features);
    for (const j of keepRaw) {
      mean[s * features + j] = 0;
      std[s * features + j] = 1;
    }
  }
  return { mean, std };
}

/** (x - mean[s]) / std[s] with s the row's symbol: [rows * features]. */
function applySymbolNormalization(
  matrix: Float32Array,
  features: number,
  norm: Normalization,
  rowSymbol: Uint8Array,
): Float32Array {
  const dst = new Float32Array(matrix.length);
  for (let r = 0, o = 0; o < matrix.length; r++, o += features) {
    const b = rowSymbol[r] * features;
    for (let j = 0; j < features; j++) dst[o + j] = (matrix[o + j] - norm.mean[b + j]) / norm.std[b + j];
  }
  return dst;
}

/** The normalised matrix and window geometry models train on (one [T, F] copy). */
export function normalizedSource(ds: Dataset): WindowSource {
  const F = ds.features.length;
  return {
    matrix:
      ds.symbolNormalization && ds.rowSymbol
        ? applySymbolNormalization(ds.matrix, F, ds.symbolNormalization, ds.rowSymbol)
        : applyNormalization(ds.matrix, F, ds.normalization),
    rows: ds.rows,
    features: ds.features.length,
    window: ds.window,
  };
}

/** The raw (unnormalised) matrix as a WindowSource (no copy). */
export function rawSource(ds: Dataset): WindowSource {
  return { matrix: ds.matrix, rows: ds.rows, features: ds.features.length, window: ds.window };
}
