/**
 * The evaluation of a walk-forward run: every fold's out-of-sample test predictions pooled into
 * one sequence over the walked span, evaluated by the same summarizeRun as a single split (table,
 * confusion matrices, verdict, backtest), plus one line per fold and result for the per-fold
 * chart. Each fold's baselines come from that fold's training labels, so the pooled baselines are
 * as honest as the models. Pure.
 */
import { CLASS_NAMES } from "@/lib/core/classes";
import { concatFloat32 } from "@/lib/core/concat";
import type { Dataset } from "@/lib/core/dataset";
import type { FoldData } from "@/lib/core/fold-data";
import type { Fold, WalkPlan } from "@/lib/core/folds";
import { intervalMs } from "@/lib/core/intervals";
import { allBaselines, classificationMetrics, runBacktest } from "@/lib/eval";
import { labelsAt, summarizeRun, type BaselineId, type SummarizeOptions } from "./summarize";
import type { ModelOutcome, RunEvaluation, WalkConfig, WalkFoldResult, WalkFoldSummary } from "./types";

/** What one finished fold produced. */
export interface FoldOutcomes {
  fold: Pick<Fold, "index" | "trainSpan" | "testSpan">;
  data: Pick<FoldData, "labels" | "ends">;
  /** One per model, in the same model order in every fold. */
  outcomes: ModelOutcome[];
  /** Model ids that started from the previous fold's weights. */
  warmStarted: string[];
}

const BASELINE_IDS: BaselineId[] = ["majority", "class_prior", "previous_label"];

const concatEnds = (parts: Int32Array[]) => Int32Array.from(parts.flatMap((p) => Array.from(p)));

/** A model's outcome over the walk: its probabilities pooled; curves and importances of the last fold. */
function pooledOutcome(perFold: ModelOutcome[]): ModelOutcome {
  const last = perFold[perFold.length - 1];
  return {
    ...last,
    valProbs: concatFloat32(perFold.map((o) => o.valProbs)),
    testProbs: concatFloat32(perFold.map((o) => o.testProbs)),
    seconds: perFold.reduce((s, o) => s + o.seconds, 0),
    // Permutation importance was measured on one fold's test block each; the last stands for the run.
  };
}

/**
 * Pools the folds of a walk over `dataset` into one evaluation.
 * @param folds finished folds in time order (test blocks ascending and disjoint)
 * @throws when a fold lacks a model the first has, or test blocks overlap
 */
export function summarizeWalk(
  dataset: Dataset,
  folds: FoldOutcomes[],
  walk: { config: WalkConfig; skipped: WalkPlan["skipped"] },
  opts: SummarizeOptions,
): RunEvaluation {
  if (folds.length === 0) throw new Error("no finished fold to evaluate");
  const ids = folds[0].outcomes.map((o) => o.id);
  for (const f of folds) {
    const got = f.outcomes.map((o) => o.id).join(",");
    if (got !== ids.join(",")) throw new Error(`fold ${f.fold.index} has models ${got}, not ${ids.join(",")}`);
  }
  const test = concatEnds(folds.map((f) => f.data.ends.test));
  for (let i = 1; i < test.length; i++)
    if (test[i] <= test[i - 1]) throw new Error(`test blocks overlap or go back in time at row ${test[i]}`);
  const horizon = dataset.labelSpec.horizon;

  // Each row's label as its own fold decided it (ATR-scaled thresholds differ per fold).
  const labels = dataset.labels.slice();
  for (const f of folds) for (const t of [...f.data.ends.val, ...f.data.ends.test]) labels[t] = f.data.labels[t];

  const foldBaselines = folds.map((f) =>
    allBaselines(labelsAt(f.data, f.data.ends.train), f.data.labels, f.data.ends.test, horizon),
  );
  const baselines = Object.fromEntries(
    BASELINE_IDS.map((id) => [id, concatFloat32(foldBaselines.map((b) => b[id]))]),
  ) as Record<BaselineId, Float32Array>;

  const pooled: Dataset = {
    ...dataset,
    labels,
    split: {
      train: folds[folds.length - 1].data.ends.train,
      val: concatEnds(folds.map((f) => f.data.ends.val)),
      test,
    },
  };
  const outcomes = ids.map((_, m) => pooledOutcome(folds.map((f) => f.outcomes[m])));
  const evaluation = summarizeRun(pooled, outcomes, { ...opts, baselines });

  const startRow = test[0];
  const barMs = intervalMs(dataset.baseInterval);
  let firstPooled = 0;
  const foldSummaries: WalkFoldSummary[] = folds.map((f, k) => {
    const ends = f.data.ends.test;
    const y = labelsAt(f.data, ends);
    const score = (id: string, kind: WalkFoldResult["kind"], probs: Float32Array) => {
      const m = classificationMetrics(y, probs, CLASS_NAMES);
      const bt = runBacktest(dataset.closes, dataset.times, ends, probs, horizon, opts.backtest);
      return {
        result: { id, kind, accuracy: m.accuracy, balancedAccuracy: m.balancedAccuracy, sharpe: bt.metrics.sharpe },
        bt,
      };
    };
    const results: WalkFoldResult[] = f.outcomes.map((o) => ({
      ...score(o.id, "model", o.testProbs).result,
      ...(o.history ? { epochs: o.history.length } : {}),
      seconds: o.seconds,
      ...(f.warmStarted.includes(o.id) ? { warmStart: true } : {}),
    }));
    let buyHoldSharpe = NaN;
    for (const id of BASELINE_IDS) {
      const { result, bt } = score(id, "baseline", foldBaselines[k][id]);
      results.push(result);
      buyHoldSharpe = bt.buyHoldMetrics.sharpe;
    }
    const summary: WalkFoldSummary = {
      index: f.fold.index,
      trainSpan: [...f.fold.trainSpan],
      testSpan: [...f.fold.testSpan],
      samples: { train: f.data.ends.train.length, val: f.data.ends.val.length, test: ends.length },
      firstPooled,
      // The backtest's equity has one point per candle from the first pooled test end.
      equityIndex: Math.round((dataset.times[ends[0]] - dataset.times[startRow]) / barMs),
      results,
      buyHoldSharpe,
    };
    firstPooled += ends.length;
    return summary;
  });
  return { ...evaluation, walk: { config: walk.config, folds: foldSummaries, skipped: walk.skipped } };
}
