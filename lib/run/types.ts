import type { EvaluationMetricsJson } from "@/lib/eval/report";
import type { SharedRun } from "@/lib/export/share/types";

/** The three trainable models, in the guide's ensemble order. */
export const MODEL_IDS = ["transformer", "lstm", "forest"] as const;
export type ModelId = (typeof MODEL_IDS)[number];

export const MODEL_LABELS: Record<ModelId, string> = {
  transformer: "Transformer",
  lstm: "LSTM",
  forest: "Random Forest",
};

/** One epoch of a sequence model's training history. */
export interface EpochRecord {
  epoch: number;
  loss: number;
  acc: number;
  valLoss: number;
  valAcc: number;
}

/** What training one model produced, as the evaluation needs it (no weights). */
export interface ModelOutcome {
  id: ModelId;
  params: Record<string, number | string | boolean>;
  /** Class probabilities on the validation samples, [Nval * 4], in split order. */
  valProbs: Float32Array;
  /** Class probabilities on the test samples, [Ntest * 4], in split order. */
  testProbs: Float32Array;
  history?: EpochRecord[];
  bestEpoch?: number;
  seconds: number;
  backend?: string;
  /** Forest only: impurity importance per input name. */
  importances?: { names: string[]; values: Float32Array };
  /** Permutation importance on the test part (accuracy drop per base feature). */
  permutation?: { name: string; value: number }[];
  /** Set when training stopped early for a reason the user must see (NaN loss, cancel). */
  stopReason?: string;
}

/** A run's evaluation: what the dashboard, the downloads and the share link read. */
export interface RunEvaluation {
  summary: SharedRun;
  /** evaluation_metrics.json per result id (models, ensembles). */
  metrics: Record<string, EvaluationMetricsJson>;
  /** Permutation importances per model id (base feature names), when computed. */
  permutation: Record<string, { name: string; value: number }[]>;
  /** Curves of each sequence model, full resolution, for CSV download. */
  curves: Record<string, EpochRecord[]>;
}
