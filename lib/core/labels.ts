import { NO_LABEL, NUM_CLASSES } from "./classes";
import type { LabelSpec } from "./dataset";

/** The guide's defaults: horizon 4 base candles, strong 1.5 %, weak 0.5 %, weak zone by sign. */
export const DEFAULT_LABEL_SPEC: LabelSpec = {
  horizon: 4,
  strong: 0.015,
  weak: 0.005,
  weakZone: "sign",
  atrScaled: false,
};

/**
 * Forward return close[t + h] / close[t] - 1 per candle (fraction). NaN when the candle h steps
 * later is not the one exactly h intervals later (end of data, or a gap in between).
 * @param openTime ascending open times (UTC ms) [n]; @param close [n]; @returns [n]
 */
export function forwardReturns(
  openTime: ArrayLike<number>,
  close: ArrayLike<number>,
  intervalMs: number,
  horizon: number,
): Float64Array {
  const n = close.length;
  const out = new Float64Array(n).fill(NaN);
  for (let i = 0; i + horizon < n; i++) {
    if (openTime[i + horizon] === openTime[i] + horizon * intervalMs) out[i] = close[i + horizon] / close[i] - 1;
  }
  return out;
}

/**
 * Class of one forward return r: STRONG_BUY (3) r >= strong, BUY (2) r >= weak, SELL (1)
 * r <= -weak, STRONG_SELL (0) r <= -strong; inside ±weak, "sign" gives BUY / SELL by sign and
 * "exclude" gives NO_LABEL. Thresholds are multiplied by `scale` (ATR scaling). NaN, and an
 * exact 0 inside the weak zone (no sign), give NO_LABEL.
 */
export function labelOf(r: number, spec: LabelSpec, scale = 1): number {
  if (!Number.isFinite(r) || !Number.isFinite(scale)) return NO_LABEL;
  const strong = spec.strong * scale;
  const weak = spec.weak * scale;
  if (r >= strong) return 3;
  if (r <= -strong) return 0;
  if (r >= weak) return 2;
  if (r <= -weak) return 1;
  if (spec.weakZone === "exclude") return NO_LABEL;
  return r > 0 ? 2 : r < 0 ? 1 : NO_LABEL;
}

/** Labels for every row ([n], NO_LABEL where unknown). `scale` per row when ATR-scaled. */
export function labelRows(fwd: ArrayLike<number>, spec: LabelSpec, scale?: ArrayLike<number>): Int8Array {
  const out = new Int8Array(fwd.length);
  for (let i = 0; i < fwd.length; i++) out[i] = labelOf(fwd[i], spec, scale ? scale[i] : 1);
  return out;
}

/**
 * Per-row threshold multiplier for ATR-scaled labels: (ATR/close)[t] divided by its median over
 * the training rows `trainRows` (so thresholds keep their meaning on an average training day and
 * no validation/test statistic leaks in). [n]
 */
export function atrLabelScale(atrRatio: ArrayLike<number>, trainRows: ArrayLike<number>): Float32Array {
  const vals: number[] = [];
  for (let k = 0; k < trainRows.length; k++) {
    const v = atrRatio[trainRows[k]];
    if (Number.isFinite(v)) vals.push(v);
  }
  vals.sort((a, b) => a - b);
  const m =
    vals.length === 0
      ? NaN
      : vals.length % 2
        ? vals[(vals.length - 1) / 2]
        : (vals[vals.length / 2 - 1] + vals[vals.length / 2]) / 2;
  const out = new Float32Array(atrRatio.length);
  for (let i = 0; i < out.length; i++) out[i] = m > 0 ? atrRatio[i] / m : NaN;
  return out;
}

export interface ClassBalance {
  /** Samples per class, index = label. */
  counts: [number, number, number, number];
  /** Fraction per class of the labelled samples (0 when none). */
  fractions: [number, number, number, number];
  /** Labelled samples. */
  labelled: number;
  /** Rows dropped by the "exclude" weak zone. */
  excluded: number;
  /** Rows dropped because their return is exactly 0 under "sign" (no sign to take): not a weak-zone exclusion. */
  flat: number;
  /** Rows whose forward return is unknown. */
  unknown: number;
}

/**
 * Class balance of the rows `ends` (all rows when omitted) under `spec`, straight from forward
 * returns: one pass, no allocation beyond the result, so the UI can redraw it on every
 * threshold edit (20k rows take well under a millisecond).
 */
export function classBalance(
  fwd: ArrayLike<number>,
  spec: LabelSpec,
  ends?: ArrayLike<number>,
  scale?: ArrayLike<number>,
): ClassBalance {
  const counts: [number, number, number, number] = [0, 0, 0, 0];
  let excluded = 0;
  let flat = 0;
  let unknown = 0;
  const n = ends ? ends.length : fwd.length;
  for (let k = 0; k < n; k++) {
    const i = ends ? ends[k] : k;
    const r = fwd[i];
    if (!Number.isFinite(r)) {
      unknown++;
      continue;
    }
    const c = labelOf(r, spec, scale ? scale[i] : 1);
    if (c !== NO_LABEL) counts[c]++;
    else if (spec.weakZone === "sign" && r === 0) flat++;
    else excluded++;
  }
  const labelled = counts[0] + counts[1] + counts[2] + counts[3];
  const fractions = counts.map((c) => (labelled ? c / labelled : 0)) as ClassBalance["fractions"];
  return { counts, fractions, labelled, excluded, flat, unknown };
}

/** Counts of labels (0..3) at rows `ends`. */
export function countLabels(labels: ArrayLike<number>, ends?: ArrayLike<number>): number[] {
  const out = new Array<number>(NUM_CLASSES).fill(0);
  const n = ends ? ends.length : labels.length;
  for (let k = 0; k < n; k++) {
    const c = labels[ends ? ends[k] : k];
    if (c >= 0 && c < NUM_CLASSES) out[c]++;
  }
  return out;
}
