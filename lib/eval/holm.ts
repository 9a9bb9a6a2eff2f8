/**
 * Holm's step-down correction (Holm 1979) for m comparisons at family-wise level α: sort the
 * p-values, compare the i-th smallest (i = 0..m-1) with α/(m − i), reject until the first that
 * fails. The interval shown for a comparison of rank i is drawn at the matching level
 * 1 − α/(m − i), so "its corrected interval excludes zero" and "Holm rejects it" say the same
 * thing (up to the resolution of the bootstrap quantiles).
 */

export interface HolmResult {
  /** Holm-adjusted p-values, in input order: max over earlier ranks of min(1, (m − rank) p). */
  adjusted: number[];
  /** Whether each hypothesis is rejected at `alpha`, in input order. */
  rejected: boolean[];
  /** Two-sided confidence level of each comparison's interval, 1 − α/(m − rank), in input order. */
  levels: number[];
}

/** Holm step-down over `pValues` [m] at family-wise level `alpha` (default 0.05). */
export function holm(pValues: readonly number[], alpha = 0.05): HolmResult {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p: Number.isFinite(p) ? p : 1, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number>(m).fill(1);
  const rejected = new Array<boolean>(m).fill(false);
  const levels = new Array<number>(m).fill(1 - alpha);
  let running = 0;
  let stillRejecting = true;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
    levels[i] = 1 - alpha / (m - rank);
    stillRejecting = stillRejecting && p <= alpha / (m - rank);
    rejected[i] = stillRejecting;
  });
  return { adjusted, rejected, levels };
}
