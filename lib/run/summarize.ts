/**
 * Turns what training produced (per-model probabilities on the validation and test parts) into
 * the run's evaluation: metrics for every model, both ensembles and the baselines, confusion
 * matrices, a backtest and importances. Pure: the page, a worker or a Node test can call it, and
 * every figure the dashboard shows comes from here (computed from the data, never typed in).
 */
import { CLASS_NAMES } from "@/lib/core/classes";
import type { Dataset } from "@/lib/core/dataset";
import { hasSyntheticAlt } from "@/lib/core/features/alt-series";
import { testPositionsBySymbol } from "@/lib/core/multi-symbol";
import {
  aggregateImportances,
  allBaselines,
  barReturns,
  classificationMetrics,
  ensembleProbs,
  estimatedEnsembleAccuracy,
  evaluationMetrics,
  GUIDE_ENSEMBLE_WEIGHTS,
  learnEnsembleWeights,
  returnMoments,
  runBacktest,
  type BacktestResult,
  type BacktestSettings,
  type ClassificationMetrics,
  type EvaluationMetricsJson,
} from "@/lib/eval";
import { intervalsAndVerdict } from "./intervals";
import { seedEntry } from "./seeds";
import { newTrial, rulesOf, testedConfigurations, withTrialReport, type TrialStrategy } from "./trials";
import {
  MODEL_LABELS,
  type BacktestSummary,
  type Curve,
  type EpochRecord,
  type Importance,
  type ModelOutcome,
  type ResultMetrics,
  type ResultSummary,
  type RulesSource,
  type RunEvaluation,
  type RunSummary,
  type BacktestTrial,
} from "./types";

export interface SummarizeOptions {
  title?: string;
  /** Data fingerprint (lib/export/hash.ts), 16 hex chars. */
  fingerprint: string;
  /** Fixed ensemble weights; default the guide's 50/30/20. */
  weights?: Record<string, number>;
  backtest?: Partial<BacktestSettings>;
  /** Result whose signals the backtest trades: a model id, "ensemble" or "ensemble-learned".
   * Default the fixed-weight ensemble (the only model when there is one). */
  tradedModel?: string;
  createdAt?: number;
  /** Block-bootstrap resamples for the intervals and the verdict (default DEFAULT_RESAMPLES). */
  resamples?: number;
  /**
   * The baselines' test probabilities [Ntest * 4], when they are not the split's own: a
   * walk-forward run pools each fold's, fitted on that fold's training labels.
   */
  baselines?: Record<BaselineId, Float32Array>;
  /**
   * This evaluation as a trial (lib/run/trials.ts): the earlier applications of rules to this
   * run's test part (stored with its evaluation), who chose these rules and when. Default: the
   * first application, of the evaluation's own rules ("training"), at createdAt.
   */
  trials?: { prior: readonly BacktestTrial[]; source: RulesSource; at: number };
  /**
   * The configurations other runs evaluated on the same dataset's test part (otherRunsTrials):
   * trials of the deflated Sharpe ratio as much as this run's own.
   */
  otherTrials?: readonly TrialStrategy[];
}

export type BaselineId = "majority" | "class_prior" | "previous_label";

/** Labels of the samples ending at `ends`, as class indices [N]. */
export function labelsAt(dataset: Pick<Dataset, "labels">, ends: Int32Array): Uint8Array {
  const out = new Uint8Array(ends.length);
  for (let i = 0; i < ends.length; i++) {
    const y = dataset.labels[ends[i]];
    if (y < 0) throw new Error(`sample ending at row ${ends[i]} has no label`);
    out[i] = y;
  }
  return out;
}

/** lib/eval's metrics as a result's metrics, full precision (a non-finite log loss is null). */
export function resultMetrics(m: ClassificationMetrics): ResultMetrics {
  return {
    accuracy: m.accuracy,
    balancedAccuracy: m.balancedAccuracy,
    macroF1: m.macroF1,
    logLoss: Number.isFinite(m.logLoss) ? m.logLoss : null,
    precision: m.perClass.map((c) => c.precision),
    recall: m.perClass.map((c) => c.recall),
  };
}

/**
 * A trainer's epoch history as a curve: every epoch, numbered as the trainer counted them (a
 * resumed run may not start at 1), NaN losses kept as NaN. The one curve converter: a share link
 * down-samples and cleans this (lib/export/share/project.ts).
 */
