/**
 * Model configuration as data: defaults and parameter ranges of the Transformer and the LSTM in
 * one place. The training forms, saved runs and share links all read (and validate with) this
 * module, so a value outside a range can never reach the trainer. No tfjs import here: the page
 * can use it without loading TensorFlow.js.
 */
import { rangeFields, readBoolean, readNumber, type ParamField, type ParamRange } from "./params";

export type { ParamRange } from "./params";

export type NeuralModelKind = "transformer" | "lstm";

/** Settings every neural model shares (the training loop's knobs). */
export interface TrainingConfig {
  /** Maximum epochs (the guide's 100); early stopping usually ends sooner. */
  epochs: number;
  /** Samples per optimiser step. Larger batches run much faster on WASM/WebGL (fewer, bigger kernels). */
  batchSize: number;
  /** Adam learning rate. */
  learningRate: number;
  /** Epochs without a better validation loss before stopping (best weights are restored). */
  patience: number;
  /** Weight the loss by inverse class frequency (sklearn's "balanced"). */
  classWeights: boolean;
  /** Seeds weight initialisation, dropout masks and batch shuffling: same seed, same run. */
  seed: number;
}

export interface TransformerConfig extends TrainingConfig {
  /** Width of every token vector. Must be a multiple of `heads`. */
  dModel: number;
  heads: number;
  /** Pre-norm encoder blocks. */
  blocks: number;
  /** Hidden width of each block's feed-forward network. */
  ff: number;
  dropout: number;
  /** Consecutive time steps merged into one token (120 steps / 8 = 15 tokens). Must divide the window. */
  patch: number;
}

export interface LstmConfig extends TrainingConfig {
  units: number;
  /** Stacked LSTM layers. */
  layers: number;
  dropout: number;
  /** Consecutive time steps concatenated into one LSTM input step (120 / 4 = 30 steps). Must divide the window. */
  patch: number;
}

export type ModelConfig<K extends NeuralModelKind> = K extends "transformer" ? TransformerConfig : LstmConfig;

const TRAINING_RANGES: Record<Exclude<keyof TrainingConfig, "classWeights">, ParamRange> = {
  epochs: { min: 1, max: 500, step: 1, integer: true, label: "Epochs" },
  batchSize: {
    min: 8,
    max: 1024,
    step: 8,
    integer: true,
    options: [8, 16, 32, 64, 128, 256, 512, 1024],
    label: "Batch size",
  },
  learningRate: { min: 1e-5, max: 1e-1, step: 1e-5, integer: false, label: "Learning rate" },
  patience: { min: 1, max: 100, step: 1, integer: true, label: "Early-stopping patience (epochs)" },
  seed: { min: 0, max: 2 ** 31 - 1, step: 1, integer: true, label: "Seed" },
};

/** Patch lengths offered; only those dividing the dataset's window are valid for it. */
export const PATCH_OPTIONS = [1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 24] as const;

export const TRANSFORMER_RANGES: Record<Exclude<keyof TransformerConfig, "classWeights">, ParamRange> = {
  ...TRAINING_RANGES,
  dModel: {
    min: 16,
    max: 256,
    step: 16,
    integer: true,
    options: [16, 32, 48, 64, 96, 128, 192, 256],
    label: "Model width (d_model)",
  },
  heads: { min: 1, max: 8, step: 1, integer: true, options: [1, 2, 4, 8], label: "Attention heads" },
  blocks: { min: 1, max: 6, step: 1, integer: true, label: "Encoder blocks" },
  ff: { min: 16, max: 1024, step: 16, integer: true, label: "Feed-forward width" },
  dropout: { min: 0, max: 0.5, step: 0.05, integer: false, label: "Dropout" },
  patch: { min: 1, max: 24, step: 1, integer: true, options: PATCH_OPTIONS, label: "Patch length (steps per token)" },
};

export const LSTM_RANGES: Record<Exclude<keyof LstmConfig, "classWeights">, ParamRange> = {
  ...TRAINING_RANGES,
  units: { min: 8, max: 256, step: 8, integer: true, label: "Units per layer" },
  layers: { min: 1, max: 3, step: 1, integer: true, label: "Stacked layers" },
  dropout: { min: 0, max: 0.5, step: 0.05, integer: false, label: "Dropout" },
  patch: {
    min: 1,
    max: 24,
    step: 1,
    integer: true,
    options: PATCH_OPTIONS,
    label: "Patch length (steps per LSTM step)",
  },
};

