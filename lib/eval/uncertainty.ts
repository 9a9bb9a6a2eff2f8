/**
 * Intervals for every figure of a test part, from one block bootstrap over the test sequence
 * (lib/eval/bootstrap.ts): accuracy, balanced accuracy and log loss of every result, and the
 * total return and Sharpe of every backtest, all recomputed on the SAME resampled positions, so
 * a model and a baseline (or two models) can be compared pair by pair (gaps.ts).
 *
 * Speed: the per-sample figures are precomputed once (hits per true class, −ln p[true], bar
 * returns) as prefix sums over the positions, the blocks of one resample are drawn once and
 * every result reads them, and a block costs the same whatever its length: ~6 results × 2,300
 * samples × 2,000 resamples take tens of milliseconds.
 */
import { NUM_CLASSES } from "../core/classes";
import { mulberry32 } from "../core/random";
import { blockLengthFor, percentileInterval, stationaryBlocks } from "./bootstrap";
import { argmaxRows } from "./confusion";
import { sampleLogLosses } from "./metrics";

/** Default number of resamples: 2,000 leaves 10 replicates in each tail at a Holm level of 0.05/5. */
export const DEFAULT_RESAMPLES = 2000;
/** Default seed of the resampling (mulberry32): the same run gives the same intervals. */
export const DEFAULT_BOOTSTRAP_SEED = 12;

/** The test sequence: true labels and where each sample sits on the time grid. */
export interface TestSequence {
  /** True class per sample [N], 0..k-1. */
  labels: ArrayLike<number>;
  /**
   * Grid position of each sample [N], strictly increasing (e.g. candles since the first test
   * end); default 0..N-1. Positions without a sample still carry bar returns.
   */
  positions?: ArrayLike<number>;
  /** Grid length (positions 0..gridLength-1); default last position + 1. */
  gridLength?: number;
}

/** A result's class probabilities on the test samples, [N*k] in sample order. */
export interface ProbSeries {
  id: string;
  probs: ArrayLike<number>;
}

/** A backtest's per-bar returns on the grid, [gridLength], and how many bars make a year. */
export interface BarSeries {
  id: string;
  returns: ArrayLike<number>;
  periodsPerYear: number;
}

export interface BootstrapOptions {
  /** Label horizon in grid positions: the shortest block allowed. */
  horizon: number;
  resamples?: number;
  seed?: number;
  /** Override the automatic block length (tests, or a walk pooling folds). */
  blockLength?: number;
  k?: number;
}

export interface ClassificationReplicates {
  accuracy: Float64Array;
  balancedAccuracy: Float64Array;
  logLoss: Float64Array;
}

export interface BarReplicates {
  totalReturn: Float64Array;
  sharpe: Float64Array;
}

/** Replicates [resamples] of every figure, resample b of every array drawn on the same positions. */
export interface SequenceBootstrap {
  /** Mean block length in grid positions. */
  blockLength: number;
  resamples: number;
  seed: number;
  classification: Record<string, ClassificationReplicates>;
  bars: Record<string, BarReplicates>;
}

/** A 95% (or `level`) percentile interval, [lo, hi]. */
export type ConfidenceInterval = [number, number];

/** Per-sample correctness (0/1, argmax as the confusion matrix) and log loss (as metrics.ts) of one result, [N] each. */
function perSample(labels: ArrayLike<number>, probs: ArrayLike<number>, k: number) {
  const loss = sampleLogLosses(labels, probs, k);
  const predicted = argmaxRows(probs, k);
  const correct = Uint8Array.from(predicted, (c, i) => (c === labels[i] ? 1 : 0));
  return { correct, loss };
}

/**
 * Block-bootstraps the test sequence once for every result and backtest.
 * Shapes: labels [N], probs [N*k] per result, bar returns [gridLength] per backtest.
 */
