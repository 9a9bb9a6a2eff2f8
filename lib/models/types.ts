/**
 * Shapes exchanged between the trainer, the training worker and the page. Type-only tfjs
 * imports, so the page can use these without loading TensorFlow.js.
 */
import type { io } from "@tensorflow/tfjs";
import type { SampleSet, WindowSource } from "../core/dataset";
import type { NamedPermutationRequest } from "../eval/importance";
import type { LstmConfig, NeuralModelKind, TransformerConfig } from "./config";

export type BackendName = "webgpu" | "webgl" | "wasm" | "cpu";
/** "auto" picks WebGPU → WebGL → WASM → CPU by feature detection. */
export type BackendPreference = "auto" | BackendName;

/** Tensors as one ArrayBuffer plus a manifest (tf.io.encodeWeights layout). */
export interface SerializedWeights {
  specs: io.WeightsManifestEntry[];
  data: ArrayBuffer;
}

/** A tfjs LayersModel as plain data: model.json's topology + weights (ready for a bundle). */
export interface ModelArtifactsData {
  /** The Keras-style topology object that model.json's "modelTopology" holds. */
  modelTopology: object;
  weightSpecs: io.WeightsManifestEntry[];
  /** All weights, float32, concatenated in weightSpecs order. */
  weightData: ArrayBuffer;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

/** One completed epoch. Losses are mean categorical cross-entropy (train: class-weighted when enabled; val: unweighted). */
export interface EpochRecord {
  /** 1-based. */
  epoch: number;
  loss: number;
  acc: number;
  valLoss: number;
  valAcc: number;
  /** Seconds spent on training batches in this epoch. */
  trainSeconds: number;
  /** Seconds spent on validation in this epoch. */
  valSeconds: number;
}

/** Per-batch progress. */
export interface TrainProgress {
  /** 1-based epoch and batch. */
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  /** Running means over this epoch's batches so far. */
  loss: number;
  acc: number;
  /** Training samples per second over this run's training batches so far. */
  samplesPerSec: number;
  /** Seconds left in this epoch, and until the epoch limit (early stopping may end sooner). */
  epochEtaSeconds: number;
  etaSeconds: number;
  /** "importance": training is over and permutation importance runs (batch = features done of batches). */
  stage?: "train" | "importance";
}

/** Everything needed to resume a run after a reload (all serialisable; store it in IndexedDB). */
export interface TrainCheckpoint {
  version: 1;
  kind: NeuralModelKind;
  config: TransformerConfig | LstmConfig;
  /** Epochs completed. */
  epoch: number;
  /** Optimiser steps completed. */
  step: number;
  history: EpochRecord[];
  /** 1-based epoch of the best validation loss (0: none yet). */
  bestEpoch: number;
  bestValLoss: number;
  /** Epochs since the best one (early-stopping counter). */
  wait: number;
  /** Current weights, in model.getWeights() order. */
  weights: SerializedWeights;
  /** Weights of the best epoch, same order. */
  bestWeights: SerializedWeights;
  /** Adam state in optimizer.getWeights() order (iterations, first moments, second moments). */
  optimizer: SerializedWeights;
}

export type StopReason = "completed" | "early-stopped" | "aborted" | "nan";

/** What the worker is asked to do. The typed arrays are transferred. */
export interface TrainRequest {
  kind: NeuralModelKind;
  /** Validated config (see validateConfig); the worker validates again. */
  config: TransformerConfig | LstmConfig;
  source: WindowSource;
  train: SampleSet;
  val: SampleSet;
  /** Named sets of window ends to predict with the final (best) weights, e.g. { val, test }. */
  predict?: Record<string, Int32Array>;
  /** A checkpoint from an earlier run of the same kind/config/data, to continue from. */
  resume?: TrainCheckpoint;
  /** Send a checkpoint to the page after every epoch (costs one weight download per epoch). */
  checkpoints?: boolean;
  /** Permutation importance of the trained model on these labelled windows (the test part). */
  permutation?: PermutationRequest;
}

/** Which windows to shuffle features over, and how (see lib/eval/importance). */
export type PermutationRequest = NamedPermutationRequest & { labels: Uint8Array };

/** What the worker returns. */
export interface TrainResponse {
  kind: NeuralModelKind;
  config: TransformerConfig | LstmConfig;
  artifacts: ModelArtifactsData;
  history: EpochRecord[];
  /** 1-based epoch whose weights were kept (0 when no epoch was validated). */
  bestEpoch: number;
  stopReason: StopReason;
  /** Human-readable reason, e.g. the NaN message. */
  message: string;
  /** Wall-clock seconds of the whole run, training samples per second, backend used. */
  seconds: number;
  samplesPerSec: number;
  /** Workers that computed the training batches (1 + gradient peers; see lib/models/shards.ts). */
  workers?: number;
  backend: string;
  /** Class probabilities per named set, row-major [N * 4]. */
  predictions: Record<string, Float32Array>;
  /** Accuracy drop per feature when it is shuffled, when the request asked for it. */
  permutation?: { name: string; value: number }[];
}