/**
 * Defaults. Epochs follow the guide (100, early stopping decides). Batches are larger than the
 * guide's 32 because in-browser backends are dominated by per-kernel overhead at small batches,
 * and the learning rates are scaled up with them (Adam's 1e-3 at batch 32 ≈ 2-3e-3 at 64-128).
 * Measured on bench/train (one epoch, wasm, 1 thread): Transformer batch 64 ran as fast as 128
 * and learned more per epoch; the LSTM, whose cost is per time step, keeps 128 (256 was faster
 * per sample but learned less per epoch). Patch 8 (15 tokens) and patch 4 (30 LSTM steps) were
 * the best speed/accuracy points measured there (patch 12 / 8: faster but less accurate).
 *
 * No class weights, patience 2: chosen on the validation part of real BTCUSDT 1h/4h/1d
 * (bench:evaluate, test part not looked at). With balanced class weights the best epochs scored
 * 0.33 (Transformer) and 0.20 (LSTM) validation accuracy against the majority class's 0.44, at
 * validation losses of 1.42-1.43 (worse than a uniform guess): the weights push predictions to
 * the minority classes, whose share shifts between periods. Without them: 0.44 and 0.46 at
 * 1.14 and 1.10. Patience: on 12 validation curves (both models, seeds 1, 2, 42, at these sizes
 * and at 1 block / 1 layer) the best epoch was 1-3 and validation loss never improved after 2
 * epochs without improvement, so patience 2 keeps the very models patience 5 kept (training is
 * deterministic, the shorter run is a prefix of the longer) and runs 3 epochs fewer per model.
 * Smaller models (1 Transformer block, 1 LSTM layer; half the time) were measured there too and
 * not taken: Transformer validation accuracy 0.435 against 0.446 (3 seeds, std 0.002), LSTM
 * validation loss 1.104 against 1.094 (std 0.002). Class weights remain an option (the Train
 * page's switch).
 */
export const TRANSFORMER_DEFAULTS: TransformerConfig = {
  epochs: 100,
  batchSize: 64,
  learningRate: 2e-3,
  patience: 2,
  classWeights: false,
  seed: 42,
  dModel: 64,
  heads: 4,
  blocks: 2,
  ff: 128,
  dropout: 0.1,
  patch: 8,
};

export const LSTM_DEFAULTS: LstmConfig = {
  epochs: 100,
  batchSize: 128,
  learningRate: 3e-3,
  patience: 2,
  classWeights: false,
  seed: 42,
  units: 64,
  layers: 2,
  dropout: 0.2,
  patch: 4,
};

/** Defaults of a model kind (a fresh copy). */
export function defaultConfig<K extends NeuralModelKind>(kind: K): ModelConfig<K> {
  return { ...(kind === "transformer" ? TRANSFORMER_DEFAULTS : LSTM_DEFAULTS) } as ModelConfig<K>;
}

/** Ranges of a model kind, keyed by parameter name. */
export function configRanges(kind: NeuralModelKind): Record<string, ParamRange> {
  return kind === "transformer" ? TRANSFORMER_RANGES : LSTM_RANGES;
}

/** The settings form of a model kind: its numeric ranges in order, then the class-weights switch. */
export function configFields(kind: NeuralModelKind): ParamField[] {
  return [...rangeFields(configRanges(kind)), { kind: "boolean", key: "classWeights", label: "class weights" }];
}

/** Result of validation: the clamped config and one human-readable line per value changed. */
export interface ValidatedConfig<C> {
  config: C;
  issues: string[];
}

/**
 * Validates and clamps a (possibly partial, possibly untrusted: share links, saved runs) config.
 * Missing keys take defaults, numbers are rounded/clamped to their ranges, `heads` is reduced
 * until it divides `dModel`, and `patch` is reduced to the largest allowed value dividing `window`.
 * Unknown keys are dropped.
 * @param window time steps per sample window (120 by default)
 */
export function validateConfig<K extends NeuralModelKind>(
  kind: K,
  input: unknown,
  window = 120,
): ValidatedConfig<ModelConfig<K>> {
  const issues: string[] = [];
  const src = (input && typeof input === "object" ? input : {}) as Record<string, unknown>;
  const defaults = defaultConfig(kind) as unknown as Record<string, number | boolean>;
  const ranges = configRanges(kind);
  const out: Record<string, number | boolean> = {};
  for (const [key, def] of Object.entries(defaults)) {
    out[key] =
      typeof def === "boolean"
        ? readBoolean(key, src[key], def, issues)
        : readNumber(key, src[key], ranges[key], def, issues);
  }
  const patch = out.patch as number;
  if (window % patch !== 0) {
    const ok = PATCH_OPTIONS.filter((p) => p <= patch && window % p === 0);
    const fixed = ok.length > 0 ? ok[ok.length - 1] : 1;
    issues.push(`patch: ${patch} does not divide the window of ${window}; using ${fixed}`);
    out.patch = fixed;
  }
  if (kind === "transformer") {
    let heads = out.heads as number;
    const d = out.dModel as number;
    if (d % heads !== 0) {
      while (d % heads !== 0) heads--;
      issues.push(`heads: ${out.heads} does not divide d_model ${d}; using ${heads}`);
      out.heads = heads;
    }
  }
  return { config: out as unknown as ModelConfig<K>, issues };
}
