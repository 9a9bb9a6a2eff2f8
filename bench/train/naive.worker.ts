/**
 * The naive baseline: the same architecture unpatched (patch 1), trained with plain model.fit on
 * a materialised [N, 120, F] tensor at batch 32, as a straight port of the Python guide would:
 * stock tfjs kernels (no wasm kernel fixes) and, for the LSTM, tf.layers.lstm (same math).
 */
import * as Comlink from "comlink";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "@/lib/models/backend";
import { buildModel } from "@/lib/models/build";
import { gatherWindows, toDeviceSource } from "@/lib/models/batches";
import type { LstmConfig, NeuralModelKind, TransformerConfig } from "@/lib/models/config";
import { balancedClassWeights } from "@/lib/models/random";
import { StudioDropout } from "@/lib/models/layers";
import type { BackendPreference } from "@/lib/models/types";
import { benchTask } from "./data";

export interface NaiveResult {
  backend: string;
  samples_per_s: number;
  epoch_s: number;
  measured_samples: number;
  extrapolated: boolean;
  val_accuracy: number;
  peak_mb: number;
}

/** The LSTM as a plain port would write it: stock tf.layers.lstm on the 120 raw steps. */
function plainLstm(config: LstmConfig, window: number, features: number): tf.LayersModel {
  const input = tf.input({ shape: [window, features] });
  let x = input;
  for (let l = 0; l < config.layers; l++) {
    x = tf.layers
      .lstm({ units: config.units, returnSequences: l < config.layers - 1, recurrentActivation: "sigmoid" })
      .apply(x) as tf.SymbolicTensor;
    x = new StudioDropout({ rate: config.dropout, seed: config.seed + 10 + l }).apply(x) as tf.SymbolicTensor;
  }
  const out = tf.layers.dense({ units: 4, activation: "softmax" }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

const api = {
  async init(preference: BackendPreference, wasmBase: string, threads?: number): Promise<string> {
    return initBackend(preference, { wasmBase, wasmThreads: threads, fastWasmKernels: false });
  },

  /** Trains on the first `batches` batches of 32 (0 = the whole training set) and extrapolates to one epoch. */
  async run(
    kind: NeuralModelKind,
    config: TransformerConfig | LstmConfig,
    samples: number,
    batches: number,
  ): Promise<NaiveResult> {
    const task = benchTask(samples);
    const src = toDeviceSource(task.source);
    const trainN = task.train.ends.length;
    const n = batches > 0 ? Math.min(trainN, batches * 32) : trainN;
    // Materialised once, as model.fit needs: [n, 120, F] (the cost the studio avoids).
    const x = gatherWindows(src, task.train.ends, 0, n);
    const y = tf.tensor2d(Float32Array.from(task.train.labels.subarray(0, n)), [n, 1]);
    const model =
      kind === "lstm"
        ? plainLstm(config as LstmConfig, task.source.window, task.source.features)
        : buildModel(kind, { ...config, patch: 1 }, task.source.window, task.source.features);
    model.compile({
      optimizer: tf.train.adam(config.learningRate),
      loss: "sparseCategoricalCrossentropy",
      metrics: ["accuracy"],
    });
    const cw = balancedClassWeights(task.train.labels, 4);
    const t0 = performance.now();
    await model.fit(x, y, {
      batchSize: 32,
      epochs: 1,
      shuffle: true,
      verbose: 0,
      classWeight: config.classWeights ? Object.fromEntries(Array.from(cw, (w, c) => [c, w])) : undefined,
    });
    const seconds = (performance.now() - t0) / 1000;
    tf.dispose([x, y]);
    let correct = 0;
    for (let from = 0; from < task.val.ends.length; from += 256) {
      const to = Math.min(task.val.ends.length, from + 256);
      const pred = tf.tidy(() => (model.predict(gatherWindows(src, task.val.ends, from, to)) as tf.Tensor).argMax(-1));
      const p = await pred.data();
      pred.dispose();
      for (let i = 0; i < p.length; i++) if (p[i] === task.val.labels[from + i]) correct++;
    }
    const wasm =
      tf.getBackend() === "wasm" ? (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm : undefined;
    const peak = wasm?.HEAPU8 ? wasm.HEAPU8.buffer.byteLength : tf.memory().numBytes;
    model.dispose();
    src.dispose();
    const sps = n / seconds;
    return {
      backend: tf.getBackend(),
      samples_per_s: sps,
      epoch_s: trainN / sps,
      measured_samples: n,
      extrapolated: n < trainN,
      val_accuracy: correct / task.val.ends.length,
      peak_mb: peak / 2 ** 20,
    };
  },
};

export type NaiveApi = typeof api;
Comlink.expose(api);
