import type { SplitIndices, SplitSpec } from "./dataset";

/** The guide's chronological shares: 70% train, 15% validation, 15% test. */
export const DEFAULT_SPLIT_SHARES: Readonly<Pick<SplitSpec, "train" | "val" | "test">> = {
  train: 0.7,
  val: 0.15,
  test: 0.15,
};

/** 70 / 15 / 15 with purge = horizon and embargo = window (see SplitSpec). */
export function defaultSplitSpec(horizon: number, window: number): SplitSpec {
  return { ...DEFAULT_SPLIT_SHARES, purge: horizon, embargo: window };
}

/**
 * Rows that can end a sample: t >= window - 1, a known forward return, and a window of
 * consecutive base candles (times[t] - times[t - window + 1] = (window - 1) * interval), so no
 * window spans a gap or a dropped row. With `rowSymbol` (a multi-symbol dataset, each symbol's
 * rows one contiguous block) the window's first and last rows also belong to the same symbol:
 * a block that starts one interval after the previous one ends would otherwise pass the time
 * test and mix two symbols in one window. Ascending. [≤ rows]
 */
export function candidateEnds(
  times: ArrayLike<number>,
  fwd: ArrayLike<number>,
  window: number,
  intervalMs: number,
  rowSymbol?: ArrayLike<number>,
): Int32Array {
  const out: number[] = [];
  const span = (window - 1) * intervalMs;
  for (let t = window - 1; t < times.length; t++) {
    if (rowSymbol && rowSymbol[t] !== rowSymbol[t - window + 1]) continue;
    if (Number.isFinite(fwd[t]) && times[t] - times[t - window + 1] === span) out.push(t);
  }
  return Int32Array.from(out);
}

/**
 * Chronological split BY TIME, for rows of several symbols (lib/core/multi-symbol): the
 * boundaries are the open times at the train and train+val fractions of all candidates pooled,
 * so every symbol's validation and test blocks cover the same period; purge and embargo are in
 * base intervals of time. Train keeps ends with time <= T1 - (1 + purge) * interval, validation
 * T1 + embargo * interval .. T2 - (1 + purge) * interval, test >= T2 + embargo * interval: with
 * purge >= horizon and embargo >= window no symbol's training label or window reaches into the
 * period any symbol validates or tests on. Each part ascending by row.
 * @param candidates candidate end rows (ascending rows; times need not be ascending across symbols)
 * @param times open time (ms) per row [T]
 */
export function chronologicalSplitByTime(
  candidates: Int32Array,
  times: ArrayLike<number>,
  spec: SplitSpec,
  intervalMs: number,
): SplitIndices {
  const n = candidates.length;
  const total = spec.train + spec.val + spec.test;
  if (n === 0 || !(total > 0)) return { train: new Int32Array(0), val: new Int32Array(0), test: new Int32Array(0) };
  const sorted = Float64Array.from(candidates, (t) => times[t]).sort();
  const at = (frac: number) => {
    const k = Math.floor((n * frac) / total);
    return k >= n ? sorted[n - 1] + intervalMs : sorted[k];
  };
  const t1 = at(spec.train);
  const t2 = at(spec.train + spec.val);
  const train: number[] = [];
  const val: number[] = [];
  const test: number[] = [];
  for (const t of candidates) {
    const x = times[t];
    if (x <= t1 - (1 + spec.purge) * intervalMs) train.push(t);
    else if (x >= t1 + spec.embargo * intervalMs && x <= t2 - (1 + spec.purge) * intervalMs) val.push(t);
    else if (x >= t2 + spec.embargo * intervalMs && spec.test > 0) test.push(t);
  }
  return { train: Int32Array.from(train), val: Int32Array.from(val), test: Int32Array.from(test) };
}

/**
 * Chronological split of ascending candidate end rows. Boundaries b1, b2 are the candidates at
 * the train and train+val fractions; train keeps ends <= b1 - 1 - purge, validation
 * b1 + embargo .. b2 - 1 - purge, test >= b2 + embargo. With purge >= horizon and
 * embargo >= window, every train sample's window rows and label rows (t .. t + horizon) lie
 * strictly before every validation window, and likewise validation before test.
 */
export function chronologicalSplit(candidates: Int32Array, spec: SplitSpec): SplitIndices {
  const n = candidates.length;
  const total = spec.train + spec.val + spec.test;
  if (n === 0 || !(total > 0)) return { train: new Int32Array(0), val: new Int32Array(0), test: new Int32Array(0) };
  const at = (frac: number) => {
    const k = Math.floor((n * frac) / total);
    return k >= n ? candidates[n - 1] + 1 : candidates[k];
  };
  const b1 = at(spec.train);
  const b2 = at(spec.train + spec.val);
  const train: number[] = [];
  const val: number[] = [];
  const test: number[] = [];
  for (const t of candidates) {
    if (t <= b1 - 1 - spec.purge) train.push(t);
    else if (t >= b1 + spec.embargo && t <= b2 - 1 - spec.purge) val.push(t);
    else if (t >= b2 + spec.embargo && spec.test > 0) test.push(t);
  }
  return { train: Int32Array.from(train), val: Int32Array.from(val), test: Int32Array.from(test) };
}

/**
 * Expanding-window walk-forward folds: candidates are cut into folds + 1 equal blocks; fold k
 * (1..folds) tests on block k and trains/validates on blocks 0..k-1 (split by the spec's
 * train : val ratio), with the same purge and embargo at each boundary.
 */
export function walkForwardSplits(candidates: Int32Array, spec: SplitSpec, folds: number): SplitIndices[] {
  const out: SplitIndices[] = [];
  const block = Math.floor(candidates.length / (folds + 1));
  if (block === 0) return out;
  const tv = spec.train + spec.val;
  for (let k = 1; k <= folds; k++) {
    const end = k === folds ? candidates.length : (k + 1) * block;
    const sub = candidates.subarray(0, end);
    const testFrac = (end - k * block) / end;
    const rest = 1 - testFrac;
    out.push(
      chronologicalSplit(sub, {
        ...spec,
        train: (rest * spec.train) / tv,
        val: (rest * spec.val) / tv,
        test: testFrac,
      }),
    );
  }
  return out;
}
