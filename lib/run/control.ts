/**
 * The shuffled-label control as a run option: the run trains and is scored on labels permuted
 * within each part (lib/eval/control.ts), and each model is judged against the chance level of
 * its own prediction mix (lib/eval/chance.ts), not against the majority class.
 *
 * What it catches: with the feature→label link broken in every part, a model can only beat
 * chance by scoring rows it was trained on (test rows inside the training part, parts that
 * overlap) or by labels that reach it some other way than through the features. It does not
 * catch look-ahead inside the features: the shuffled labels no longer match the leaked future
 * either, so such a control scores at chance; the truncation test is the guard for that
 * (lib/run/planted-leak.test.ts shows both).
 */
import type { Dataset } from "@/lib/core/dataset";
import {
  againstChance,
  chanceLevel,
  combinedChanceVerdict,
  permuteLabelsPerPart,
  type ControlRunReport,
} from "@/lib/eval";
import type { ControlConfig, ControlRow, ControlSummary } from "./control-schema";
import type { ResultSummary } from "./types";

export type { ControlConfig, ControlRow, ControlSummary } from "./control-schema";

/** How the dashboard, evaluation_metrics.json and share links name a control run. */
export const CONTROL_DESCRIPTION = "control run: labels shuffled within each part";

/** Seed of the permutation when the Train page starts a control run. */
export const DEFAULT_CONTROL_SEED = 1;

/** The control option of a run's settings. */
export function shuffledLabelControl(seed = DEFAULT_CONTROL_SEED): ControlConfig {
  return { kind: "shuffled-labels", seed };
}

/**
 * The dataset a control run trains and is scored on: labels permuted within train, validation
 * and test separately (each part keeps its class mix, so its baselines are unchanged); the
 * features, prices and split are the dataset's own.
 */
export function controlDataset<D extends Pick<Dataset, "labels" | "split">>(dataset: D, control: ControlConfig): D {
  return { ...dataset, labels: permuteLabelsPerPart(dataset.labels, dataset.split, control.seed) };
}

/** One result against the chance level of its own prediction mix on the test part. */
export function controlRow(r: Pick<ResultSummary, "id" | "label" | "metrics" | "confusion">): ControlRow {
  const chance = chanceLevel(r.confusion);
  const accuracyInterval = r.metrics.ci95?.accuracy ?? null;
  const balancedInterval = r.metrics.ci95?.balancedAccuracy ?? null;
  return {
    id: r.id,
    label: r.label,
    accuracy: r.metrics.accuracy,
    accuracyInterval,
    chanceAccuracy: chance.accuracy,
    balancedAccuracy: r.metrics.balancedAccuracy,
    balancedInterval,
    chanceBalancedAccuracy: chance.balancedAccuracy,
    verdict: combinedChanceVerdict([
      againstChance(accuracyInterval, chance.accuracy),
      againstChance(balancedInterval, chance.balancedAccuracy),
    ]),
  };
}

/** The control's verdict: every model and ensemble of the summary (baselines are chance-like by construction). */
export function controlSummary(control: ControlConfig, results: readonly ResultSummary[]): ControlSummary {
  return { ...control, rows: results.filter((r) => r.kind !== "baseline").map(controlRow) };
}

/** What evaluation_metrics.json of result `row` says about the control. */
export function controlRunReport(control: ControlConfig, row: ControlRow): ControlRunReport {
  return {
    description: CONTROL_DESCRIPTION,
    seed: control.seed,
    chance_accuracy: row.chanceAccuracy,
    chance_balanced_accuracy: row.chanceBalancedAccuracy,
    verdict: row.verdict,
  };
}

/** The control's verdict in one sentence, said first on the dashboard. */
export function controlSentence(c: Pick<ControlSummary, "rows">): { lead: string; rest: string } {
  const above = c.rows.filter((r) => r.verdict === "above");
  const below = c.rows.filter((r) => r.verdict === "below");
  const unknown = c.rows.filter((r) => r.verdict === "unknown");
  const names = (rows: readonly ControlRow[]) => rows.map((r) => r.label).join(", ");
  if (above.length > 0)
    return {
      lead: "The control flags a leak.",
      rest: `${names(above)} scored above the chance level of ${above.length === 1 ? "its" : "their"} own prediction mix on shuffled labels, which no model can learn: look for test rows that were trained on or parts that overlap.`,
    };
  if (below.length > 0)
    return {
      lead: "The control is not consistent with chance.",
      rest: `${names(below)} scored below chance on shuffled labels; that is not a leak, but the test part may be too short or too clustered for the intervals.`,
    };
  if (unknown.length > 0)
    return { lead: "The control cannot be judged.", rest: `${names(unknown)} has no interval to compare with chance.` };
  return {
    lead: "The control is consistent with chance.",
    rest: "Every model's and ensemble's 95% interval contains the chance level of its own prediction mix: no sign of evaluation on training rows or of overlapping parts. Look-ahead inside the features is not caught this way; the truncation test guards against it.",
  };
}