export function bootstrapTestSequence(
  seq: TestSequence,
  results: readonly ProbSeries[],
  bars: readonly BarSeries[],
  opts: BootstrapOptions,
): SequenceBootstrap {
  const k = opts.k ?? NUM_CLASSES;
  const labels = seq.labels;
  const n = labels.length;
  const positions = seq.positions ?? Int32Array.from({ length: n }, (_, i) => i);
  if (positions.length !== n) throw new Error(`${positions.length} positions for ${n} samples`);
  const grid = seq.gridLength ?? (n > 0 ? positions[n - 1] + 1 : 0);
  const sampleAt = new Int32Array(grid).fill(-1);
  for (let i = 0; i < n; i++) {
    const p = positions[i];
    if (!(p >= 0 && p < grid) || (i > 0 && p <= positions[i - 1]))
      throw new Error(`sample ${i}: position ${p} is outside 0..${grid - 1} or not increasing`);
    sampleAt[p] = i;
  }
  for (const b of bars)
    if (b.returns.length !== grid) throw new Error(`${b.id}: ${b.returns.length} bar returns for a grid of ${grid}`);

  // Balanced accuracy is the mean of correct_t · n / (K n_{y_t}) (K classes present, n_c
  // samples of class c): its per-sample series weighs rare classes up, and their clustering in
  // time (strong moves come in volatile spells) is the dependence its band must keep.
  const classN = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (!(Number.isInteger(y) && y >= 0 && y < k))
      throw new Error(`sample ${i}: label ${y} is not a class 0..${k - 1}`);
    classN[y]++;
  }
  const presentK = classN.filter((c) => c > 0).length;
  const weight = Float64Array.from(classN, (c) => (c > 0 ? n / (presentK * c) : 0));

  const R = results.length;
  const nb = bars.length;
  const series: ArrayLike<number>[] = [];
  // Channels per grid position: samples per true class [k]; per result, hits per true class [k]
  // and log loss; per backtest, log(1 + r), r and r². Prefix sums over positions let one block
  // of a resample be added in O(channels), whatever its length.
  const D = k + R * (k + 1) + 3 * nb;
  const cum = new Float64Array((grid + 1) * D);
  const row = new Float64Array(D);
  const perResult = results.map((r) => {
    const s = perSample(labels, r.probs, k);
    series.push(
      s.correct,
      Float64Array.from(s.correct, (c, i) => c * weight[labels[i]]),
      s.loss,
    );
    return s;
  });
  for (const b of bars) series.push(b.returns);
  for (let p = 0; p < grid; p++) {
    row.fill(0);
    const i = sampleAt[p];
    if (i >= 0) {
      const y = labels[i];
      row[y] = 1;
      for (let j = 0; j < R; j++) {
        const o = k + j * (k + 1);
        row[o + y] = perResult[j].correct[i];
        row[o + k] = perResult[j].loss[i];
      }
    }
    for (let j = 0; j < nb; j++) {
      const r = bars[j].returns[p];
      const o = k + R * (k + 1) + 3 * j;
      row[o] = Math.log1p(r);
      row[o + 1] = r;
      row[o + 2] = r * r;
    }
    const at = p * D;
    for (let d = 0; d < D; d++) cum[at + D + d] = cum[at + d] + row[d];
  }

  const blockLength = opts.blockLength ?? blockLengthFor(series, opts.horizon);
  const B = opts.resamples ?? DEFAULT_RESAMPLES;
  const seed = opts.seed ?? DEFAULT_BOOTSTRAP_SEED;
  const rand = mulberry32(seed);

  const cls: Record<string, ClassificationReplicates> = {};
  for (const r of results)
    cls[r.id] = { accuracy: new Float64Array(B), balancedAccuracy: new Float64Array(B), logLoss: new Float64Array(B) };
  const barOut: Record<string, BarReplicates> = {};
  for (const b of bars) barOut[b.id] = { totalReturn: new Float64Array(B), sharpe: new Float64Array(B) };

  const acc = new Float64Array(D);
  const addRun = (from: number, to: number) => {
    const a = from * D;
    const z = to * D;
    for (let d = 0; d < D; d++) acc[d] += cum[z + d] - cum[a + d];
  };
  for (let b = 0; b < B; b++) {
    acc.fill(0);
    stationaryBlocks(grid, blockLength, rand, addRun);
    let drawn = 0;
    let present = 0;
    for (let c = 0; c < k; c++) {
      drawn += acc[c];
      if (acc[c] > 0.5) present++;
    }
    results.forEach((r, j) => {
      const o = k + j * (k + 1);
      let hitsAll = 0;
      let recall = 0;
      for (let c = 0; c < k; c++) {
        hitsAll += acc[o + c];
        if (acc[c] > 0.5) recall += acc[o + c] / acc[c];
      }
      const out = cls[r.id];
      out.accuracy[b] = drawn > 0.5 ? hitsAll / drawn : NaN;
      out.logLoss[b] = drawn > 0.5 ? acc[o + k] / drawn : NaN;
      out.balancedAccuracy[b] = present > 0 ? recall / present : NaN;
    });
    bars.forEach((bs, j) => {
      const o = k + R * (k + 1) + 3 * j;
      const out = barOut[bs.id];
      out.totalReturn[b] = Math.expm1(acc[o]);
      const mean = acc[o + 1] / grid;
      const variance = grid > 1 ? (acc[o + 2] - grid * mean * mean) / (grid - 1) : 0;
      const sd = Math.sqrt(Math.max(0, variance));
      // As sharpeRatio in backtest.ts: 0 when the returns have no spread.
      out.sharpe[b] = sd > 1e-15 ? (mean / sd) * Math.sqrt(bs.periodsPerYear) : 0;
    });
  }
  return { blockLength, resamples: B, seed, classification: cls, bars: barOut };
}

/** 95% (or `level`) percentile intervals of every figure in a bootstrap. */
export function bootstrapIntervals(
  boot: SequenceBootstrap,
  level = 0.95,
): {
  classification: Record<
    string,
    { accuracy: ConfidenceInterval; balancedAccuracy: ConfidenceInterval; logLoss: ConfidenceInterval }
  >;
  bars: Record<string, { totalReturn: ConfidenceInterval; sharpe: ConfidenceInterval }>;
} {
  const classification: Record<
    string,
    { accuracy: ConfidenceInterval; balancedAccuracy: ConfidenceInterval; logLoss: ConfidenceInterval }
  > = {};
  for (const [id, r] of Object.entries(boot.classification))
    classification[id] = {
      accuracy: percentileInterval(r.accuracy, level),
      balancedAccuracy: percentileInterval(r.balancedAccuracy, level),
      logLoss: percentileInterval(r.logLoss, level),
    };
  const bars: Record<string, { totalReturn: ConfidenceInterval; sharpe: ConfidenceInterval }> = {};
  for (const [id, r] of Object.entries(boot.bars))
    bars[id] = { totalReturn: percentileInterval(r.totalReturn, level), sharpe: percentileInterval(r.sharpe, level) };
  return { classification, bars };
}
