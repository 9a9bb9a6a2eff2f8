/**
 * The run's data as it is stored (IndexedDB) and read back: the configuration a run was started
 * with, what training each model produced (ModelOutcome), the trainer's resumable state, and the
 * evaluation with the run's own summary (RunSummary: full precision, no share limits; a share
 * link is a projection of it, lib/export/share/project.ts). The types of lib/run come from these
 * schemas; shapes owned by other modules (model configs, evaluation_metrics.json, the verdict)
 * are checked against their interfaces at compile time.
 *
 * Computed figures are `figure` (NaN and ±Infinity allowed: a NaN validation loss, a win rate
 * with no trade); counts, times and sizes are finite.
 */
import * as v from "valibot";
import { labelSpecSchema, paramsSchema, splitSpecSchema } from "@/lib/core/dataset-schema";
import {
  count,
  figure,
  finite,
  intervalSchema,
  refine,
  strictObj,
  text,
  textRecord,
  typedArray,
  type Schema,
} from "@/lib/core/schema";
import type { WalkSpec } from "@/lib/core/folds";
import type { BacktestSettings } from "@/lib/eval/backtest";
import type { EvaluationMetricsJson, ScoreReport } from "@/lib/eval/report";
import { verdictFromNoiseBand, type MetricVerdict, type NoiseBandVerdict } from "@/lib/eval/verdict";
import type { LstmConfig, TransformerConfig } from "@/lib/models/config";
import type { ForestParams } from "@/lib/models/forest/params";
import { controlConfigSchema, controlRunReportSchema, controlSummarySchema } from "./control-schema";
import { seedCountSchema, seedResultsSchema, seedsSummarySchema } from "./seeds-schema";
import { MODEL_IDS } from "./types";

const int = finite({ int: true });
const nonNegative = finite({ min: 0 });

// ---------------------------------------------------------------- configuration

const training = {
  epochs: int,
  batchSize: int,
  learningRate: nonNegative,
  patience: int,
  classWeights: v.boolean(),
  seed: int,
};

/** Ranges are not checked here: a run saved under older ranges must still open. */
export const transformerConfigSchema: Schema<TransformerConfig> = strictObj({
  ...training,
  dModel: int,
  heads: int,
  blocks: int,
  ff: int,
  dropout: nonNegative,
  patch: int,
});

export const lstmConfigSchema: Schema<LstmConfig> = strictObj({
  ...training,
  units: int,
  layers: int,
  dropout: nonNegative,
  patch: int,
});

export const forestConfigSchema: Schema<Partial<ForestParams> & { view: "flat" | "compact" }> = strictObj({
  trees: v.optional(int),
  maxDepth: v.optional(int),
  minSamplesSplit: v.optional(int),
  minSamplesLeaf: v.optional(int),
  maxFeatures: v.optional(v.union([v.picklist(["sqrt", "log2"]), nonNegative], "unknown maxFeatures")),
  classWeight: v.optional(v.picklist(["none", "balanced"], "unknown classWeight")),
  bootstrap: v.optional(v.boolean()),
  maxBins: v.optional(int),
  seed: v.optional(int),
  view: v.picklist(["flat", "compact"], "unknown forest view"),
});

/** What the user picks on the Results page to trade the test part again. */
export const backtestChoiceSchema = strictObj({
  settings: strictObj({
    longOnly: v.boolean(),
    minConfidence: finite(),
    sizing: v.picklist(["confidence", "full"], "unknown sizing"),
    feeRate: finite(),
  }) satisfies Schema<Pick<BacktestSettings, "longOnly" | "minConfidence" | "sizing" | "feeRate">>,
  /** A model id, "ensemble" or "ensemble-learned". */
  tradedModel: text(60, 1),
});
export type BacktestChoice = v.InferOutput<typeof backtestChoiceSchema>;

/**
 * Where the backtest rules applied to the test part came from: the defaults of a fresh
 * evaluation ("training"), the validation tuner (lib/eval/tune-rules.ts), or the user's hand.
 */
