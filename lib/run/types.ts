/**
 * The run's types. Shapes that are stored or shared come from the schemas in ./schema.ts; this
 * file adds the model ids and their display names.
 */

/** The three trainable models, in the guide's ensemble order. */
export const MODEL_IDS = ["transformer", "lstm", "forest"] as const;
export type ModelId = (typeof MODEL_IDS)[number];

export const MODEL_LABELS: Record<ModelId, string> = {
  transformer: "Transformer",
  lstm: "LSTM",
  forest: "Random Forest",
};

export type {
  BacktestChoice,
  BacktestSummary,
  BacktestTrial,
  CheckpointState,
  Curve,
  EnsembleSummary,
  EpochRecord,
  ImportedRunConfig,
  Importance,
  ModelOutcome,
  ResultKind,
  ResultMetrics,
  ResultSummary,
  RunConfig,
  RunEvaluation,
  RunSummary,
  RulesSource,
  StoredRunConfig,
  WalkConfig,
  WalkFoldResult,
  WalkFoldSummary,
  WalkSummary,
} from "./schema";
export type { ControlConfig, ControlRow, ControlSummary } from "./control-schema";
export type { SeedResult, SeedScore, SeedsSummary } from "./seeds-schema";