export function curveOf(history: readonly EpochRecord[] | undefined, bestEpoch?: number): Curve | undefined {
  if (!history || history.length === 0) return undefined;
  const col = (k: "loss" | "acc" | "valLoss" | "valAcc") => history.map((h) => h[k]);
  return {
    epoch: history.map((h) => h.epoch),
    loss: col("loss"),
    acc: col("acc"),
    valLoss: col("valLoss"),
    valAcc: col("valAcc"),
    ...(bestEpoch !== undefined && bestEpoch > 0 ? { bestEpoch } : {}),
  };
}

/** lib/eval's backtest as the run's: every point of the curves; figures undefined without trades are null. */
export function backtestSummary(model: string, r: BacktestResult): BacktestSummary {
  const m = r.metrics;
  return {
    model,
    totalReturn: m.totalReturn,
    buyHoldReturn: r.buyHoldMetrics.totalReturn,
    sharpe: m.sharpe,
    winRate: m.trades > 0 && Number.isFinite(m.winRate) ? m.winRate : null,
    maxDrawdown: m.maxDrawdown,
    profitFactor: Number.isFinite(m.profitFactor) ? m.profitFactor : null,
    trades: m.trades,
    feeBps: r.settings.feeRate * 10_000,
    longOnly: r.settings.longOnly,
    minConfidence: r.settings.minConfidence,
    sizing: r.settings.sizing,
    equity: Array.from(r.equity),
    buyHold: Array.from(r.buyHold),
    start: r.times[0],
    end: r.times[r.times.length - 1],
  };
}

/**
 * Evaluates a run on the dataset's untouched test part.
 * @param outcomes one per trained model; probabilities are [N*4] in split order.
 */
