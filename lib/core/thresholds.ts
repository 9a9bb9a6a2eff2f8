/**
 * "Fit thresholds": strong and weak label thresholds chosen from the TRAINING part's forward
 * returns so the rarest of the four classes reaches a target share (the guide's good sign is
 * "worst class above 15%"; the fixed 1.5% / 0.5% gave 4.9–6.7% on every real dataset tried,
 * issue 16). Only the training rows are read: validation and test returns cannot move the fit.
 */
import type { LabelSpec } from "./dataset";
import { classBalance } from "./labels";

/** The guide's good sign: the rarest class holds at least 15% of the labelled samples. */
export const DEFAULT_FIT_TARGET = 0.15;
/** Targets a fit accepts: above 0, at most 25% (four equal classes). */
export const FIT_TARGET_RANGE = { min: 0.01, max: 0.25 } as const;
/** weak / strong when the given thresholds have no usable ratio (the guide's 0.5% / 1.5%). */
const DEFAULT_RATIO = 1 / 3;

/** What a fit chose, saved with the dataset and shown on the Dataset page. */
export interface ThresholdFit {
  /** Target share of the rarest class among labelled training samples (fraction). */
  target: number;
  /** Chosen thresholds (fractions; multiplied by the ATR scale when atrScaled). */
  strong: number;
  weak: number;
  /** Rarest class's share of the labelled training samples at the chosen thresholds. */
  rarest: number;
  /** True when `rarest >= target`; false when no thresholds reach it (the best mix is kept). */
  reached: boolean;
  /** Training samples with a known forward return that the fit used. */
  rows: number;
}

const lowerBound = (xs: Float64Array, v: number) => {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};
const upperBound = (xs: Float64Array, v: number) => {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/** Rarest class share of sorted returns `xs` at strong s and weak w (labelOf's rules, by counting). */
function rarestShare(xs: Float64Array, s: number, w: number, weakZone: LabelSpec["weakZone"]): number {
  const n = xs.length;
  const strongBuy = n - lowerBound(xs, s);
  const strongSell = upperBound(xs, -s);
  let buy: number;
  let sell: number;
  if (weakZone === "sign") {
    buy = lowerBound(xs, s) - upperBound(xs, 0);
    sell = lowerBound(xs, 0) - upperBound(xs, -s);
  } else {
    buy = lowerBound(xs, s) - lowerBound(xs, w);
    sell = upperBound(xs, -w) - upperBound(xs, -s);
  }
  const labelled = strongBuy + strongSell + buy + sell;
  return labelled ? Math.min(strongBuy, strongSell, buy, sell) / labelled : 0;
}

/**
 * Fits strong and weak on the training rows: weak keeps its ratio to strong (so "exclude" keeps
 * the zone the user chose, relative to strong), and strong is the LARGEST value, among the
 * training returns' magnitudes, at which the rarest class holds at least `target` of the
 * labelled training samples (large thresholds keep STRONG_* meaning a strong move). When no value
 * reaches the target, the one giving the most even mix is kept and `reached` is false.
 * With `scale` (ATR scaling) returns are compared in units of the row's scale, as labelOf does.
 * @param fwd forward returns per row (fraction, NaN unknown) [T]
 * @param trainRows training sample end rows (indices into fwd)
 * @param scale per-row threshold multiplier [T], or undefined
 */
export function fitThresholds(
  fwd: ArrayLike<number>,
  trainRows: ArrayLike<number>,
  spec: LabelSpec,
  target = DEFAULT_FIT_TARGET,
  scale?: ArrayLike<number>,
): ThresholdFit {
  const vals: number[] = [];
  for (let k = 0; k < trainRows.length; k++) {
    const t = trainRows[k];
    const x = scale ? fwd[t] / scale[t] : fwd[t];
    if (Number.isFinite(x)) vals.push(x);
  }
  const xs = Float64Array.from(vals).sort();
  const ratio = spec.strong > 0 && spec.weak >= 0 && spec.weak < spec.strong ? spec.weak / spec.strong : DEFAULT_RATIO;
  const mags = Float64Array.from(vals.map(Math.abs).filter((m) => m > 0)).sort();
  let best = { s: spec.strong, share: -1 };
  let chosen: number | null = null;
  for (let k = mags.length - 1; k >= 0; k--) {
    const s = mags[k];
    if (k < mags.length - 1 && s === mags[k + 1]) continue;
    const share = rarestShare(xs, s, s * ratio, spec.weakZone);
    if (share >= target) {
      chosen = s;
      break;
    }
    if (share > best.share) best = { s, share };
  }
  const strong = chosen ?? best.s;
  const weak = strong * ratio;
  // The reported share is recounted with the labelling rules themselves (classBalance), so what
  // the page shows is exactly what the labels hold.
  const b = classBalance(fwd, { ...spec, strong, weak }, trainRows, scale);
  const rarest = Math.min(...b.fractions);
  return { target, strong, weak, rarest, reached: b.labelled > 0 && rarest >= target, rows: xs.length };
}
