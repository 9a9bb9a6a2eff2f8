/**
 * Classification metrics computed from a confusion matrix (accuracy, balanced accuracy, macro F1,
 * per-class precision/recall/F1/support) plus log loss from probabilities.
 *
 * Conventions (as scikit-learn with zero_division=0): a class never predicted has precision 0;
 * a class with no true samples has recall 0. Balanced accuracy averages recall over classes that
 * occur in the truth; macro F1 averages F1 over classes that occur in the truth or the predictions.
 */
import { CLASS_NAMES, NUM_CLASSES } from "../core/classes";
import { confusionFromProbs, confusionTotal, rowShares, type ConfusionMatrix } from "./confusion";

export interface ClassMetrics {
  className: string;
  precision: number;
  recall: number;
  f1: number;
  /** Number of true samples of this class. */
  support: number;
  /** Number of samples predicted as this class. */
  predicted: number;
}

export interface ClassificationMetrics {
  samples: number;
  accuracy: number;
  balancedAccuracy: number;
  macroF1: number;
  /** Mean negative natural log of the true class probability, clipped (see logLoss). */
  logLoss: number;
  perClass: ClassMetrics[];
  /** Counts, rows true / columns predicted. */
  confusion: ConfusionMatrix;
  /** Row-normalised confusion. */
  confusionShares: number[][];
}

/** Default clip for log loss: probabilities are clipped to [eps, 1 - eps]. */
export const LOG_LOSS_EPS = 1e-7;

/** Share of samples on the diagonal (0 when the matrix is empty). */
export function accuracyFromConfusion(cm: ConfusionMatrix): number {
  const total = confusionTotal(cm);
  if (total === 0) return 0;
  let diag = 0;
  for (let i = 0; i < cm.length; i++) diag += cm[i][i];
  return diag / total;
}

/** Precision, recall, F1 and support per class, in class order. */
export function perClassMetrics(cm: ConfusionMatrix, classNames: readonly string[] = CLASS_NAMES): ClassMetrics[] {
  const k = cm.length;
  const out: ClassMetrics[] = [];
  for (let c = 0; c < k; c++) {
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < k; j++) {
      support += cm[c][j];
      predicted += cm[j][c];
    }
    const tp = cm[c][c];
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    out.push({ className: classNames[c] ?? String(c), precision, recall, f1, support, predicted });
  }
  return out;
}

/** Mean recall over classes present in the truth (chance level = 1/k whatever the class balance). */
export function balancedAccuracy(cm: ConfusionMatrix): number {
  const per = perClassMetrics(cm);
  const present = per.filter((m) => m.support > 0);
  if (present.length === 0) return 0;
  return present.reduce((a, m) => a + m.recall, 0) / present.length;
}

/** Unweighted mean F1 over classes present in the truth or the predictions. */
export function macroF1(cm: ConfusionMatrix): number {
  const per = perClassMetrics(cm);
  const present = per.filter((m) => m.support > 0 || m.predicted > 0);
  if (present.length === 0) return 0;
  return present.reduce((a, m) => a + m.f1, 0) / present.length;
}

/**
 * Per-sample log loss −ln(p[true]) [N], where each row of `probs` [N*k] is first divided by its
 * sum (so unnormalised scores do not flatter the figure) and p[true] is clipped to
 * [eps, 1 - eps] so a single confident mistake costs -ln(eps) ≈ 16.1, not ∞.
 */
export function sampleLogLosses(
  labels: ArrayLike<number>,
  probs: ArrayLike<number>,
  k: number = NUM_CLASSES,
  eps: number = LOG_LOSS_EPS,
): Float64Array {
  const n = labels.length;
  if (probs.length !== n * k) throw new Error(`probs length ${probs.length} != ${n} * ${k}`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let rowSum = 0;
    for (let c = 0; c < k; c++) rowSum += probs[i * k + c];
    let p = rowSum > 0 ? probs[i * k + labels[i]] / rowSum : 0;
    if (!(p >= eps)) p = eps; // also catches NaN
    if (p > 1 - eps) p = 1 - eps;
    out[i] = -Math.log(p);
  }
  return out;
}

/** Log loss (cross-entropy, natural log): the mean of sampleLogLosses; 0 with no samples. */
export function logLoss(
  labels: ArrayLike<number>,
  probs: ArrayLike<number>,
  k: number = NUM_CLASSES,
  eps: number = LOG_LOSS_EPS,
): number {
  const losses = sampleLogLosses(labels, probs, k, eps);
  if (losses.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < losses.length; i++) sum += losses[i];
  return sum / losses.length;
}

/** Every classification metric for labels [N] (0..k-1) and probabilities [N*k] (prediction = argmax). */
export function classificationMetrics(
  labels: ArrayLike<number>,
  probs: ArrayLike<number>,
  classNames: readonly string[] = CLASS_NAMES,
): ClassificationMetrics {
  const k = classNames.length;
  const cm = confusionFromProbs(labels, probs, k);
  return {
    samples: labels.length,
    accuracy: accuracyFromConfusion(cm),
    balancedAccuracy: balancedAccuracy(cm),
    macroF1: macroF1(cm),
    logLoss: logLoss(labels, probs, k),
    perClass: perClassMetrics(cm, classNames),
    confusion: cm,
    confusionShares: rowShares(cm),
  };
}
