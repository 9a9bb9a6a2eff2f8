/**
 * The chance level a shuffled-label control must score (control.ts). A predictor that knows
 * nothing about the labels, predicting class k with probability q_k on rows whose true class mix
 * is p_k, is right with probability Σ_k q_k·p_k: its chance accuracy depends on its own
 * prediction mix (always predicting the majority class scores max p, predicting the class mix
 * scores Σ p_k²), so comparing a control with the majority baseline flags a model that merely
 * predicts a more even mix as "worse than chance", and one that leaks but predicts a skewed mix
 * may hide under it. Its recall of class k is q_k, so its balanced accuracy is the mean of q_k
 * over the classes present in the truth: 1/K when it predicts only those K classes.
 */
import type { ConfusionMatrix } from "./confusion";

/** Expected scores of a predictor independent of the labels with the same prediction mix. */
export interface ChanceLevel {
  /** Σ_k p_pred(k)·p_true(k). */
  accuracy: number;
  /** Mean over the classes present in the truth of p_pred(k) (1/K when nothing is predicted outside them). */
  balancedAccuracy: number;
}

/**
 * The chance level of the predictions a confusion matrix counts (rows true class, columns
 * predicted class, as confusion.ts). NaN for an empty matrix.
 */
export function chanceLevel(confusion: ConfusionMatrix): ChanceLevel {
  const k = confusion.length;
  const rows = confusion.map((r) => r.reduce((a, b) => a + b, 0));
  const cols = Array.from({ length: k }, (_, c) => confusion.reduce((a, r) => a + r[c], 0));
  const n = rows.reduce((a, b) => a + b, 0);
  if (n === 0) return { accuracy: NaN, balancedAccuracy: NaN };
  let accuracy = 0;
  let recall = 0;
  let present = 0;
  for (let c = 0; c < k; c++) {
    accuracy += (cols[c] / n) * (rows[c] / n);
    if (rows[c] > 0) {
      recall += cols[c] / n;
      present++;
    }
  }
  return { accuracy, balancedAccuracy: recall / present };
}

/** Where a figure's interval lies against its chance level. */
export type ChanceVerdict = "consistent" | "above" | "below" | "unknown";

/**
 * "consistent" when the interval [lo, hi] contains `chance`, "above" when it lies wholly above
 * (the control learned something it cannot: a leak), "below" when wholly below, "unknown"
 * without an interval or a chance level.
 */
export function againstChance(interval: readonly [number, number] | null | undefined, chance: number): ChanceVerdict {
  if (!interval || !interval.every(Number.isFinite) || !Number.isFinite(chance)) return "unknown";
  if (interval[0] > chance) return "above";
  if (interval[1] < chance) return "below";
  return "consistent";
}

/** Both figures' verdicts as one: any "above" flags a leak, then "below", then "unknown". */
export function combinedChanceVerdict(verdicts: readonly ChanceVerdict[]): ChanceVerdict {
  for (const v of ["above", "below", "unknown"] as const) if (verdicts.includes(v)) return v;
  return "consistent";
}

/** What a control run's evaluation_metrics.json says beside each model's scores (snake_case like the file). */
export interface ControlRunReport {
  /** "control run: labels shuffled within each part". */
  description: string;
  /** Seed of the permutation. */
  seed: number;
  /** The chance level for this model's own prediction mix (chanceLevel). */
  chance_accuracy: number;
  chance_balanced_accuracy: number;
  /** Where the 95% block-bootstrap intervals lie against the chance levels (combinedChanceVerdict). */
  verdict: ChanceVerdict;
}
