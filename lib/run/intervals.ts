/**
 * The run's uncertainty: one block bootstrap of the test sequence (lib/eval/uncertainty) for
 * every result and backtest of a run, giving 95% intervals on every figure the dashboard shows
 * and the paired, Holm-corrected verdict (lib/eval/verdict). Positions are candles since the
 * first test end (the backtests' grid), so a block is a block of time even where test ends skip
 * rows, and bar returns ride in the same blocks as the samples.
 */
import type { Dataset } from "@/lib/core/dataset";
import {
  barReturns,
  bootstrapIntervals,
  bootstrapTestSequence,
  deflatedSharpeRatio,
  pairedVerdict,
  probabilisticSharpeRatio,
  returnMoments,
  YEAR_MS,
  type BacktestResult,
  type EvaluationMetricsJson,
} from "@/lib/eval";
import type { BacktestSummary, ResultSummary, RunSummary } from "./types";

/** Family-wise level of the verdict per metric. */
export const VERDICT_ALPHA = 0.05;

/**
 * Intervals and verdict of a run's test part.
 * @param testLabels [N] true classes of the test samples (dataset.split.test order)
 * @param resultProbs test probabilities [N*4] of every result in `results` (same ids)
 * @param backtests every backtest of the run, keyed by the probabilities it traded
 */
export function intervalsAndVerdict(
  dataset: Dataset,
  testLabels: Uint8Array,
  results: ResultSummary[],
  resultProbs: { id: string; probs: Float32Array }[],
  backtests: Map<Float32Array, BacktestResult>,
  resamples: number | undefined,
) {
  const probsToId = new Map(resultProbs.map((r) => [r.probs, r.id]));
  const curves = [...backtests].map(([probs, bt]) => ({ id: probsToId.get(probs)!, bt }));
  const grid = curves[0].bt;
  for (const c of curves)
    if (c.bt.equity.length !== grid.equity.length || c.bt.times[0] !== grid.times[0])
      throw new Error(`backtest of ${c.id} is not on the same candles as the others`);
  const t0 = grid.times[0];
  const periodsPerYear = YEAR_MS / grid.barMs;
  // A pooled multi-symbol dataset has several samples per candle and its backtest trades the
  // first symbol only: its samples are resampled in their stored order (one block of rows per
  // symbol) and the backtest gets no interval, rather than a wrong one.
  const pooled = dataset.rowSymbol !== undefined && (dataset.symbols?.length ?? 1) > 1;
  const boot = bootstrapTestSequence(
    pooled
      ? { labels: testLabels }
      : {
          labels: testLabels,
          positions: Int32Array.from(dataset.split.test, (t) => Math.round((dataset.times[t] - t0) / grid.barMs)),
          gridLength: grid.equity.length,
        },
    resultProbs,
    pooled ? [] : curves.map((c) => ({ id: c.id, returns: barReturns(c.bt.equity), periodsPerYear })),
    { horizon: dataset.labelSpec.horizon, resamples },
  );
  const ci = bootstrapIntervals(boot);
  const ci95: Record<string, NonNullable<ResultSummary["metrics"]["ci95"]>> = {};
  for (const r of results) {
    const c = ci.classification[r.id];
    ci95[r.id] = {
      accuracy: c.accuracy,
      balancedAccuracy: c.balancedAccuracy,
      logLoss: r.metrics.logLoss === null ? null : c.logLoss,
    };
  }
  const reportCi95: Record<string, NonNullable<EvaluationMetricsJson["ci95"]>> = {};
  for (const r of results) {
    const c = ci.classification[r.id];
    const b = ci.bars[r.id];
    reportCi95[r.id] = {
      test_accuracy: c.accuracy,
      test_balanced_accuracy: c.balancedAccuracy,
      test_log_loss: c.logLoss,
      ...(b ? { total_return: b.totalReturn, sharpe_ratio: b.sharpe } : {}),
    };
  }
  const meta: NonNullable<RunSummary["uncertainty"]> = {
    method: "stationary-block-bootstrap",
    blockLength: boot.blockLength,
    resamples: boot.resamples,
    seed: boot.seed,
    alpha: VERDICT_ALPHA,
  };
  return {
    /** Per result id: the dashboard's intervals. */
    ci95,
    /** Per result id: evaluation_metrics.json's intervals (with the backtest's when it has one). */
    reportCi95,
    verdict: pairedVerdict(results, boot, VERDICT_ALPHA),
    meta,
    /**
     * The traded backtest's intervals, probabilistic Sharpe ratio (per-bar returns, against 0)
     * and deflated Sharpe ratio: the PSR against the Sharpe the best of the trials would show by
     * luck. Trials: `trialSharpes`, the per-bar Sharpes of every configuration evaluated on the
     * test part (lib/run/trials.ts); default the run's backtested strategies (every model and
     * ensemble, traded on the same candles).
     */
    backtest(
      id: string,
      bt: BacktestResult,
      trialSharpes: readonly number[] = curves.map((c) => returnMoments(barReturns(c.bt.equity)).sharpe),
      fromOtherRuns = 0,
    ): Pick<BacktestSummary, "ci95" | "probabilisticSharpe" | "deflatedSharpe"> {
      const b = ci.bars[id];
      const m = returnMoments(barReturns(bt.equity));
      const psr = probabilisticSharpeRatio(m.sharpe, 0, m.n, m.skewness, m.kurtosis);
      const trials = trialSharpes.length;
      const mean = trialSharpes.reduce((a, x) => a + x, 0) / trials;
      const variance = trials > 1 ? trialSharpes.reduce((a, x) => a + (x - mean) ** 2, 0) / (trials - 1) : 0;
      const d = deflatedSharpeRatio({ ...m, trials, trialSharpeVariance: variance });
      return {
        ...(b ? { ci95: { totalReturn: b.totalReturn, sharpe: b.sharpe } } : {}),
        ...(Number.isFinite(psr) ? { probabilisticSharpe: psr } : {}),
        ...(Number.isFinite(d.dsr) && trials > 1
          ? {
              deflatedSharpe: {
                dsr: d.dsr,
                trials,
                benchmarkSharpe: d.benchmark * Math.sqrt(periodsPerYear),
                ...(fromOtherRuns > 0 ? { fromOtherRuns } : {}),
              },
            }
          : {}),
      };
    },
  };
}
