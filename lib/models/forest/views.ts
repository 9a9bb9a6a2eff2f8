import type { SampleSet, WindowSource } from "@/lib/core/dataset";
import type { BinnedInputs } from "./binned";
import { binMatrix, packEdges } from "./binned";
import { binCode, fitEdges } from "./binning";
import type { ForestTrainingSet } from "./forest";
import type { ForestViewSpec } from "./types";

/** Summaries of the compact view, in input order within each feature. */
export const COMPACT_STATS = ["last", "mean", "std", "min", "max", "delta"] as const;

/**
 * Names of the flattened window view, as the guide's NumPy `X.reshape(N, -1)`: input
 * j = s * F + f is `feat_${name_f}_t${s}`, s = 0 the oldest step and t{window-1} the latest.
 */
export function flatFeatureNames(featureNames: string[], window: number): string[] {
  const out: string[] = [];
  for (let s = 0; s < window; s++) for (const f of featureNames) out.push(`feat_${f}_t${s}`);
  return out;
}

/** Names of the compact view: input 6f + k is `feat_${name_f}_${COMPACT_STATS[k]}`. */
export function compactFeatureNames(featureNames: string[]): string[] {
  return featureNames.flatMap((f) => COMPACT_STATS.map((s) => `feat_${f}_${s}`));
}

/** Width of a view's input vector. */
export function viewInputs(view: ForestViewSpec): number {
  return view.kind === "flat" ? view.window * view.features : view.features * COMPACT_STATS.length;
}

/** The view spec of a source. */
export function viewOf(source: WindowSource, kind: ForestViewSpec["kind"]): ForestViewSpec {
  return { kind, window: source.window, features: source.features };
}

function checkEnds(source: WindowSource, ends: Int32Array): void {
  if (source.matrix.length !== source.rows * source.features)
    throw new Error("WindowSource: matrix is not rows * features");
  for (let i = 0; i < ends.length; i++) {
    const e = ends[i];
    if (e < source.window - 1 || e >= source.rows)
      throw new Error(`window end ${e} outside [${source.window - 1}, ${source.rows})`);
  }
}

/**
 * Bins the flattened view without materialising [N, window*F]: per base feature, cut points are
 * fitted on the rows covered by training windows only and every row is coded once ([F][T] Uint8);
 * the `window` lagged inputs of a feature share that column and its cut points.
 * @param trainEnds window end rows of the training samples (also the samples of the result)
 */
export function binFlatView(source: WindowSource, trainEnds: Int32Array, maxBins = 256): BinnedInputs {
  checkEnds(source, trainEnds);
  const { rows: T, features: F, window: W, matrix } = source;
  const covered = new Uint8Array(T);
  for (const e of trainEnds) covered.fill(1, e - W + 1, e + 1);
  let nCovered = 0;
  for (let t = 0; t < T; t++) nCovered += covered[t];
  const codes = new Uint8Array(F * T);
  const groups: Float32Array[] = [];
  const col = new Float32Array(nCovered);
  for (let f = 0; f < F; f++) {
    for (let t = 0, k = 0; t < T; t++) if (covered[t]) col[k++] = matrix[t * F + f];
    const e = fitEdges(col, maxBins);
    groups.push(e);
    for (let t = 0; t < T; t++) codes[f * T + t] = binCode(e, 0, e.length, matrix[t * F + f]);
  }
  const { edges, edgeStart } = packEdges(groups);
  const P = W * F;
  const colBase = new Int32Array(P);
  const inputGroup = new Int32Array(P);
  for (let s = 0; s < W; s++) {
    for (let f = 0; f < F; f++) {
      // Sample i at step s reads row ends[i] - (W-1) + s of feature f's column.
      colBase[s * F + f] = f * T + s - (W - 1);
      inputGroup[s * F + f] = f;
    }
  }
  return {
    numInputs: P,
    numSamples: trainEnds.length,
    codes,
    colBase,
    rowOff: Int32Array.from(trainEnds),
    edges,
    edgeStart,
    inputGroup,
  };
}

/**
 * Compact inputs of the window ending at `end` written to out[o .. o + 6F): per feature, last,
 * mean, std (population), min, max and last-minus-first over the window.
 */
export function compactVector(source: WindowSource, end: number, out: Float32Array, o = 0): void {
  const { features: F, window: W, matrix } = source;
  const first = end - W + 1;
  for (let f = 0; f < F; f++) {
    let sum = 0;
    let sq = 0;
    let mn = Infinity;
    let mx = -Infinity;
    for (let t = first; t <= end; t++) {
      const v = matrix[t * F + f];
      sum += v;
      sq += v * v;
      if (v < mn) mn = v;
      if (v > mx) mx = v;
    }
    const mean = sum / W;
    const last = matrix[end * F + f];
    const b = o + f * COMPACT_STATS.length;
    out[b] = last;
    out[b + 1] = mean;
    out[b + 2] = Math.sqrt(Math.max(0, sq / W - mean * mean));
    out[b + 3] = mn;
    out[b + 4] = mx;
    out[b + 5] = last - matrix[first * F + f];
  }
}

/** Compact inputs of many windows, row-major [ends.length * 6F]. */
export function compactMatrix(source: WindowSource, ends: Int32Array): Float32Array {
  checkEnds(source, ends);
  const p = source.features * COMPACT_STATS.length;
  const out = new Float32Array(ends.length * p);
  for (let i = 0; i < ends.length; i++) compactVector(source, ends[i], out, i * p);
  return out;
}

/** Bins the compact view of the training windows (cut points fitted on them only). */
export function binCompactView(source: WindowSource, trainEnds: Int32Array, maxBins = 256): BinnedInputs {
  return binMatrix(compactMatrix(source, trainEnds), trainEnds.length, source.features * COMPACT_STATS.length, maxBins);
}

/**
 * Everything a forest trains on, for one view of a window source.
 * @param featureNames the source's F feature names ("1h_rsi", ...)
 * @param train training windows (ends) and their labels (0..numClasses-1)
 */
export function windowTrainingSet(
  source: WindowSource,
  featureNames: string[],
  train: SampleSet,
  kind: ForestViewSpec["kind"],
  numClasses: number,
  maxBins = 256,
): ForestTrainingSet {
  if (featureNames.length !== source.features)
    throw new Error(`${featureNames.length} names for ${source.features} features`);
  if (train.ends.length !== train.labels.length) throw new Error("train ends and labels differ in length");
  const data = kind === "flat" ? binFlatView(source, train.ends, maxBins) : binCompactView(source, train.ends, maxBins);
  const names = kind === "flat" ? flatFeatureNames(featureNames, source.window) : compactFeatureNames(featureNames);
  return { data, labels: train.labels, numClasses, featureNames: names, view: viewOf(source, kind) };
}
