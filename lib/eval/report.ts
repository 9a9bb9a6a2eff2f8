/**
 * evaluation_metrics.json per model (the guide's file: compare_models.py reads `test_accuracy`)
 * and a run-level comparison table. Keys are snake_case like the guide's. Non-finite figures
 * (win rate with no trades, profit factor with no losing trade) become null so the JSON is valid.
 */
import { CLASS_NAMES } from "../core/classes";
import type { BacktestResult } from "./backtest";
import type { ControlRunReport } from "./chance";
import { classificationMetrics, type ClassificationMetrics } from "./metrics";
import { confusionSigns } from "./signs";
import { gradeAgainstTargets, type Grade } from "./targets";

export interface ClassReport {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ScoreReport {
  test_accuracy: number;
  test_balanced_accuracy: number;
  test_macro_f1: number;
  test_log_loss: number;
}

export interface BacktestReport {
  total_return: number;
  sharpe_ratio: number;
  /** null with no trades. */
  win_rate: number | null;
  max_drawdown: number;
  /** null with no trades or no losing trade. */
  profit_factor: number | null;
  trades: number;
  exposure: number;
  buy_hold_return: number;
  buy_hold_sharpe: number;
  buy_hold_max_drawdown: number;
  fee_rate: number;
  min_confidence: number;
  long_only: boolean;
  sizing: "confidence" | "full";
  /** Configurations evaluated on the test part so far (the deflated Sharpe ratio's trial count). */
  trials?: number;
  /** Applications of backtest rules to the test part so far, this one included. */
  test_applications?: number;
  /** Who chose these rules: the evaluation's defaults, the validation tuner or the user. */
  rules_source?: "training" | "tuned-on-validation" | "manual";
  /** True when the rules were chosen after a test result had been shown. */
  after_test_seen?: boolean;
}

export interface EvaluationMetricsJson extends ScoreReport {
  model: string;
  test_samples: number;
  classes: string[];
  per_class: Record<string, ClassReport>;
  /** Counts, rows true / columns predicted, class order as `classes`. */
  confusion_matrix: number[][];
  /** Row-normalised. */
  confusion_matrix_normalized: number[][];
  /** The guide's good/bad signs on the confusion matrix. */
  signs: { id: string; kind: "good" | "bad"; ok: boolean; label: string; detail: string }[];
  /** Same scores for the baselines on the same test samples, e.g. majority, class_prior, previous_label. */
  baselines?: Record<string, ScoreReport>;
  backtest?: BacktestReport;
  /** Grades against the guide's performance targets (accuracy, and Sharpe / win rate when backtested). */
  targets: { overall: Grade | null; details: string[] };
  /** Ensemble only: weights used. */
  ensemble_weights?: Record<string, number>;
  /** Ensemble only: the guide's naive weighted average of accuracies, shown beside the real figure. */
  estimated_accuracy?: number;
  /** 95% block-bootstrap intervals [lo, hi] of the test figures (lib/eval/uncertainty). */
  ci95?: {
    test_accuracy: [number, number];
    test_balanced_accuracy: [number, number];
    test_log_loss: [number, number];
    total_return?: [number, number];
    sharpe_ratio?: [number, number];
  };
  /** A shuffled-label control run: its chance levels and verdict (lib/run/control.ts). */
  control_run?: ControlRunReport;
}

export interface EvaluationExtras {
  /** Baseline probabilities [N*4] per name, on the same samples. */
  baselines?: Record<string, Float32Array>;
  backtest?: BacktestResult;
  ensembleWeights?: Record<string, number>;
  estimatedAccuracy?: number;
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

function scores(m: ClassificationMetrics): ScoreReport {
  return {
    test_accuracy: m.accuracy,
    test_balanced_accuracy: m.balancedAccuracy,
    test_macro_f1: m.macroF1,
    test_log_loss: m.logLoss,
  };
}

/**
 * Builds a model's evaluation_metrics.json object from its test labels [N] and probabilities [N*4].
 * @param model e.g. "transformer", "lstm", "random_forest", "ensemble"
 */
export function evaluationMetrics(
  model: string,
  labels: ArrayLike<number>,
  probs: ArrayLike<number>,
  extras: EvaluationExtras = {},
): EvaluationMetricsJson {
  const m = classificationMetrics(labels, probs);
  const per_class: Record<string, ClassReport> = {};
  for (const c of m.perClass)
    per_class[c.className] = { precision: c.precision, recall: c.recall, f1: c.f1, support: c.support };
  const out: EvaluationMetricsJson = {
    model,
    ...scores(m),
    test_samples: m.samples,
    classes: [...CLASS_NAMES],
    per_class,
    confusion_matrix: m.confusion,
    confusion_matrix_normalized: m.confusionShares,
    signs: confusionSigns(m.confusion).map(({ id, kind, ok, label, detail }) => ({ id, kind, ok, label, detail })),
    targets: { overall: null, details: [] },
  };
  if (extras.baselines) {
    out.baselines = {};
    for (const [name, p] of Object.entries(extras.baselines))
      out.baselines[name] = scores(classificationMetrics(labels, p));
  }
  const bt = extras.backtest;
  if (bt) {
    out.backtest = {
      total_return: bt.metrics.totalReturn,
      sharpe_ratio: bt.metrics.sharpe,
      win_rate: finiteOrNull(bt.metrics.winRate),
      max_drawdown: bt.metrics.maxDrawdown,
      profit_factor: finiteOrNull(bt.metrics.profitFactor),
      trades: bt.metrics.trades,
      exposure: bt.metrics.exposure,
      buy_hold_return: bt.buyHoldMetrics.totalReturn,
      buy_hold_sharpe: bt.buyHoldMetrics.sharpe,
      buy_hold_max_drawdown: bt.buyHoldMetrics.maxDrawdown,
      fee_rate: bt.settings.feeRate,
      min_confidence: bt.settings.minConfidence,
      long_only: bt.settings.longOnly,
      sizing: bt.settings.sizing,
    };
  }
  const grades = gradeAgainstTargets({
    accuracy: m.accuracy,
    sharpe: bt?.metrics.sharpe,
    winRate: bt?.metrics.winRate,
  });
  out.targets = { overall: grades.overall, details: grades.perMetric.map((g) => g.detail) };
  if (extras.ensembleWeights) out.ensemble_weights = { ...extras.ensembleWeights };
  if (extras.estimatedAccuracy !== undefined && Number.isFinite(extras.estimatedAccuracy))
    out.estimated_accuracy = extras.estimatedAccuracy;
  return out;
}

/** JSON text of an evaluation_metrics object (2-space indent; any non-finite number → null). */
export function evaluationMetricsJson(report: EvaluationMetricsJson): string {
  return JSON.stringify(report, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2);
}

export interface ComparisonRow {
  model: string;
  accuracy: number;
  balancedAccuracy: number;
  macroF1: number;
  logLoss: number;
  samples: number;
  /** Accuracy minus the best baseline's accuracy (null without baselines): the skill actually shown. */
  accuracyOverBestBaseline: number | null;
  sharpe: number | null;
  winRate: number | null;
  totalReturn: number | null;
  maxDrawdown: number | null;
  trades: number | null;
  buyHoldReturn: number | null;
  estimatedAccuracy: number | null;
  grade: Grade | null;
}

/** Run-level comparison: one row per model report, in the order given. */
export function comparisonTable(reports: readonly EvaluationMetricsJson[]): ComparisonRow[] {
  return reports.map((r) => {
    const base = r.baselines ? Object.values(r.baselines).map((b) => b.test_accuracy) : [];
    return {
      model: r.model,
      accuracy: r.test_accuracy,
      balancedAccuracy: r.test_balanced_accuracy,
      macroF1: r.test_macro_f1,
      logLoss: r.test_log_loss,
      samples: r.test_samples,
      accuracyOverBestBaseline: base.length ? r.test_accuracy - Math.max(...base) : null,
      sharpe: r.backtest?.sharpe_ratio ?? null,
      winRate: r.backtest?.win_rate ?? null,
      totalReturn: r.backtest?.total_return ?? null,
      maxDrawdown: r.backtest?.max_drawdown ?? null,
      trades: r.backtest?.trades ?? null,
      buyHoldReturn: r.backtest?.buy_hold_return ?? null,
      estimatedAccuracy: r.estimated_accuracy ?? null,
      grade: r.targets.overall,
    };
  });
}
