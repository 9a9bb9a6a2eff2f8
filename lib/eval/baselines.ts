/**
 * Baselines a model must beat, each returned as class probabilities [N*k] so the same metrics
 * (accuracy, log loss, confusion) apply to them as to the models.
 */
import { NO_LABEL, NUM_CLASSES } from "../core/classes";

/** Class frequencies of `trainLabels` (values 0..k-1; NO_LABEL and out-of-range values ignored). Sums to 1 (all zeros if empty). */
export function classFrequencies(trainLabels: ArrayLike<number>, k: number = NUM_CLASSES): Float64Array {
  const counts = new Float64Array(k);
  let n = 0;
  for (let i = 0; i < trainLabels.length; i++) {
    const c = trainLabels[i];
    if (c >= 0 && c < k) {
      counts[c]++;
      n++;
    }
  }
  if (n > 0) for (let c = 0; c < k; c++) counts[c] /= n;
  return counts;
}

/** The most frequent class of `trainLabels` (ties → lowest class index). */
export function majorityClass(trainLabels: ArrayLike<number>, k: number = NUM_CLASSES): number {
  const f = classFrequencies(trainLabels, k);
  let best = 0;
  for (let c = 1; c < k; c++) if (f[c] > f[best]) best = c;
  return best;
}

function repeatRow(row: ArrayLike<number>, n: number): Float32Array {
  const k = row.length;
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) out[i * k + c] = row[c];
  return out;
}

/**
 * Majority-class baseline: probability 1 on the training majority class for each of `n` samples.
 * Returns [n*k]. Its log loss is deliberately harsh (a certain, often wrong, forecast).
 */
export function majorityBaseline(trainLabels: ArrayLike<number>, n: number, k: number = NUM_CLASSES): Float32Array {
  const row = new Float64Array(k);
  row[majorityClass(trainLabels, k)] = 1;
  return repeatRow(row, n);
}

/**
 * Class-prior baseline: the training class frequencies as the probabilities of every one of `n`
 * samples. Returns [n*k]. Its accuracy equals the majority baseline's; its log loss is the entropy
 * of the prior on the test mix, the figure a model's log loss must beat to show any skill.
 */
export function classPriorBaseline(trainLabels: ArrayLike<number>, n: number, k: number = NUM_CLASSES): Float32Array {
  return repeatRow(classFrequencies(trainLabels, k), n);
}

/**
 * Previous-label (persistence) baseline: predicts for the sample ending at row t the label of row
 * t - horizon, with probability 1.
 *
 * Why t - horizon and not t - 1: the label of row s is the class of the return from close s to
 * close s + horizon, so at the close of row t (when the prediction is made) it is only known for
 * s <= t - horizon. Using the label of row t - 1 would peek up to horizon - 1 candles into the
 * future and make persistence look far better than any real-time forecaster could be.
 *
 * @param rowLabels per-row labels of the whole dataset [T] (Dataset.labels; NO_LABEL = -1 for none)
 * @param ends      window end rows of the evaluated samples [N] (e.g. split.test)
 * @param horizon   label horizon in rows (LabelSpec.horizon)
 * @param fallback  probabilities [k] used when row t - horizon has no label or lies before the
 *                  data (e.g. the class prior fitted on train); default uniform
 * @returns probabilities [N*k]
 */
export function previousLabelBaseline(
  rowLabels: ArrayLike<number>,
  ends: ArrayLike<number>,
  horizon: number,
  fallback?: ArrayLike<number>,
  k: number = NUM_CLASSES,
): Float32Array {
  if (!(horizon >= 1) || !Number.isInteger(horizon))
    throw new Error(`horizon must be a positive integer, got ${horizon}`);
  const fb = fallback ?? new Float64Array(k).fill(1 / k);
  if (fb.length !== k) throw new Error(`fallback has ${fb.length} entries, expected ${k}`);
  const n = ends.length;
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const s = ends[i] - horizon;
    const c = s >= 0 && s < rowLabels.length ? rowLabels[s] : NO_LABEL;
    if (c >= 0 && c < k) out[i * k + c] = 1;
    else for (let j = 0; j < k; j++) out[i * k + j] = fb[j];
  }
  return out;
}

/**
 * The three baselines on the same samples, keyed as in evaluation_metrics.json:
 * majority, class_prior, previous_label (whose fallback, for rows without a known earlier
 * label, is the class prior). Each [N*k].
 * @param trainLabels labels of the training samples [Ntrain]
 * @param rowLabels   per-row labels of the dataset [T] (NO_LABEL = -1)
 * @param ends        evaluated window end rows [N]
 */
export function allBaselines(
  trainLabels: ArrayLike<number>,
  rowLabels: ArrayLike<number>,
  ends: ArrayLike<number>,
  horizon: number,
  k: number = NUM_CLASSES,
): Record<"majority" | "class_prior" | "previous_label", Float32Array> {
  return {
    majority: majorityBaseline(trainLabels, ends.length, k),
    class_prior: classPriorBaseline(trainLabels, ends.length, k),
    previous_label: previousLabelBaseline(rowLabels, ends, horizon, classFrequencies(trainLabels, k), k),
  };
}