export const rulesSourceSchema = v.picklist(["training", "tuned-on-validation", "manual"], "unknown rules source");
export type RulesSource = v.InferOutput<typeof rulesSourceSchema>;

/** A walk-forward plan's settings (lib/core/folds WalkSpec). */
export const walkSpecSchema: Schema<WalkSpec> = strictObj({
  window: v.picklist(["expanding", "rolling"], "unknown training window"),
  rollingDays: nonNegative,
  cadence: v.picklist(["monthly", "biweekly", "weekly"], "unknown cadence"),
  walkMonths: int,
  valShare: nonNegative,
  purge: count,
  embargo: count,
  minTrainSamples: count,
});

/** A walk-forward evaluation: the plan, and warm starts (folds after the first continue from the previous fold's weights). */
export const walkConfigSchema = strictObj({
  spec: walkSpecSchema,
  /** Epochs of each warm-started fold (Transformer, LSTM); absent: every fold trains from scratch. */
  warmStartEpochs: v.optional(finite({ min: 1, int: true })),
});
export type WalkConfig = v.InferOutput<typeof walkConfigSchema>;

/** The configuration a run is trained with (the Train page's choices). */
export const runConfigSchema = strictObj({
  datasetId: text(200, 1),
  backend: v.picklist(["auto", "webgpu", "webgl", "wasm", "cpu"], "unknown backend"),
  transformer: v.optional(transformerConfigSchema),
  lstm: v.optional(lstmConfigSchema),
  forest: v.optional(forestConfigSchema),
  /** The backtest settings last chosen on the Results page. */
  backtest: v.optional(backtestChoiceSchema),
  /** Walk-forward evaluation; absent: the dataset's single chronological split. */
  walk: v.optional(walkConfigSchema),
  /** A shuffled-label control run (lib/run/control.ts); absent: the dataset's labels. */
  control: v.optional(controlConfigSchema),
  /** Seeds every model is trained with (seed, seed + 1, …); absent: 1. */
  seeds: v.optional(seedCountSchema),
});
export type RunConfig = v.InferOutput<typeof runConfigSchema>;

/** The configuration of a run made by importing a model bundle (nothing to train). */
export const importedRunConfigSchema = strictObj({
  imported: strictObj({ producer: text(200), createdAt: finite() }),
  backtest: v.optional(backtestChoiceSchema),
});
export type ImportedRunConfig = v.InferOutput<typeof importedRunConfigSchema>;

export const storedRunConfigSchema = v.union(
  [runConfigSchema, importedRunConfigSchema],
  "config is neither a training configuration nor an imported bundle's",
);
export type StoredRunConfig = v.InferOutput<typeof storedRunConfigSchema>;

/** True when the run was trained here (it can be resumed), false when it came from a bundle. */
export function isTrainingConfig(c: StoredRunConfig): c is RunConfig {
  return !("imported" in c);
}

// ---------------------------------------------------------------- what training produced

/** One epoch of a sequence model's training history (seconds when the trainer reported them). */
export const epochRecordSchema = strictObj({
  epoch: int,
  loss: figure,
  acc: figure,
  valLoss: figure,
  valAcc: figure,
  trainSeconds: v.optional(figure),
  valSeconds: v.optional(figure),
});
export type EpochRecord = v.InferOutput<typeof epochRecordSchema>;

/** An epoch as the trainer records it (lib/models EpochRecord): with its timings. */
const trainerEpochSchema = strictObj({ ...epochRecordSchema.entries, trainSeconds: figure, valSeconds: figure });

/** Model parameters without the settings left unset (a partial forest configuration). */
export function definedParams(
  params: Readonly<Record<string, number | string | boolean | undefined>>,
): Record<string, number | string | boolean> {
  return Object.fromEntries(
    Object.entries(params).filter((e): e is [string, number | string | boolean] => e[1] !== undefined),
  );
}

/** Class probabilities, row-major [N * 4]. */
const probabilities = v.pipe(
  typedArray<Float32Array>(Float32Array, "Float32Array"),
  refine((p) => (p.length % 4 === 0 ? null : `has length ${p.length}, not a multiple of 4 classes`)),
);

