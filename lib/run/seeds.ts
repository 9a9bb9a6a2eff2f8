/**
 * A run of several seeds (the Train page's "seeds"): seed offset k trains every model with its
 * configured seed + k, and each seed is scored exactly as the run is (summarizeRun: the same
 * metrics, ensembles and backtest). The run's own models, ensembles, verdict and backtest are
 * seed 0's: fixed before any result was seen, so no seed is picked for its test score.
 */
import { meanStd, type BacktestReport } from "@/lib/eval";
import type { SeedResult, SeedsSummary } from "./seeds-schema";
import type { ResultSummary } from "./types";

export { SEED_COUNTS, type SeedResult, type SeedScore, type SeedsSummary } from "./seeds-schema";

/**
 * One seed's results from its evaluation: every model's and ensemble's test figures, with the
 * Sharpe and total return of trading its signals (its evaluation_metrics.json backtest).
 */
export function seedEntry(
  offset: number,
  evaluation: {
    summary: { results: readonly Pick<ResultSummary, "id" | "kind" | "metrics">[] };
    metrics: Readonly<Record<string, { backtest?: Pick<BacktestReport, "sharpe_ratio" | "total_return"> }>>;
  },
): SeedResult {
  return {
    offset,
    results: evaluation.summary.results
      .filter((r) => r.kind !== "baseline")
      .map((r) => {
        const bt = evaluation.metrics[r.id]?.backtest;
        return {
          id: r.id,
          accuracy: r.metrics.accuracy,
          balancedAccuracy: r.metrics.balancedAccuracy,
          macroF1: r.metrics.macroF1,
          logLoss: r.metrics.logLoss,
          sharpe: bt ? bt.sharpe_ratio : null,
          totalReturn: bt ? bt.total_return : null,
        };
      }),
  };
}

/**
 * Mean ± std over the seeds of every figure of every result seed 0 has, in seed 0's order;
 * undefined for one seed (the dashboard then shows the run as before).
 */
export function seedsSummary(perSeed: readonly SeedResult[]): SeedsSummary | undefined {
  if (perSeed.length < 2) return undefined;
  return {
    count: perSeed.length,
    rows: perSeed[0].results.map(({ id }) => {
      const scores = perSeed.map((s) => s.results.find((r) => r.id === id));
      const stat = (k: "accuracy" | "balancedAccuracy" | "macroF1" | "logLoss" | "sharpe" | "totalReturn") =>
        meanStd(scores.map((s) => (s ? s[k] : null)));
      return {
        id,
        accuracy: stat("accuracy"),
        balancedAccuracy: stat("balancedAccuracy"),
        macroF1: stat("macroF1"),
        logLoss: stat("logLoss"),
        sharpe: stat("sharpe"),
        totalReturn: stat("totalReturn"),
      };
    }),
  };
}

/** "43.1 ± 1.2%" (fractions as percent) or "0.512 ± 0.034"; "—" without a spread (fewer than two seeds). */
export function meanStdText(
  stat: { mean: number; std: number } | null,
  kind: "pct" | "num",
  digits = kind === "pct" ? 1 : 3,
): string {
  if (!stat || !Number.isFinite(stat.mean) || !Number.isFinite(stat.std)) return "—";
  const k = kind === "pct" ? 100 : 1;
  return `${(stat.mean * k).toFixed(digits)} ± ${(stat.std * k).toFixed(digits)}${kind === "pct" ? "%" : ""}`;
}
