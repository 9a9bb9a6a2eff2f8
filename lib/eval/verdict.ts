/**
 * The plain question the dashboard answers first: does any model do better than the trivial
 * baselines on the test part? A gap smaller than two standard errors counts as noise: for
 * accuracy, the binomial error of the best baseline (√(p(1−p)/n)); for balanced accuracy, the
 * error of a chance-level classifier's mean recall (√(Σ_c (1/K)(1−1/K)/n_c) / K). Rough bands,
 * stated as such, not significance tests.
 */

/** What the verdict needs of a result row (a model, an ensemble or a baseline). */
export interface VerdictRow {
  id: string;
  label: string;
  kind: "model" | "ensemble" | "baseline";
  metrics: { accuracy: number; balancedAccuracy: number };
}

export interface MetricVerdict {
  metric: "accuracy" | "balancedAccuracy";
  best: { id: string; label: string; value: number };
  /** Two standard errors: gaps at or below this are noise. */
  noise: number;
  /** Models and ensembles with their gap to the best baseline, best first. */
  rows: { id: string; label: string; value: number; gap: number; clear: boolean }[];
}

/** Two standard errors of each metric for `classCounts` test samples per true class. */
export function noiseBands(
  bestAccuracy: number,
  classCounts: readonly number[],
): { accuracy: number; balancedAccuracy: number } {
  const n = classCounts.reduce((a, b) => a + b, 0);
  const present = classCounts.filter((c) => c > 0);
  const K = present.length;
  const chance = K > 0 ? 1 / K : 0;
  const varSum = present.reduce((s, c) => s + (chance * (1 - chance)) / c, 0);
  return {
    accuracy: n > 0 ? 2 * Math.sqrt((bestAccuracy * (1 - bestAccuracy)) / n) : Infinity,
    balancedAccuracy: K > 0 ? (2 * Math.sqrt(varSum)) / K : Infinity,
  };
}

/**
 * Accuracy and balanced accuracy of every model and ensemble against the best baseline.
 * @param classCounts test samples per true class (the confusion matrix's row sums)
 */
export function baselineVerdict(results: readonly VerdictRow[], classCounts: readonly number[]): MetricVerdict[] {
  const baselines = results.filter((r) => r.kind === "baseline");
  const learners = results.filter((r) => r.kind !== "baseline");
  if (baselines.length === 0 || learners.length === 0) return [];
  return (["accuracy", "balancedAccuracy"] as const).map((metric) => {
    const best = baselines.reduce((a, b) => (b.metrics[metric] > a.metrics[metric] ? b : a));
    const p = best.metrics[metric];
    const noise = noiseBands(best.metrics.accuracy, classCounts)[metric];
    const rows = learners
      .map((r) => {
        const gap = r.metrics[metric] - p;
        return { id: r.id, label: r.label, value: r.metrics[metric], gap, clear: gap > noise };
      })
      .sort((a, b) => b.value - a.value);
    return { metric, best: { id: best.id, label: best.label, value: p }, noise, rows };
  });
}
