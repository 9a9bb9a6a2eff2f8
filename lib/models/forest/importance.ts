import type { ForestModel } from "./types";

/** One row of an importance table. */
export interface ImportanceRow {
  key: string;
  importance: number;
}

/** Parts of an input name such as "feat_1h_rsi_t119" or "feat_alt_fear_greed_mean". */
export interface InputNameParts {
  /** Base feature, e.g. "1h_rsi". */
  feature: string;
  /** Timeframe prefix ("15m", "1h", "4h"...), or the first word for untimed features ("regime", "alt"). */
  timeframe: string;
  /** The part after the timeframe prefix ("rsi"), or the whole name for untimed features. */
  indicator: string;
  /** Window step for the flattened view (119 = latest), else null. */
  step: number | null;
  /** Summary for the compact view ("last", "mean"...), else null. */
  stat: string | null;
}

const TIMEFRAME = /^(\d+[smhdwM])_(.+)$/;
const FLAT = /^feat_(.+)_t(\d+)$/;
const COMPACT = /^feat_(.+)_(last|mean|std|min|max|delta)$/;

/** Splits an input name into feature, timeframe, indicator and step or summary. */
export function parseInputName(name: string): InputNameParts {
  let feature = name.startsWith("feat_") ? name.slice(5) : name;
  let step: number | null = null;
  let stat: string | null = null;
  const flat = FLAT.exec(name);
  const compact = COMPACT.exec(name);
  if (flat) {
    feature = flat[1];
    step = Number(flat[2]);
  } else if (compact) {
    feature = compact[1];
    stat = compact[2];
  }
  const tf = TIMEFRAME.exec(feature);
  if (tf) return { feature, timeframe: tf[1], indicator: tf[2], step, stat };
  const first = feature.split("_")[0];
  return { feature, timeframe: first, indicator: feature, step, stat };
}

/**
 * Sums the model's importances per group, sorted by importance (desc), ties by key.
 * by: "input" (each input), "feature" (base feature over lags/summaries), "indicator",
 * "timeframe", "step" (flattened view: key "t119"...; inputs without a step are left out),
 * "stat" (compact view).
 */
export function importanceBy(
  model: Pick<ForestModel, "featureNames" | "importances">,
  by: "input" | "feature" | "indicator" | "timeframe" | "step" | "stat",
): ImportanceRow[] {
  const sums = new Map<string, number>();
  model.featureNames.forEach((name, j) => {
    let key: string | null;
    if (by === "input") key = name;
    else {
      const p = parseInputName(name);
      key = by === "step" ? (p.step === null ? null : `t${p.step}`) : by === "stat" ? p.stat : p[by];
    }
    if (key !== null) sums.set(key, (sums.get(key) ?? 0) + model.importances[j]);
  });
  return [...sums]
    .map(([key, importance]) => ({ key, importance }))
    .sort((a, b) => b.importance - a.importance || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * The guide's `feature_importance.csv`: header `feature,importance`, one row per input with the
 * guide's names, sorted by importance (desc).
 */
export function featureImportanceCsv(model: Pick<ForestModel, "featureNames" | "importances">): string {
  const rows = importanceBy(model, "input").map((r) => `${r.key},${Number(r.importance.toPrecision(6))}`);
  return ["feature,importance", ...rows].join("\n") + "\n";
}