const importance = strictObj({ name: text(200, 1), value: figure });

/** What training one model produced, as the evaluation needs it (no weights). */
export const modelOutcomeSchema = strictObj({
  id: v.picklist(MODEL_IDS, "unknown model id"),
  params: paramsSchema,
  /** Class probabilities on the validation samples, [Nval * 4], in split order. */
  valProbs: probabilities,
  /** Class probabilities on the test samples, [Ntest * 4], in split order. */
  testProbs: probabilities,
  history: v.optional(v.array(epochRecordSchema)),
  bestEpoch: v.optional(count),
  seconds: nonNegative,
  backend: v.optional(text(40)),
  /** Forest only: impurity importance per input name. */
  importances: v.optional(
    v.pipe(
      strictObj({ names: v.array(v.string()), values: typedArray<Float32Array>(Float32Array, "Float32Array") }),
      refine((i) =>
        i.names.length === i.values.length ? null : `${i.names.length} names for ${i.values.length} values`,
      ),
    ),
  ),
  /** Permutation importance on the test part (accuracy drop per base feature). */
  permutation: v.optional(v.array(importance)),
  /** Set when training stopped early for a reason the user must see (NaN loss, cancel). */
  stopReason: v.optional(text()),
});
export type ModelOutcome = v.InferOutput<typeof modelOutcomeSchema>;

/** Tensors as one buffer plus tfjs's weight manifest (the structural subset tfjs reads back). */
export const weightSpecSchema = strictObj({
  name: text(400, 1),
  shape: v.array(count),
  dtype: v.picklist(["float32", "int32", "bool", "string", "complex64"], "unknown dtype"),
  group: v.optional(v.picklist(["model", "optimizer"], "unknown weight group")),
  quantization: v.optional(
    strictObj({
      dtype: v.picklist(["uint16", "uint8", "float16"], "unknown quantization dtype"),
      scale: v.optional(finite()),
      min: v.optional(finite()),
    }),
  ),
});

/**
 * The trainer's resumable state without its weights (lib/models TrainCheckpoint); the config must
 * be one of the model's kind.
 */
export const checkpointStateSchema = v.pipe(
  strictObj({
    version: v.literal(1, "unknown checkpoint version"),
    kind: v.picklist(["transformer", "lstm"], "unknown model kind"),
    config: v.union([transformerConfigSchema, lstmConfigSchema], "not a Transformer or LSTM configuration"),
    /** Epochs completed. */
    epoch: count,
    /** Optimiser steps completed. */
    step: count,
    history: v.array(trainerEpochSchema),
    /** 1-based epoch of the best validation loss (0: none yet). */
    bestEpoch: count,
    /** Infinity until an epoch is validated. */
    bestValLoss: figure,
    wait: count,
  }),
  refine((s) => ("dModel" in s.config === (s.kind === "transformer") ? null : `config is not a ${s.kind}'s`)),
);
export type CheckpointState = v.InferOutput<typeof checkpointStateSchema>;

// ---------------------------------------------------------------- the run's summary

/** A 95% interval [lo, hi]. */
const ci = v.tuple([figure, figure]);

/** Test-part metrics of one result; per-class arrays in label order. Null log loss: undefined. */
export const resultMetricsSchema = strictObj({
  accuracy: figure,
  balancedAccuracy: figure,
  macroF1: figure,
  logLoss: v.nullable(figure),
  precision: v.array(figure),
  recall: v.array(figure),
  /** 95% block-bootstrap intervals (absent in runs summarised before them). */
  ci95: v.optional(strictObj({ accuracy: ci, balancedAccuracy: ci, logLoss: v.nullable(ci) })),
});
export type ResultMetrics = v.InferOutput<typeof resultMetricsSchema>;

