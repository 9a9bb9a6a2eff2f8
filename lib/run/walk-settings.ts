/**
 * The walk-forward form as data (the Train page draws it with ParamForm): its fields, defaults
 * from lib/core/folds defaultWalkSpec, and the reading of what was typed into a run's WalkConfig
 * with every problem in words (walkSpecIssues). Pure.
 */
import { defaultWalkSpec, walkSpecIssues, type WalkCadence } from "@/lib/core/folds";
import type { ParamField } from "@/lib/models/params";
import type { WalkConfig } from "./types";

/** What the form holds. */
export interface WalkForm {
  window: "expanding" | "rolling";
  rollingDays: number;
  cadence: WalkCadence;
  walkMonths: number;
  purge: number;
  embargo: number;
  /** Folds after the first start from the previous fold's weights, for `warmStartEpochs` epochs. */
  warmStart: boolean;
  warmStartEpochs: number;
}

export const WALK_FIELDS: readonly ParamField<keyof WalkForm>[] = [
  {
    kind: "choice",
    key: "window",
    label: "training window",
    options: [
      { value: "expanding", label: "expanding (from the first row)" },
      { value: "rolling", label: "rolling (last N days)" },
    ],
  },
  { kind: "number", key: "rollingDays", label: "rolling window (days)", min: 7, max: 3650, step: 1, integer: true },
  {
    kind: "choice",
    key: "cadence",
    label: "retrain every",
    options: [
      { value: "monthly", label: "month" },
      { value: "biweekly", label: "two weeks" },
      { value: "weekly", label: "week" },
    ],
  },
  { kind: "number", key: "walkMonths", label: "months to walk", min: 1, max: 120, step: 1, integer: true },
  { kind: "number", key: "purge", label: "purge (rows)", min: 0, max: 10_000, step: 1, integer: true },
  { kind: "number", key: "embargo", label: "embargo (rows)", min: 0, max: 10_000, step: 1, integer: true },
  { kind: "boolean", key: "warmStart", label: "warm start from the previous fold" },
  { kind: "number", key: "warmStartEpochs", label: "epochs per warm fold", min: 1, max: 200, step: 1, integer: true },
];

/** The form's defaults for a dataset with label `horizon` and `window` rows (monthly, last 12 months, expanding). */
export function defaultWalkForm(horizon: number, window: number): WalkForm {
  const spec = defaultWalkSpec(horizon, window);
  return {
    window: spec.window,
    rollingDays: spec.rollingDays,
    cadence: spec.cadence,
    walkMonths: spec.walkMonths,
    purge: spec.purge,
    embargo: spec.embargo,
    warmStart: false,
    warmStartEpochs: 3,
  };
}

/** The run's walk configuration from the form, and what is wrong with it (empty: it can run). */
export function walkConfigOf(
  form: WalkForm,
  horizon: number,
  window: number,
): { config: WalkConfig; issues: string[] } {
  const spec = {
    ...defaultWalkSpec(horizon, window),
    window: form.window,
    rollingDays: Number(form.rollingDays),
    cadence: form.cadence,
    walkMonths: Number(form.walkMonths),
    purge: Number(form.purge),
    embargo: Number(form.embargo),
  };
  const issues = walkSpecIssues(spec, horizon, window);
  const epochs = Number(form.warmStartEpochs);
  if (form.warmStart && !(Number.isInteger(epochs) && epochs >= 1))
    issues.push("Epochs per warm-started fold must be a whole number ≥ 1.");
  return { config: { spec, ...(form.warmStart ? { warmStartEpochs: epochs } : {}) }, issues };
}