export function summarizeRun(dataset: Dataset, outcomes: ModelOutcome[], opts: SummarizeOptions): RunEvaluation {
  if (outcomes.length === 0) throw new Error("no trained model to evaluate");
  const { split } = dataset;
  const testLabels = labelsAt(dataset, split.test);
  const valLabels = labelsAt(dataset, split.val);
  const trainLabels = labelsAt(dataset, split.train);
  const horizon = dataset.labelSpec.horizon;

  const results: ResultSummary[] = [];
  const metrics: Record<string, EvaluationMetricsJson> = {};
  const testProbs: Record<string, Float32Array> = {};
  /** Test probabilities of every result (models, ensembles, baselines), for the bootstrap. */
  const resultProbs: { id: string; probs: Float32Array }[] = [];
  const baselines = opts.baselines ?? allBaselines(trainLabels, dataset.labels, split.test, horizon);

  const scored: { id: string; label: string; probs: Float32Array }[] = [];
  const addResult = (id: string, label: string, kind: ResultSummary["kind"], probs: Float32Array, curve?: Curve) => {
    scored.push({ id, label, probs });
    const m = classificationMetrics(testLabels, probs, CLASS_NAMES);
    results.push({ id, label, kind, metrics: resultMetrics(m), confusion: m.confusion, ...(curve ? { curve } : {}) });
    resultProbs.push({ id, probs });
    return m;
  };

  for (const o of outcomes) {
    if (o.testProbs.length !== split.test.length * 4)
      throw new Error(`${o.id}: ${o.testProbs.length / 4} test predictions for ${split.test.length} samples`);
    testProbs[o.id] = o.testProbs;
    addResult(o.id, MODEL_LABELS[o.id], "model", o.testProbs, curveOf(o.history, o.bestEpoch));
  }

  const fixedWeights = opts.weights ?? { ...GUIDE_ENSEMBLE_WEIGHTS };
  // One backtest per probability array: the traded result reuses its model's or ensemble's.
  const backtests = new Map<Float32Array, BacktestResult>();
  // A multi-symbol dataset's test rows are one block per symbol: a backtest over them all would
  // run through the rows between blocks, so the run's backtest trades its first symbol and each
  // symbol gets its own below.
  const bySymbol = testPositionsBySymbol(dataset);
  const backtestOn = (probs: Float32Array, pos: Int32Array | null) =>
    pos
      ? runBacktest(
          dataset.closes,
          dataset.times,
          pickRows(split.test, pos, 1),
          pickRows(probs, pos, 4),
          horizon,
          opts.backtest,
        )
      : runBacktest(dataset.closes, dataset.times, split.test, probs, horizon, opts.backtest);
  const backtestOf = (probs: Float32Array) => {
    let b = backtests.get(probs);
    if (!b) backtests.set(probs, (b = backtestOn(probs, bySymbol ? bySymbol[0] : null)));
    return b;
  };
  for (const o of outcomes) {
    metrics[o.id] = evaluationMetrics(o.id === "forest" ? "random_forest" : o.id, testLabels, o.testProbs, {
      baselines,
      backtest: backtestOf(o.testProbs),
    });
  }

  // With two or more models the ensemble is what the backtest trades; with one, that model.
  let traded = {
    id: outcomes[0].id as string,
    probs: outcomes[0].testProbs,
    weights: { [outcomes[0].id]: 1 } as Record<string, number>,
  };
  let learned: Record<string, number> | undefined;
  if (outcomes.length > 1) {
    const fixed = ensembleProbs(testProbs, fixedWeights);
    addResult("ensemble", "Ensemble (fixed weights)", "ensemble", fixed.probs);
    learned = learnEnsembleWeights(valLabels, Object.fromEntries(outcomes.map((o) => [o.id, o.valProbs]))).weights;
    const learnedEns = ensembleProbs(testProbs, learned);
    addResult("ensemble-learned", "Ensemble (weights learned on validation)", "ensemble", learnedEns.probs);
    const accs = Object.fromEntries(outcomes.map((o) => [o.id, metrics[o.id].test_accuracy]));
    metrics["ensemble"] = evaluationMetrics("ensemble", testLabels, fixed.probs, {
      baselines,
      backtest: backtestOf(fixed.probs),
      ensembleWeights: fixed.weights,
      estimatedAccuracy: estimatedEnsembleAccuracy(accs, fixedWeights),
    });
    metrics["ensemble-learned"] = evaluationMetrics("ensemble-learned", testLabels, learnedEns.probs, {
      baselines,
      backtest: backtestOf(learnedEns.probs),
      ensembleWeights: learned,
    });
    traded = { id: "ensemble", probs: fixed.probs, weights: fixed.weights };
    if (opts.tradedModel === "ensemble-learned")
      traded = { id: "ensemble-learned", probs: learnedEns.probs, weights: fixed.weights };
    else if (opts.tradedModel && testProbs[opts.tradedModel])
      traded = { id: opts.tradedModel, probs: testProbs[opts.tradedModel], weights: fixed.weights };
  }

  addResult("majority", "Majority class", "baseline", baselines.majority);
  addResult("class_prior", "Class prior", "baseline", baselines.class_prior);
  addResult("previous_label", "Previous label", "baseline", baselines.previous_label);

  const backtest = backtestOf(traded.probs);
  const uncertainty = intervalsAndVerdict(dataset, testLabels, results, resultProbs, backtests, opts.resamples);
  for (const r of results) r.metrics.ci95 = uncertainty.ci95[r.id];
  for (const [id, m] of Object.entries(metrics)) m.ci95 = uncertainty.reportCi95[id];
  const createdAt = opts.createdAt ?? Date.now();
  const prior = opts.trials?.prior ?? [];
  const trials = [
    ...prior,
    newTrial(prior, {
      at: opts.trials?.at ?? createdAt,
      source: opts.trials?.source ?? "training",
      rules: { tradedModel: traded.id, settings: tradedSettings(backtest.settings) },
      testSharpe: backtest.metrics.sharpe,
      bars: backtest.equity.length,
      // Every result traded with these rules: each one's figures are in its evaluation_metrics.json.
      strategies: resultProbs
        .filter((r) => backtests.has(r.probs))
        .map((r) => ({ model: r.id, sharpe: returnMoments(barReturns(backtests.get(r.probs)!.equity)).sharpe })),
    }),
  ];
  const others = opts.otherTrials ?? [];
  const trialSharpes = [...testedConfigurations(trials), ...others].map((c) => c.sharpe);
  const forest = outcomes.find((o) => o.id === "forest" && o.importances);
  const permutation = Object.fromEntries(outcomes.filter((o) => o.permutation).map((o) => [o.id, o.permutation!]));
  let importances: Importance[] = [];
  let importanceSource: string | undefined;
  if (forest?.importances) {
    importances = aggregateImportances(forest.importances.names, forest.importances.values, "base").map((g) => ({
      name: g.key,
      value: g.importance,
    }));
    importanceSource = "forest-impurity";
  } else {
    const first = Object.entries(permutation)[0];
    if (first) {
      importances = [...first[1]].sort((a, b) => b.value - a.value);
      importanceSource = `permutation (${first[0]})`;
    }
  }

  const summary: RunSummary = {
    createdAt,
    ...(opts.title === undefined ? {} : { title: opts.title }),
    synthetic: dataset.synthetic,
    ...(hasSyntheticAlt(dataset.synthetic, dataset.altOrigin) ? { syntheticAlt: true } : {}),
    fingerprint: opts.fingerprint,
    config: {
      symbol: dataset.symbol,
      baseInterval: dataset.baseInterval,
      timeframes: [...dataset.timeframes],
      start: dataset.times[0],
      end: dataset.times[dataset.rows - 1],
      window: dataset.window,
      numFeatures: dataset.features.length,
      samples: { train: split.train.length, val: split.val.length, test: split.test.length },
      labelSpec: { ...dataset.labelSpec },
      splitSpec: { ...dataset.splitSpec },
      models: outcomes.map((o) => ({ id: o.id, params: o.params })),
    },
    results,
    importances,
    ...(importanceSource === undefined ? {} : { importanceSource }),
    backtest: {
      ...backtestSummary(traded.id, backtest),
      ...uncertainty.backtest(traded.id, backtest, trialSharpes, others.length),
      rules: rulesOf(trials),
    },
    ensemble: {
      weights: Object.entries(traded.weights).map(([model, weight]) => ({ model, weight })),
      ...(learned ? { learned: Object.entries(learned).map(([model, weight]) => ({ model, weight })) } : {}),
      ...(metrics.ensemble?.estimated_accuracy === undefined
        ? {}
        : { estimatedAccuracy: metrics.ensemble.estimated_accuracy }),
    },
    verdict: uncertainty.verdict,
    uncertainty: uncertainty.meta,
  };
  if (bySymbol && dataset.symbols) {
    summary.backtest = { ...summary.backtest!, symbol: dataset.symbols[0] };
    summary.perSymbol = dataset.symbols.map((symbol, k) => {
      const pos = bySymbol[k];
      const labels = pickRows(testLabels, pos, 1);
      const results = scored.map((r) => {
        const m = classificationMetrics(labels, pickRows(r.probs, pos, 4), CLASS_NAMES);
        return {
          id: r.id,
          label: r.label,
          accuracy: m.accuracy,
          balancedAccuracy: m.balancedAccuracy,
          macroF1: m.macroF1,
        };
      });
      const bt = pos.length > 0 ? backtestOn(traded.probs, pos) : null;
      return {
        symbol,
        samples: pos.length,
        results,
        ...(bt
          ? {
              backtest: {
                model: traded.id,
                totalReturn: bt.metrics.totalReturn,
                buyHoldReturn: bt.buyHoldMetrics.totalReturn,
                trades: bt.metrics.trades,
              },
            }
          : {}),
      };
    });
  }
  const curves = Object.fromEntries(outcomes.filter((o) => o.history).map((o) => [o.id, o.history!]));
  // One seed: the run's own (evaluateRun adds the others).
  const seeds = [seedEntry(0, { summary, metrics })];
  return { summary, metrics: withTrialReport(metrics, trials, others.length), permutation, curves, trials, seeds };
}

/** The rules a trial records, from the settings a backtest ran with. */
function tradedSettings(s: BacktestSettings) {
  return { longOnly: s.longOnly, minConfidence: s.minConfidence, sizing: s.sizing, feeRate: s.feeRate };
}

/** Rows `pos` of a row-major array with `width` values per row (probabilities: width 4). */
function pickRows<T extends Float32Array | Int32Array | Uint8Array>(a: T, pos: Int32Array, width: number): T {
  const out = new (a.constructor as new (n: number) => T)(pos.length * width);
  for (let k = 0; k < pos.length; k++) out.set(a.subarray(pos[k] * width, pos[k] * width + width), k * width);
  return out;
}
