/** One entry point to build either neural model from its (validated) config. */
import type * as tf from "@tensorflow/tfjs";
import type { LstmConfig, NeuralModelKind, TransformerConfig } from "./config";
import { buildLstm } from "./lstm";
import { buildTransformer } from "./transformer";

/** Builds the model of `kind` for windows of [window, features]. */
export function buildModel(
  kind: NeuralModelKind,
  config: TransformerConfig | LstmConfig,
  window: number,
  features: number,
): tf.LayersModel {
  return kind === "transformer"
    ? buildTransformer(config as TransformerConfig, window, features)
    : buildLstm(config as LstmConfig, window, features);
}
