/**
 * The shuffled-label control as a run stores it: the option in the run's settings, the verdict
 * against chance in its summary, and what its evaluation_metrics.json adds (lib/run/control.ts).
 */
import * as v from "valibot";
import { count, figure, strictObj, text, type Schema } from "@/lib/core/schema";
import type { ControlRunReport } from "@/lib/eval/chance";

/** A run trained and scored on labels permuted within each part (train, validation, test separately). */
export const controlConfigSchema = strictObj({
  kind: v.literal("shuffled-labels", "unknown control"),
  /** Seed of the permutation (part p uses seed + p, lib/eval/control.ts). */
  seed: count,
});
export type ControlConfig = v.InferOutput<typeof controlConfigSchema>;

const chanceVerdictSchema = v.picklist(["consistent", "above", "below", "unknown"], "unknown chance verdict");
const ci = v.nullable(v.tuple([figure, figure]));

/** One model's or ensemble's control figures against the chance level of its own prediction mix. */
export const controlRowSchema = strictObj({
  id: text(60, 1),
  label: text(200, 1),
  accuracy: figure,
  /** The 95% block-bootstrap interval of the summary (null when it has none). */
  accuracyInterval: ci,
  chanceAccuracy: figure,
  balancedAccuracy: figure,
  balancedInterval: ci,
  chanceBalancedAccuracy: figure,
  verdict: chanceVerdictSchema,
});
export type ControlRow = v.InferOutput<typeof controlRowSchema>;

/** A control run's verdict: every model and ensemble against chance. */
export const controlSummarySchema = strictObj({ ...controlConfigSchema.entries, rows: v.array(controlRowSchema) });
export type ControlSummary = v.InferOutput<typeof controlSummarySchema>;

export const controlRunReportSchema: Schema<ControlRunReport> = strictObj({
  description: text(200, 1),
  seed: count,
  chance_accuracy: figure,
  chance_balanced_accuracy: figure,
  verdict: chanceVerdictSchema,
});