/** A training curve, one point per epoch (epoch numbers as the trainer counted them). */
export const curveSchema = v.pipe(
  strictObj({
    epoch: v.array(int),
    loss: v.array(figure),
    acc: v.array(figure),
    valLoss: v.array(figure),
    valAcc: v.array(figure),
    /** Epoch whose weights were kept (early stopping). */
    bestEpoch: v.optional(count),
  }),
  refine((c) =>
    [c.loss, c.acc, c.valLoss, c.valAcc].every((a) => a.length === c.epoch.length) ? null : "series lengths differ",
  ),
);
export type Curve = v.InferOutput<typeof curveSchema>;

export const resultKindSchema = v.picklist(["model", "ensemble", "baseline"], "unknown result kind");
export type ResultKind = v.InferOutput<typeof resultKindSchema>;

/** One row of the comparison: a model, an ensemble or a baseline. */
export const resultSummarySchema = strictObj({
  /** "transformer", "lstm", "forest", "ensemble", "ensemble-learned", "majority", ... */
  id: text(60, 1),
  label: text(200, 1),
  kind: resultKindSchema,
  metrics: resultMetricsSchema,
  /** Counts, rows = true class, columns = predicted class. */
  confusion: v.array(v.array(count)),
  curve: v.optional(curveSchema),
});
export type ResultSummary = v.InferOutput<typeof resultSummarySchema>;

export const importanceSchema = importance;
export type Importance = v.InferOutput<typeof importanceSchema>;

/** The traded backtest: figures, settings and the full equity curves (one point per test row). */
export const backtestSummarySchema = v.pipe(
  strictObj({
    /** The symbol traded, for a multi-symbol dataset (its first symbol); absent for one symbol. */
    symbol: v.optional(text(40, 1)),
    /** Result id whose signals were traded. */
    model: text(60, 1),
    /** Fractions (0.12 = +12%). */
    totalReturn: figure,
    buyHoldReturn: figure,
    sharpe: figure,
    /** Null with no trade. */
    winRate: v.nullable(figure),
    maxDrawdown: figure,
    /** Null with no trade or no losing trade. */
    profitFactor: v.nullable(figure),
    trades: count,
    feeBps: finite({ min: 0 }),
    /** The rest of the settings (absent only in share links made before they were shared). */
    longOnly: v.optional(v.boolean()),
    minConfidence: v.optional(finite()),
    sizing: v.optional(v.picklist(["confidence", "full"], "unknown sizing")),
    /** Equity (starting at 1) and buy-and-hold on the same rows. */
    equity: v.array(figure),
    buyHold: v.array(figure),
    /** Open times (UTC ms) of the first and last point. */
    start: finite(),
    end: finite(),
    /** 95% block-bootstrap intervals of total return and Sharpe (absent in older runs). */
    ci95: v.optional(strictObj({ totalReturn: ci, sharpe: ci })),
    /** Probability that the true Sharpe is above 0 (PSR, Bailey & López de Prado), per-bar returns. */
    probabilisticSharpe: v.optional(figure),
    /**
     * Deflated Sharpe ratio (Bailey & López de Prado 2014): the PSR against the expected best
     * annualised Sharpe of `trials` skill-less strategies with the spread of the run's own.
     */
    deflatedSharpe: v.optional(
      strictObj({
        dsr: figure,
        trials: v.number(),
        benchmarkSharpe: v.number(),
        /** Of `trials`, the configurations other runs evaluated on the same dataset's test part. */
        fromOtherRuns: v.optional(v.number()),
      }),
    ),
    /** Where these rules came from and how often rules met the test part (absent in older runs). */
    rules: v.optional(
      strictObj({
        source: rulesSourceSchema,
        /** True when the rules were chosen after a test result had been shown (lib/run/trials.ts). */
        afterTestSeen: v.boolean(),
        /** Applications of rules to the test part so far, this one included. */
        applications: finite({ min: 1, int: true }),
      }),
    ),
  }),
  refine((b) => (b.equity.length === b.buyHold.length ? null : "equity and buyHold lengths differ")),
);
export type BacktestSummary = v.InferOutput<typeof backtestSummarySchema>;

