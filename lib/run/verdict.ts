/**
 * The run-level figures the dashboard states beside the comparison table, computed once
 * (summarizeRun) so the Results page and a share link say the same thing; for summaries made
 * before they were stored, computed from the results as the dashboard did then.
 */
import { estimatedEnsembleAccuracy } from "@/lib/eval/ensemble";
import { independentSampleVerdict, type MetricVerdict } from "@/lib/eval/verdict";
import type { EnsembleSummary, ResultSummary } from "./schema";

/** Test samples per true class: the first result's confusion rows summed (every result sees the same samples). */
export function classCounts(results: readonly ResultSummary[]): number[] {
  return results[0]?.confusion.map((row) => row.reduce((a, b) => a + b, 0)) ?? [];
}

/**
 * The old verdict (independent-sample bands) from a summary's results alone: for summaries made
 * before the run kept per-sample predictions' verdict (summarizeRun computes the paired block
 * bootstrap from the predictions, lib/run/intervals.ts).
 */
export function legacyVerdict(results: readonly ResultSummary[]): MetricVerdict[] {
  return independentSampleVerdict(results, classCounts(results));
}

/**
 * The guide's estimate of the ensemble's accuracy (the models' accuracies averaged with the
 * fixed weights), or undefined when the run has no ensemble.
 */
export function guideEstimate(
  results: readonly ResultSummary[],
  weights: EnsembleSummary["weights"],
): number | undefined {
  if (!results.some((r) => r.id === "ensemble")) return undefined;
  const accs = Object.fromEntries(results.filter((r) => r.kind === "model").map((r) => [r.id, r.metrics.accuracy]));
  return estimatedEnsembleAccuracy(accs, Object.fromEntries(weights.map((w) => [w.model, w.weight])));
}

/**
 * A summary made before the run owned its summary (run records of format 1, share links of
 * version 1) lacks the verdict and the ensemble estimate: both are computed from its results, as
 * the dashboard computed them then.
 */
export function completeLegacySummary<S extends { results: ResultSummary[]; ensemble: EnsembleSummary }>(
  s: S,
): S & { verdict: MetricVerdict[] } {
  const estimatedAccuracy = s.ensemble.estimatedAccuracy ?? guideEstimate(s.results, s.ensemble.weights);
  return {
    ...s,
    ensemble: { ...s.ensemble, ...(Number.isFinite(estimatedAccuracy) ? { estimatedAccuracy } : {}) },
    verdict: legacyVerdict(s.results),
  };
}
