/**
 * Trading the test part again with other backtest settings (fees, long-only, minimum
 * confidence, sizing, which result's signals): the stored test probabilities of the run's
 * models go through the same summarizeRun as after training, so every figure (dashboard,
 * evaluation_metrics.json, share link) says which settings it came from. No model is rerun.
 * Each application is a trial (lib/run/trials.ts): it is appended to the run's stored list, and
 * the deflated Sharpe ratio and the "after the test was seen" mark follow from that list.
 */
import { getStudioDb, listOutcomes, loadDataset, loadRun, runEvaluation, saveEvaluation } from "@/lib/db";
import { DEFAULT_BACKTEST_SETTINGS } from "@/lib/eval/backtest";
import { otherRunsTrials } from "./other-trials";
import { summarizeRun } from "./summarize";
import { tuneRunRules, type TunedRules } from "./tune";
import type { Dataset } from "@/lib/core/dataset";
import type { BacktestChoice, ModelOutcome, RulesSource, RunEvaluation, RunSummary } from "./types";

export type { BacktestChoice } from "./types";

/** A clear message for settings that make no sense, or null. */
export function checkBacktestChoice(c: BacktestChoice): string | null {
  const s = c.settings;
  if (!(s.feeRate >= 0 && s.feeRate <= 0.05)) return "The fee must be between 0% and 5% per side.";
  if (!(s.minConfidence >= 0 && s.minConfidence <= 1)) return "The minimum confidence must be between 0% and 100%.";
  return null;
}

/** Re-evaluates stored run `runId` with rules chosen by hand (`choice`), stores and returns the new evaluation. */
export function retradeRun(runId: string, choice: BacktestChoice): Promise<RunEvaluation> {
  return applyRules(runId, () => choice, "manual").then((r) => r.evaluation);
}

/**
 * Tunes run `runId`'s backtest rules on its validation part (lib/run/tune.ts, the fee kept at
 * `feeRate`), then applies them to the test part: one trial, marked as tuned on validation.
 * Tuning and applying are one step so that no hand-picked rules can be recorded as tuned ones.
 */
export async function tuneAndRetradeRun(
  runId: string,
  feeRate: number,
): Promise<{ evaluation: RunEvaluation; tuned: TunedRules }> {
  const problem = checkBacktestChoice({ settings: { ...DEFAULT_BACKTEST_SETTINGS, feeRate }, tradedModel: "-" });
  if (problem) throw new Error(problem);
  let tuned: TunedRules | undefined;
  const { evaluation } = await applyRules(
    runId,
    (loaded) => {
      tuned = tuneRunRules(loaded.dataset, loaded.outcomes, loaded.summary, feeRate);
      return { tradedModel: tuned.tradedModel, settings: tuned.settings };
    },
    "tuned-on-validation",
  );
  return { evaluation, tuned: tuned! };
}

/** What the rules may be chosen from: the run's dataset, models and summary. */
type Loaded = { dataset: Dataset; outcomes: ModelOutcome[]; summary: RunSummary };

/** Applies the rules `chooseRules` picks to the test part as one more trial, from `source`. */
async function applyRules(
  runId: string,
  chooseRules: (loaded: Loaded) => BacktestChoice,
  source: RulesSource,
): Promise<{ evaluation: RunEvaluation }> {
  const db = getStudioDb();
  const run = await loadRun(db, runId);
  const before = run && runEvaluation(run);
  if (!run || !before) throw new Error("This run has no stored evaluation.");
  const dataset = await loadDataset(db, run.datasetId);
  if (!dataset)
    throw new Error("The run's dataset is no longer stored in this browser: the backtest can't be run again.");
  const outcomes = (await listOutcomes(db, runId)).map((m) => m.outcome);
  if (outcomes.length === 0) throw new Error("This run's models are no longer stored.");
  const choice = chooseRules({ dataset, outcomes, summary: before.summary });
  const problem = checkBacktestChoice(choice);
  if (problem) throw new Error(problem);
  const tradable = [
    ...outcomes.map((o) => o.id as string),
    ...(outcomes.length > 1 ? ["ensemble", "ensemble-learned"] : []),
  ];
  if (!tradable.includes(choice.tradedModel))
    throw new Error(`"${choice.tradedModel}" is not a result of this run: choose one of ${tradable.join(", ")}.`);
  const summary = before.summary;
  const evaluation = summarizeRun(dataset, outcomes, {
    title: summary.title,
    fingerprint: summary.fingerprint,
    createdAt: summary.createdAt,
    weights: Object.fromEntries(summary.ensemble.weights.map((w) => [w.model, w.weight])),
    backtest: choice.settings,
    tradedModel: choice.tradedModel,
    trials: { prior: before.trials, source, at: Date.now() },
    otherTrials: await otherRunsTrials(db, run.datasetId, runId),
  });
  // Curves come from the outcomes too; keep any the first evaluation had that they lack.
  const kept: RunEvaluation = { ...evaluation, curves: { ...before.curves, ...evaluation.curves } };
  await saveEvaluation(db, { ...run, config: { ...run.config, backtest: choice } }, kept);
  return { evaluation: kept };
}
