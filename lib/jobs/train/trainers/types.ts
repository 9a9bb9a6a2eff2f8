/**
 * One contract for every model the studio trains (jena-weather's one `trainModel` for every
 * `buildModel(type)`): a trainer gets the data, its settings and the workers, reports progress
 * through hooks and hands back what the evaluation needs plus what is stored. It knows no run id
 * and no storage, so a run, a walk-forward fold or a live retrain call it alike.
 */
import type { WindowSource } from "@/lib/core/dataset";
import type { LstmConfig, TransformerConfig } from "@/lib/models/config";
import type { ForestModel, ForestParams } from "@/lib/models/forest";
import type { ForestView } from "@/lib/models/forest/params";
import type {
  BackendName,
  ModelArtifactsData,
  TrainCheckpoint,
  TrainProgress,
  TrainRequest,
  TrainResponse,
} from "@/lib/models/types";
import type { ForestProgress } from "@/lib/jobs/forest/pool";
import type { TrainCallOptions } from "@/lib/jobs/train/client";
import type { EpochRecord, ModelId, ModelOutcome } from "@/lib/run/types";

/** A run's forest settings: hyper-parameters (missing ones take defaults) and the input view. */
export type ForestRunConfig = Partial<ForestParams> & { view: ForestView };

/** The settings each trainer takes. */
export interface TrainerConfigs {
  transformer: TransformerConfig;
  lstm: LstmConfig;
  forest: ForestRunConfig;
}

/** The tfjs training worker as the neural trainers use it (the page: TrainClient; Node tests: in-process). */
export interface TfjsTrainWorker {
  /** Starts the worker's backend once; resolves to the backend in use. */
  init(): Promise<BackendName>;
  /** Trains one model; an abort resolves with stopReason "aborted" and the best weights so far. */
  train(request: TrainRequest, opts?: TrainCallOptions): Promise<TrainResponse>;
}

/** Where the training work runs. */
export interface TrainWorkers {
  tfjs: TfjsTrainWorker;
  /** Makes one forest worker; default the app's workers/forest.worker.ts (benches and tests inject theirs). */
  createForestWorker?: () => Worker;
}

/** Everything a trainer trains on. Arrays are read, never changed. */
export interface TrainContext<Id extends ModelId = ModelId> {
  /** Normalised feature rows, [rows, features], and the window length in rows. */
  source: WindowSource;
  /** Feature names in column order. */
  featureNames: string[];
  /** Class of each row (NO_LABEL where none), [rows]. */
  labels: ArrayLike<number>;
  /** Rows that end a sample window, per part, ascending (train fits, val stops early, test is held out). */
  ends: { train: Int32Array; val: Int32Array; test: Int32Array };
  config: TrainerConfigs[Id];
  signal: AbortSignal;
  workers: TrainWorkers;
  /**
   * Compute permutation importance on the test part (default true). A walk-forward run asks for
   * it on its last fold only: on every fold it costs about as much as training the forest again.
   */
  importance?: boolean;
}

/** Progress of a Transformer or LSTM. */
export type NeuralProgress =
  /** After each batch. */
  | { phase: "train"; progress: TrainProgress; backend: string }
  /** An epoch finished and its checkpoint is stored: `epoch` of `epochs` done, curves so far. */
  | { phase: "checkpoint"; epoch: number; epochs: number; history: EpochRecord[]; backend: string }
  | { phase: "importance"; done: number; total: number; backend: string };

/** Progress of the forest. */
export type ForestTrainerProgress =
  | { phase: "train"; progress: ForestProgress }
  /** Trees grown; predicting the validation and test parts. */
  | { phase: "evaluate" }
  | { phase: "importance"; done: number; total: number };

/** The progress each trainer reports. */
export interface TrainerProgressMap {
  transformer: NeuralProgress;
  lstm: NeuralProgress;
  forest: ForestTrainerProgress;
}

export type TrainerProgress<Id extends ModelId> = TrainerProgressMap[Id];

/** Where a neural trainer keeps its epoch checkpoints to resume from (absent: none kept). */
export interface CheckpointStore {
  load(): Promise<TrainCheckpoint | undefined>;
  save(checkpoint: TrainCheckpoint): Promise<void>;
}

export interface TrainHooks<Id extends ModelId = ModelId> {
  onProgress(p: TrainerProgress<Id>): void;
  checkpoints?: CheckpointStore;
  /**
   * Receives a model that is usable already, before a slow optional step (the forest's
   * permutation importance), so a cancel during that step keeps it.
   */
  keep?(model: TrainedModel): Promise<void>;
}

/** What is stored of a trained model: tfjs artifacts or the forest itself. */
export type StoredModel = { kind: "tfjs"; artifacts: ModelArtifactsData } | { kind: "forest"; forest: ForestModel };

/** A trained model: what the evaluation reads (the outcome) and what is stored. */
export interface TrainedModel {
  outcome: ModelOutcome;
  stored: StoredModel;
  /** How training ended, when the user should know (early stop, NaN loss). */
  note?: string;
}

export interface ModelTrainer<Id extends ModelId> {
  id: Id;
  /** Trains on `ctx`; resolves "aborted" when ctx.signal stopped it (checkpoints stay). */
  train(ctx: TrainContext<Id>, hooks: TrainHooks<Id>): Promise<TrainedModel | "aborted">;
}