const weightsSchema = v.array(strictObj({ model: text(60, 1), weight: finite() }));
export const ensembleSummarySchema = strictObj({
  /** The fixed weights used (default 50/30/20). */
  weights: weightsSchema,
  /** Weights learned on validation, when computed. */
  learned: v.optional(weightsSchema),
  /** The guide's naive estimate: the models' accuracies averaged with the fixed weights. */
  estimatedAccuracy: v.optional(figure),
});
export type EnsembleSummary = v.InferOutput<typeof ensembleSummarySchema>;

const verdictMetric = v.picklist(["accuracy", "balancedAccuracy"], "unknown verdict metric");
const verdictBest = strictObj({ id: text(60, 1), label: text(200, 1), value: figure });
const currentVerdictSchema: Schema<MetricVerdict> = strictObj({
  metric: verdictMetric,
  best: verdictBest,
  method: v.picklist(["paired-block-bootstrap", "independent-binomial"], "unknown verdict method"),
  comparisons: count,
  noise: v.optional(figure),
  blockLength: v.optional(count),
  resamples: v.optional(count),
  rows: v.array(
    strictObj({
      id: text(60, 1),
      label: text(200, 1),
      value: figure,
      gap: figure,
      interval: ci,
      level: figure,
      pAdjusted: v.optional(figure),
      clear: v.boolean(),
    }),
  ),
});
/** The verdict as runs of format 2 stored it before the bootstrap (one noise band), read in the current shape. */
const noiseBandVerdictSchema: Schema<NoiseBandVerdict> = strictObj({
  metric: verdictMetric,
  best: verdictBest,
  noise: figure,
  rows: v.array(strictObj({ id: text(60, 1), label: text(200, 1), value: figure, gap: figure, clear: v.boolean() })),
});
export const verdictSchema: Schema<MetricVerdict> = v.union(
  [currentVerdictSchema, v.pipe(noiseBandVerdictSchema, v.transform(verdictFromNoiseBand))],
  "not a verdict",
);

/** How the intervals and the verdict were computed (lib/run/intervals.ts). */
export const uncertaintySchema = strictObj({
  method: v.literal("stationary-block-bootstrap", "unknown interval method"),
  /** Mean block length, candles. */
  blockLength: count,
  resamples: count,
  seed: count,
  /** Family-wise level of the verdict per metric (Holm). */
  alpha: figure,
});

/** One symbol's test figures: every result's scores on its test samples, and the traded result's backtest. */
export const symbolResultsSchema = strictObj({
  symbol: text(40, 1),
  /** Test samples of this symbol. */
  samples: count,
  results: v.array(
    strictObj({ id: text(60, 1), label: text(200, 1), accuracy: figure, balancedAccuracy: figure, macroF1: figure }),
  ),
  backtest: v.optional(strictObj({ model: text(60, 1), totalReturn: figure, buyHoldReturn: figure, trades: count })),
});
export type SymbolResults = v.InferOutput<typeof symbolResultsSchema>;

export const runSummaryConfigSchema = strictObj({
  symbol: text(40, 1),
  baseInterval: intervalSchema,
  timeframes: v.array(intervalSchema),
  /** Open time (UTC ms) of the first and last base candle used. */
  start: finite(),
  end: finite(),
  window: finite({ min: 1, int: true }),
  numFeatures: finite({ min: 1, int: true }),
  /** Samples per part. */
  samples: strictObj({ train: count, val: count, test: count }),
  labelSpec: labelSpecSchema,
  splitSpec: splitSpecSchema,
  models: v.array(strictObj({ id: text(60, 1), params: paramsSchema })),
});

/**
 * The run's own summary: what the dashboard shows. Full precision, every importance, full
 * curves and equity; the verdict against the baselines as computed (lib/eval/verdict.ts).
 */
