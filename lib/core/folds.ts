/**
 * Walk-forward folds by calendar time, as an analyst retrains: every `cadence` (default a month)
 * the models are trained again on what was known by then and tested on the next period. Each
 * fold has a training window (expanding from the first row, or rolling over the last N days)
 * whose tail is the fold's validation part, then its test block.
 *
 * Where the gaps go: the purge (≥ horizon rows) and the embargo (≥ window rows) are taken from
 * the part BEFORE each boundary, so test blocks (and validation tails) stay whole and the pooled
 * out-of-sample record covers the walked span without holes. With b the first row of the later
 * part, earlier samples end at t ≤ b − 1 − purge − embargo, so their label rows (t … t + horizon)
 * end before b − embargo, i.e. before the first row of any later window (b − window + 1) when
 * embargo ≥ window: no label and no window crosses a boundary.
 */

export type WalkCadence = "monthly" | "biweekly" | "weekly";

export interface WalkSpec {
  /** "expanding": train from the first row; "rolling": only the last `rollingDays` before the test block. */
  window: "expanding" | "rolling";
  /** Length of a rolling training window (days, validation tail included). */
  rollingDays: number;
  /** How often the models are retrained: the length of each test block. */
  cadence: WalkCadence;
  /** The span walked: the last `walkMonths` calendar months of the dataset (UTC). */
  walkMonths: number;
  /** Share of each fold's training window held out as its validation tail (0 < valShare < 1). */
  valShare: number;
  /** Rows dropped before each boundary (≥ the label horizon). */
  purge: number;
  /** Further rows dropped before each boundary (≥ the window length). */
  embargo: number;
  /** Folds whose training part has fewer samples are skipped (reported, never trained). */
  minTrainSamples: number;
}

/** The guide retrains monthly; a year of monthly folds, 15% validation tails. */
export function defaultWalkSpec(horizon: number, window: number): WalkSpec {
  return {
    window: "expanding",
    rollingDays: 365,
    cadence: "monthly",
    walkMonths: 12,
    valShare: 0.15,
    purge: horizon,
    embargo: window,
    minTrainSamples: 500,
  };
}

export interface Fold {
  /** 1-based, in time order. */
  index: number;
  /** Sample end rows (ascending) of each part. */
  train: Int32Array;
  val: Int32Array;
  test: Int32Array;
  /** Open times (UTC ms) of the first and last sample of the training part and of the test block. */
  trainSpan: [number, number];
  testSpan: [number, number];
}

export interface WalkPlan {
  folds: Fold[];
  /** Periods of the walk that got no fold, and why (too little training data, no test sample). */
  skipped: { testFrom: number; testTo: number; reason: string }[];
}

const DAY = 86_400_000;

/** Start (UTC ms) of each test block covering the last `spec.walkMonths` months up to `lastTime`, plus the end bound. */
export function walkBoundaries(lastTime: number, spec: Pick<WalkSpec, "cadence" | "walkMonths">): number[] {
  const end = new Date(lastTime);
  const walkStart = Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - (spec.walkMonths - 1), 1);
  const stop = lastTime + 1;
  const out: number[] = [];
  if (spec.cadence === "monthly") {
    for (let m = 0; ; m++) {
      const t = Date.UTC(new Date(walkStart).getUTCFullYear(), new Date(walkStart).getUTCMonth() + m, 1);
      if (t >= stop) break;
      out.push(t);
    }
  } else {
    const step = (spec.cadence === "weekly" ? 7 : 14) * DAY;
    for (let t = walkStart; t < stop; t += step) out.push(t);
  }
  out.push(stop);
  return out;
}

/** Index of the first element of ascending `a` that is ≥ x. */
function lowerBound(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Plans the walk over a dataset's candidate sample ends.
 * @param times open time (UTC ms) of each row [T], ascending
 * @param candidates rows that can end a sample (lib/core/splits candidateEnds), ascending
 */
export function walkForwardFolds(times: ArrayLike<number>, candidates: Int32Array, spec: WalkSpec): WalkPlan {
  const plan: WalkPlan = { folds: [], skipped: [] };
  if (candidates.length === 0) return plan;
  const gap = spec.purge + spec.embargo;
  const bounds = walkBoundaries(times[candidates[candidates.length - 1]], spec);
  const candTimes = Array.from(candidates, (t) => times[t]);
  for (let k = 0; k + 1 < bounds.length; k++) {
    const [from, to] = [bounds[k], bounds[k + 1]];
    const test = candidates.subarray(lowerBound(candTimes, from), lowerBound(candTimes, to));
    if (test.length === 0) {
      plan.skipped.push({ testFrom: from, testTo: to, reason: "no sample in this period" });
      continue;
    }
    // Row b: the first row of the test block; earlier samples end at t ≤ b − 1 − gap.
    const b = lowerBound(times, from);
    const firstAllowed = spec.window === "rolling" ? lowerBound(candTimes, from - spec.rollingDays * DAY) : 0;
    const before = candidates.subarray(firstAllowed, lowerBound(candidates, b - gap));
    // The validation tail: the last valShare of the window, with the same gap before it.
    const cut = before.length > 0 ? before[Math.floor(before.length * (1 - spec.valShare))] : 0;
    const val = before.subarray(lowerBound(before, cut));
    const train = before.subarray(0, lowerBound(before, cut - gap));
    if (train.length < spec.minTrainSamples || val.length === 0) {
      plan.skipped.push({
        testFrom: from,
        testTo: to,
        reason: `only ${train.length} training and ${val.length} validation samples (at least ${spec.minTrainSamples} and 1 needed)`,
      });
      continue;
    }
    plan.folds.push({
      index: plan.folds.length + 1,
      train: Int32Array.from(train),
      val: Int32Array.from(val),
      test: Int32Array.from(test),
      trainSpan: [times[train[0]], times[train[train.length - 1]]],
      testSpan: [times[test[0]], times[test[test.length - 1]]],
    });
  }
  return plan;
}

/** Problems with a walk specification, in words (empty when it can run). */
export function walkSpecIssues(spec: WalkSpec, horizon: number, window: number): string[] {
  const issues: string[] = [];
  if (!(spec.valShare > 0 && spec.valShare < 1)) issues.push("The validation tail must be between 0% and 100%.");
  if (!(Number.isInteger(spec.walkMonths) && spec.walkMonths >= 1 && spec.walkMonths <= 120))
    issues.push("The span to walk must be 1 to 120 months.");
  if (spec.window === "rolling" && !(spec.rollingDays >= 7))
    issues.push("A rolling training window must be at least 7 days.");
  if (spec.purge < horizon) issues.push(`The purge must be at least the label horizon (${horizon} rows).`);
  if (spec.embargo < window) issues.push(`The embargo must be at least the window (${window} rows).`);
  if (!(Number.isInteger(spec.minTrainSamples) && spec.minTrainSamples >= 1))
    issues.push("The minimum training samples must be a whole number ≥ 1.");
  return issues;
}
