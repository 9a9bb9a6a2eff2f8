/**
 * Trials (issue 12): every application of backtest rules to a run's test part is recorded, so
 * the deflated Sharpe ratio knows how many configurations met the test part and how widely
 * their Sharpes spread, and the page can say when the rules shown were chosen after a test
 * result was seen. Pure: summarizeRun appends a trial to the stored list, lib/db rebuilds one for
 * runs stored before trials were recorded.
 *
 * A configuration is a result traded with one set of rules (signals' result, long-only, minimum
 * confidence, sizing, fee). One application evaluates every model and ensemble of the run with
 * its rules (each one's backtest is in its evaluation_metrics.json), so it adds one configuration
 * per result; applying rules already applied adds no configuration (the same figures again), but
 * is still recorded as an application. The deflated Sharpe ratio's trial count is the number of
 * distinct configurations, which is at least the run's strategies plus one per application with
 * new rules.
 */
import { DEFAULT_BACKTEST_SETTINGS, YEAR_MS } from "@/lib/eval/backtest";
import type { BacktestReport, EvaluationMetricsJson } from "@/lib/eval/report";
import type { BacktestChoice, BacktestSummary, BacktestTrial, RulesSource } from "./types";

/** Per-bar (not annualised) Sharpe of one result traded with a trial's rules. */
export interface TrialStrategy {
  model: string;
  sharpe: number;
}

/** What a new application of rules to the test part measured. */
export interface TrialMeasure {
  /** UTC ms. */
  at: number;
  source: RulesSource;
  rules: BacktestChoice;
  /** Annualised Sharpe of the traded result. */
  testSharpe: number;
  bars: number;
  strategies: TrialStrategy[];
}

/**
 * The record of applying rules after the `prior` applications.
 *
 * afterTestSeen is true whenever an earlier application exists: its test figures were on the
 * page before these rules were chosen. That holds for rules the validation tuner picked as
 * well: the tuner reads no test row, but choosing to tune, the fee it keeps and whether to keep
 * its answer were all decided with a test result in view, so the mark stays (the source says the
 * rules themselves came from validation). Only the first evaluation after training (or a bundle
 * import) is free of it.
 */
export function newTrial(prior: readonly BacktestTrial[], m: TrialMeasure): BacktestTrial {
  return {
    at: m.at,
    source: m.source,
    afterTestSeen: prior.length > 0,
    rules: { tradedModel: m.rules.tradedModel, settings: { ...m.rules.settings } },
    testSharpe: m.testSharpe,
    bars: m.bars,
    strategies: m.strategies.map((s) => ({ model: s.model, sharpe: s.sharpe })),
  };
}

/** One key per configuration: the rules that move figures (the traded choice moves none) and the result. */
function configurationKey(settings: BacktestChoice["settings"], model: string): string {
  return [settings.longOnly, settings.minConfidence, settings.sizing, settings.feeRate, model].join("|");
}

/**
 * The distinct configurations the trials evaluated on the test part, first seen first, each with
 * its per-bar Sharpe: the deflated Sharpe ratio's trials.
 */
export function testedConfigurations(trials: readonly BacktestTrial[]): TrialStrategy[] {
  const seen = new Map<string, TrialStrategy>();
  for (const t of trials)
    for (const s of t.strategies) {
      const key = configurationKey(t.rules.settings, s.model);
      if (!seen.has(key)) seen.set(key, { model: s.model, sharpe: s.sharpe });
    }
  return [...seen.values()];
}

/** The latest trial's provenance as the backtest summary carries it; undefined with no trial. */
export function rulesOf(trials: readonly BacktestTrial[]): BacktestSummary["rules"] {
  const last = trials[trials.length - 1];
  return last && { source: last.source, afterTestSeen: last.afterTestSeen, applications: trials.length };
}

/** What evaluation_metrics.json's backtest says of the trials. */
export function trialReport(
  trials: readonly BacktestTrial[],
  fromOtherRuns = 0,
): Pick<BacktestReport, "trials" | "test_applications" | "rules_source" | "after_test_seen"> {
  const rules = rulesOf(trials);
  if (!rules) return {};
  return {
    trials: testedConfigurations(trials).length + fromOtherRuns,
    test_applications: rules.applications,
    rules_source: rules.source,
    after_test_seen: rules.afterTestSeen,
  };
}

/** `metrics` with every backtest carrying the trials' report. */
export function withTrialReport(
  metrics: Record<string, EvaluationMetricsJson>,
  trials: readonly BacktestTrial[],
  fromOtherRuns = 0,
): Record<string, EvaluationMetricsJson> {
  const report = trialReport(trials, fromOtherRuns);
  return Object.fromEntries(
    Object.entries(metrics).map(([id, m]) => [id, m.backtest ? { ...m, backtest: { ...m.backtest, ...report } } : m]),
  );
}

/**
 * The trial list of an evaluation stored before trials were recorded: one trial, the backtest it
 * shows, with each result's per-bar Sharpe from its evaluation_metrics.json (annualised Sharpe
 * over √(bars per year), the bar taken from the equity curve's span). A run whose rules were
 * changed on the Results page (`retraded`) is marked manual and after the test was seen; how
 * many applications came before is unknown (`reconstructed`), so its count is a lower bound.
 * @param at when the trial took place, as well as can be known (the record's last update)
 */
export function reconstructedTrials(
  backtest: BacktestSummary | undefined,
  metrics: Record<string, EvaluationMetricsJson>,
  retraded: boolean,
  at: number,
): BacktestTrial[] {
  if (!backtest) return [];
  const points = backtest.equity.length;
  const barMs = points > 1 ? (backtest.end - backtest.start) / (points - 1) : NaN;
  const perBar = barMs > 0 ? Math.sqrt(barMs / YEAR_MS) : NaN;
  const strategies = Object.entries(metrics)
    .filter(([, m]) => m.backtest)
    .map(([model, m]) => ({ model, sharpe: m.backtest!.sharpe_ratio * perBar }));
  if (!strategies.some((s) => s.model === backtest.model))
    strategies.push({ model: backtest.model, sharpe: backtest.sharpe * perBar });
  return [
    {
      at,
      source: retraded ? "manual" : "training",
      afterTestSeen: retraded,
      rules: {
        tradedModel: backtest.model,
        settings: {
          // Summaries made before the settings were kept used the defaults of their time.
          longOnly: backtest.longOnly ?? DEFAULT_BACKTEST_SETTINGS.longOnly,
          minConfidence: backtest.minConfidence ?? DEFAULT_BACKTEST_SETTINGS.minConfidence,
          sizing: backtest.sizing ?? DEFAULT_BACKTEST_SETTINGS.sizing,
          feeRate: backtest.feeBps / 10_000,
        },
      },
      testSharpe: backtest.sharpe,
      bars: points,
      strategies,
      reconstructed: true,
    },
  ];
}

/** A stored run as otherRunsConfigurations reads it. */
export interface RunTrials {
  id: string;
  /** A walk-forward run tests the walked span, not the dataset's test part. */
  walk: boolean;
  trials: readonly BacktestTrial[];
}

/**
 * The configurations the single-split runs of one dataset other than `selfId` evaluated on its
 * test part (each run's distinct ones; the dataset and its split are the same, so are the test
 * candles): trials of any run's deflated Sharpe ratio as much as its own.
 */
export function otherRunsConfigurations(runs: readonly RunTrials[], selfId: string): TrialStrategy[] {
  return runs.filter((r) => r.id !== selfId && !r.walk).flatMap((r) => testedConfigurations(r.trials));
}