export const runSummarySchema = strictObj({
  /** UTC ms. */
  createdAt: finite(),
  /** The run's name as typed. */
  title: v.optional(text()),
  /** True when the data came from the synthetic market (the dashboard says so). */
  synthetic: v.boolean(),
  /** True when real candles were paired with synthetic alternative data (the dashboard says so). */
  syntheticAlt: v.optional(v.boolean()),
  /** Data fingerprint (16 hex chars, lib/export/hash.ts). */
  fingerprint: text(64, 1),
  config: runSummaryConfigSchema,
  results: v.array(resultSummarySchema),
  /** Largest first. */
  importances: v.array(importanceSchema),
  /** Where importances come from, e.g. "forest-impurity" or "permutation (lstm)". */
  importanceSource: v.optional(text(200)),
  backtest: v.optional(backtestSummarySchema),
  ensemble: ensembleSummarySchema,
  /** A multi-symbol dataset's test figures per symbol, beside the pooled ones; absent for one symbol. */
  perSymbol: v.optional(v.array(symbolResultsSchema)),
  /** Accuracy and balanced accuracy of every model and ensemble against the best baseline. */
  verdict: v.array(verdictSchema),
  /** How the intervals and the verdict were computed (absent in runs summarised before them). */
  uncertainty: v.optional(uncertaintySchema),
  /** A control run's verdict against chance (lib/run/control.ts); absent: not a control run. */
  control: v.optional(controlSummarySchema),
  /** Mean ± std over the seeds (lib/run/seeds.ts); absent: one seed. */
  seeds: v.optional(seedsSummarySchema),
});
export type RunSummary = v.InferOutput<typeof runSummarySchema>;

// ---------------------------------------------------------------- evaluation_metrics.json

const scoreEntries = {
  test_accuracy: figure,
  test_balanced_accuracy: figure,
  test_macro_f1: figure,
  test_log_loss: figure,
};
const scoreSchema: Schema<ScoreReport> = strictObj(scoreEntries);

export const evaluationMetricsSchema: Schema<EvaluationMetricsJson> = strictObj({
  ...scoreEntries,
  model: text(60, 1),
  test_samples: count,
  classes: v.array(v.string()),
  per_class: textRecord(strictObj({ precision: figure, recall: figure, f1: figure, support: count })),
  confusion_matrix: v.array(v.array(count)),
  confusion_matrix_normalized: v.array(v.array(figure)),
  signs: v.array(
    strictObj({
      id: text(60, 1),
      kind: v.picklist(["good", "bad"], "unknown sign kind"),
      ok: v.boolean(),
      label: text(),
      detail: text(),
    }),
  ),
  baselines: v.optional(textRecord(scoreSchema)),
  backtest: v.optional(
    strictObj({
      total_return: figure,
      sharpe_ratio: figure,
      win_rate: v.nullable(figure),
      max_drawdown: figure,
      profit_factor: v.nullable(figure),
      trades: count,
      exposure: figure,
      buy_hold_return: figure,
      buy_hold_sharpe: figure,
      buy_hold_max_drawdown: figure,
      fee_rate: finite(),
      min_confidence: finite(),
      long_only: v.boolean(),
      sizing: v.picklist(["confidence", "full"], "unknown sizing"),
      trials: v.optional(count),
      test_applications: v.optional(count),
      rules_source: v.optional(rulesSourceSchema),
      after_test_seen: v.optional(v.boolean()),
    }),
  ),
  targets: strictObj({
    overall: v.nullable(
      v.picklist(["below-minimum", "minimum", "good", "exceptional", "implausible"], "unknown grade"),
    ),
    details: v.array(v.string()),
  }),
  ensemble_weights: v.optional(textRecord(finite())),
  estimated_accuracy: v.optional(figure),
  ci95: v.optional(
    strictObj({
      test_accuracy: ci,
      test_balanced_accuracy: ci,
      test_log_loss: ci,
      total_return: v.optional(ci),
      sharpe_ratio: v.optional(ci),
    }),
  ),
  control_run: v.optional(controlRunReportSchema),
});

// ---------------------------------------------------------------- walk-forward

const span = v.tuple([finite(), finite()]);

