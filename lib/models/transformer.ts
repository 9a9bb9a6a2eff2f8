/**
 * The Transformer classifier: [B, window, F] → [B, 4] class probabilities.
 *
 * Layer names (stable; the ONNX exporter reads them), in order:
 *   window   Input [B, W, F]
 *   patch    Reshape → [B, W/p, p*F]: token j is rows j*p .. j*p+p-1 concatenated step-major
 *            (feature index = step*F + f). p = config.patch; p = 1 is the unpatched model.
 *   proj     Dense(dModel), linear                         → [B, N, d]   (N = W/p tokens)
 *   pos      StudioPositionEmbedding: + embeddings [N, d]
 *   drop_in  StudioDropout
 *   per block b = 0..blocks-1 (pre-norm):
 *     b{b}_ln1   StudioLayerNorm
 *     b{b}_mha   StudioSelfAttention (heads)              (see layers.ts for the weight layout)
 *     b{b}_drop1 StudioDropout
 *     b{b}_add1  Add(input of block, b{b}_drop1)
 *     b{b}_ln2   StudioLayerNorm
 *     b{b}_ff1   Dense(ff, relu)
 *     b{b}_ff2   Dense(d), linear
 *     b{b}_drop2 StudioDropout
 *     b{b}_add2  Add(b{b}_add1, b{b}_drop2)
 *   ln_f     StudioLayerNorm
 *   pool     Flatten of the tokens (token-major)          → [B, N*d]
 *   drop_out StudioDropout
 *   head     Dense(4, softmax)                            → [B, 4]
 * Dense layers on [B, N, d] apply to the last axis (MatMul + bias).
 */
import * as tf from "@tensorflow/tfjs";
import { NUM_CLASSES } from "../core/classes";
import type { TransformerConfig } from "./config";
import { StudioDropout, StudioLayerNorm, StudioPositionEmbedding, StudioSelfAttention } from "./layers";

/**
 * Builds (does not compile) the Transformer. Weights are initialised from `config.seed`.
 * @param window time steps per sample (must be divisible by config.patch)
 * @param features features per step (F)
 */
export function buildTransformer(config: TransformerConfig, window: number, features: number): tf.LayersModel {
  const { patch, dModel, heads, blocks, ff, dropout, seed } = config;
  if (window % patch !== 0) throw new Error(`patch ${patch} does not divide window ${window}`);
  const tokens = window / patch;
  let s = seed * 97; // distinct seed per initialiser: same config seed → same weights
  const init = () => tf.initializers.glorotUniform({ seed: s++ });

  const input = tf.input({ shape: [window, features], name: "window" });
  let x = tf.layers
    .reshape({ targetShape: [tokens, patch * features], name: "patch" })
    .apply(input) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: dModel, name: "proj", kernelInitializer: init() }).apply(x) as tf.SymbolicTensor;
  x = new StudioPositionEmbedding({ name: "pos", seed: s++ }).apply(x) as tf.SymbolicTensor;
  x = new StudioDropout({ name: "drop_in", rate: dropout, seed: s++ }).apply(x) as tf.SymbolicTensor;
  for (let b = 0; b < blocks; b++) {
    let y = new StudioLayerNorm({ name: `b${b}_ln1` }).apply(x) as tf.SymbolicTensor;
    y = new StudioSelfAttention({ name: `b${b}_mha`, heads, seed: (s += 2) }).apply(y) as tf.SymbolicTensor;
    y = new StudioDropout({ name: `b${b}_drop1`, rate: dropout, seed: s++ }).apply(y) as tf.SymbolicTensor;
    x = tf.layers.add({ name: `b${b}_add1` }).apply([x, y]) as tf.SymbolicTensor;
    y = new StudioLayerNorm({ name: `b${b}_ln2` }).apply(x) as tf.SymbolicTensor;
    y = tf.layers
      .dense({ units: ff, activation: "relu", name: `b${b}_ff1`, kernelInitializer: init() })
      .apply(y) as tf.SymbolicTensor;
    y = tf.layers.dense({ units: dModel, name: `b${b}_ff2`, kernelInitializer: init() }).apply(y) as tf.SymbolicTensor;
    y = new StudioDropout({ name: `b${b}_drop2`, rate: dropout, seed: s++ }).apply(y) as tf.SymbolicTensor;
    x = tf.layers.add({ name: `b${b}_add2` }).apply([x, y]) as tf.SymbolicTensor;
  }
  x = new StudioLayerNorm({ name: "ln_f" }).apply(x) as tf.SymbolicTensor;
  // Flatten rather than average: mean pooling erases which token a feature came from, and the
  // recent-versus-older contrasts that matter for market windows then have to be learned through
  // attention alone (measured: val accuracy at chance where flatten learns; see bench/train).
  x = tf.layers.flatten({ name: "pool" }).apply(x) as tf.SymbolicTensor;
  x = new StudioDropout({ name: "drop_out", rate: dropout, seed: s++ }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: NUM_CLASSES, activation: "softmax", name: "head", kernelInitializer: init() })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: "transformer" });
}
