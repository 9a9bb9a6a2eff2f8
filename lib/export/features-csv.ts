import type { Dataset } from "../core/dataset";
import { applyNormalization } from "../core/normalize";

export interface FeaturesCsvOptions {
  /** Normalised values instead of raw features (default false). */
  normalized?: boolean;
  /** Rows per yielded string (default 2000). */
  rowsPerChunk?: number;
}

const fmt = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(7))) : "");

/**
 * The [T, F] feature matrix as CSV: header `time,<feature names>,label`, one line per row;
 * time is the base candle's open time in ISO 8601 UTC, label the class index (empty when the
 * row has none). Yields strings of rowsPerChunk lines (the header first).
 */
export function* featuresCsvChunks(ds: Dataset, options: FeaturesCsvOptions = {}): Generator<string> {
  const F = ds.features.length;
  const m = options.normalized ? applyNormalization(ds.matrix, F, ds.normalization) : ds.matrix;
  const per = options.rowsPerChunk ?? 2000;
  yield ["time", ...ds.features.map((f) => f.name), "label"].join(",") + "\n";
  for (let start = 0; start < ds.rows; start += per) {
    const lines: string[] = [];
    for (let r = start; r < Math.min(ds.rows, start + per); r++) {
      const cells = [new Date(ds.times[r]).toISOString()];
      for (let j = 0; j < F; j++) cells.push(fmt(m[r * F + j]));
      cells.push(ds.labels[r] >= 0 ? String(ds.labels[r]) : "");
      lines.push(cells.join(","));
    }
    yield lines.join("\n") + "\n";
  }
}

/** Whole CSV as one string (small datasets, tests). */
export function featuresCsv(ds: Dataset, options: FeaturesCsvOptions = {}): string {
  return Array.from(featuresCsvChunks(ds, options)).join("");
}