/** One result on one fold's test block: a model or a baseline. */
export const walkFoldResultSchema = strictObj({
  /** A model id, or a baseline ("majority", "class_prior", "previous_label"). */
  id: text(60, 1),
  kind: v.picklist(["model", "baseline"], "unknown result kind"),
  accuracy: figure,
  balancedAccuracy: figure,
  /** Sharpe of trading this result's signals over the fold's test block (the run's backtest settings). */
  sharpe: figure,
  /** Epochs trained in this fold (Transformer, LSTM). */
  epochs: v.optional(count),
  seconds: v.optional(figure),
  /** True when this fold started from the previous fold's weights. */
  warmStart: v.optional(v.boolean()),
});
export type WalkFoldResult = v.InferOutput<typeof walkFoldResultSchema>;

export const walkFoldSummarySchema = strictObj({
  /** 1-based, in time order. */
  index: finite({ min: 1, int: true }),
  /** Open times (UTC ms) of the first and last training sample and test sample. */
  trainSpan: span,
  testSpan: span,
  samples: strictObj({ train: count, val: count, test: count }),
  /** Index of this fold's first sample in the pooled test sequence (a retrain marker on the equity curve). */
  firstPooled: count,
  /** Index of this fold's first test candle in the pooled backtest's equity curve (summary.backtest.equity). */
  equityIndex: count,
  results: v.array(walkFoldResultSchema),
  /** Sharpe of buying and holding over the fold's test block. */
  buyHoldSharpe: figure,
});
export type WalkFoldSummary = v.InferOutput<typeof walkFoldSummarySchema>;

/** What a walk-forward run adds to its (pooled) evaluation. */
export const walkSummarySchema = strictObj({
  config: walkConfigSchema,
  folds: v.array(walkFoldSummarySchema),
  /** Periods that got no fold, and why. */
  skipped: v.array(strictObj({ testFrom: finite(), testTo: finite(), reason: text() })),
});
export type WalkSummary = v.InferOutput<typeof walkSummarySchema>;

/**
 * One application of backtest rules to the test part (a trial, issue 12): the rules, who chose
 * them, whether a test result had been seen, and the per-bar Sharpe of every result the
 * evaluation traded with them (the deflated Sharpe ratio counts and spreads these).
 */
export const backtestTrialSchema = strictObj({
  /** UTC ms. */
  at: finite(),
  source: rulesSourceSchema,
  afterTestSeen: v.boolean(),
  rules: backtestChoiceSchema,
  /** Annualised Sharpe of the traded result on the test part. */
  testSharpe: figure,
  /** Per-bar returns the Sharpes were measured on. */
  bars: count,
  /** Per-bar (not annualised) Sharpe of each result traded with these rules. */
  strategies: v.array(strictObj({ model: text(60, 1), sharpe: figure })),
  /** Rebuilt from a run stored before trials were recorded: earlier applications are unknown. */
  reconstructed: v.optional(v.literal(true)),
});
export type BacktestTrial = v.InferOutput<typeof backtestTrialSchema>;

/** A run's evaluation: what the dashboard, the downloads and the share link read. */
export const runEvaluationSchema = strictObj({
  summary: runSummarySchema,
  /** evaluation_metrics.json per result id (models, ensembles). */
  metrics: textRecord(evaluationMetricsSchema),
  /** Permutation importances per model id (base feature names), when computed. */
  permutation: textRecord(v.array(importanceSchema)),
  /** Curves of each sequence model, every epoch with its timings, for the CSV download. */
  curves: textRecord(v.array(epochRecordSchema)),
  /** Walk-forward runs: the folds; the summary and metrics above then pool every fold's test predictions. */
  walk: v.optional(walkSummarySchema),
  /** Every seed's test figures, offset 0 (the run's own models) first (lib/run/seeds.ts). */
  seeds: seedResultsSchema,
  /** Every application of backtest rules to the test part, oldest first (the last is the one shown). */
  trials: v.array(backtestTrialSchema),
});
export type RunEvaluation = v.InferOutput<typeof runEvaluationSchema>;
