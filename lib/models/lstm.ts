/**
 * The LSTM classifier: [B, window, F] → [B, 4] class probabilities.
 *
 * Layer names (stable; the ONNX exporter reads them), in order:
 *   window   Input [B, W, F]
 *   patch    Reshape → [B, W/p, p*F]: step j is rows j*p .. j*p+p-1 concatenated step-major
 *            (feature index = step*F + f). p = config.patch; p = 1 is the plain per-candle LSTM.
 *            Fewer, wider steps cut the sequential kernel count p-fold (the cost that dominates
 *            tfjs on WASM) while every input value still reaches the LSTM.
 *   lstm_{l} StudioLSTM(units) for l = 0..layers-1; all but the last return sequences. Exactly a
 *            Keras LSTM (see lstm-layer.ts): kernel [in, 4u], recurrent_kernel [u, 4u], bias [4u],
 *            gate order i, f, c, o; sigmoid for i/f/o, tanh for c and the output; zero initial state.
 *   drop_{l} StudioDropout after each LSTM layer
 *   head     Dense(4, softmax) on the last hidden state → [B, 4]
 */
import * as tf from "@tensorflow/tfjs";
import { NUM_CLASSES } from "../core/classes";
import type { LstmConfig } from "./config";
import { StudioDropout } from "./layers";
import { StudioLSTM } from "./lstm-layer";

/**
 * Builds (does not compile) the LSTM. Weights are initialised from `config.seed`.
 * @param window time steps per sample (must be divisible by config.patch)
 * @param features features per step (F)
 */
export function buildLstm(config: LstmConfig, window: number, features: number): tf.LayersModel {
  const { patch, units, layers, dropout, seed } = config;
  if (window % patch !== 0) throw new Error(`patch ${patch} does not divide window ${window}`);
  let s = seed * 97 + 50_000;
  const input = tf.input({ shape: [window, features], name: "window" });
  let x = tf.layers
    .reshape({ targetShape: [window / patch, patch * features], name: "patch" })
    .apply(input) as tf.SymbolicTensor;
  for (let l = 0; l < layers; l++) {
    x = new StudioLSTM({ units, returnSequences: l < layers - 1, name: `lstm_${l}`, seed: (s += 2) }).apply(
      x,
    ) as tf.SymbolicTensor;
    x = new StudioDropout({ name: `drop_${l}`, rate: dropout, seed: s++ }).apply(x) as tf.SymbolicTensor;
  }
  const out = tf.layers
    .dense({
      units: NUM_CLASSES,
      activation: "softmax",
      name: "head",
      kernelInitializer: tf.initializers.glorotUniform({ seed: s++ }),
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: "lstm" });
}
