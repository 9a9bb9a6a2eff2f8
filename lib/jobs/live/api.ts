/**
 * What the live worker does: hold a deployment's models (tfjs models built once from their
 * artifacts, the forest as stored) and predict one window per candle. Building a tfjs model from
 * its artifacts for every candle, or starting a forest worker per candle (what the export
 * worker's predictors do, fine for a one-off check of a bundle), would cost more than the
 * signal itself; here a signal is one forward pass per model. A neural model runs as its plan
 * in plain JS (lib/export/nn/forward.ts: one window without tfjs's per-kernel dispatch, about
 * ten times faster on wasm, see bench:live); a model the plan reader does not know runs in tfjs.
 */
import * as tf from "@tensorflow/tfjs";
import { forwardPlanMany } from "../../export/nn/forward";
import { lstmPlan, transformerPlan, type NeuralPlan } from "../../export/nn/plan";
import { initBackend } from "../../models/backend";
import { WASM_BASE } from "../../models/wasm-base";
import { predictProba } from "../../models/predict";
import { modelFromArtifacts } from "../../models/serialize";
import { predictProbaView } from "../../models/forest/predict";
import type { ForestModel } from "../../models/forest/types";
import type { ModelArtifactsData } from "../../models/types";

export interface LiveModelArtifacts {
  id: string;
  tfjs?: ModelArtifactsData;
  forest?: ForestModel;
}

export interface LivePrediction {
  /** Class probabilities per model id, [n * 4] for n windows. */
  probs: Record<string, Float32Array>;
  /** Time spent predicting in the worker (ms). */
  workerMs: number;
}

/** The model's plan, or null when the plan reader does not know its layers (it then runs in tfjs). */
function planOf(id: string, artifacts: ModelArtifactsData): NeuralPlan | null {
  for (const read of id === "lstm" ? [lstmPlan, transformerPlan] : [transformerPlan, lstmPlan]) {
    try {
      return read(artifacts);
    } catch {
      // Not this kind, or a layer the plans do not describe.
    }
  }
  return null;
}

/** @param init starts the tfjs backend (default: the studio's choice, wasm from the app); tests pass the CPU one. */
export function createLiveApi(init: () => Promise<unknown> = () => initBackend("auto", { wasmBase: WASM_BASE })) {
  type Entry = {
    plans: Map<string, NeuralPlan>;
    tfjs: Map<string, tf.LayersModel>;
    forests: Map<string, ForestModel>;
  };
  const loaded = new Map<string, Entry>();
  let ready: Promise<unknown> | undefined;
  return {
    /** Loads (or replaces) the models of run `key`; returns the tfjs backend in use. */
    async load(key: string, models: LiveModelArtifacts[]): Promise<string> {
      await (ready ??= init());
      const old = loaded.get(key);
      old?.tfjs.forEach((m) => m.dispose());
      const entry: Entry = { plans: new Map(), tfjs: new Map(), forests: new Map() };
      for (const m of models) {
        if (m.forest) entry.forests.set(m.id, m.forest);
        else if (m.tfjs) {
          const plan = planOf(m.id, m.tfjs);
          if (plan) entry.plans.set(m.id, plan);
          else entry.tfjs.set(m.id, await modelFromArtifacts(m.tfjs));
        }
      }
      loaded.set(key, entry);
      return tf.getBackend();
    },

    /**
     * Every loaded model's probabilities for normalised windows [n * window * features], n ≥ 1
     * windows one after another (a replay sends the next candles' windows in one message).
     * @returns per model id, [n * 4] row-major
     */
    async predict(key: string, matrix: Float32Array, window: number, features: number): Promise<LivePrediction> {
      const entry = loaded.get(key);
      if (!entry) throw new Error(`live worker: run ${key} is not loaded`);
      const size = window * features;
      const n = matrix.length / size;
      if (!Number.isInteger(n) || n < 1)
        throw new Error(`live worker: ${matrix.length} values are not whole ${window}×${features} windows`);
      const t0 = performance.now();
      const source = { matrix, rows: n * window, features, window };
      const ends = Int32Array.from({ length: n }, (_, i) => (i + 1) * window - 1);
      const probs: Record<string, Float32Array> = {};
      for (const [id, p] of entry.plans) {
        if (p.window !== window || p.features !== features)
          throw new Error(
            `live worker: model ${id} takes ${p.window}×${p.features} windows, not ${window}×${features}`,
          );
        probs[id] = forwardPlanMany(p, matrix);
      }
      for (const [id, m] of entry.tfjs) probs[id] = await predictProba(m, source, ends);
      for (const [id, f] of entry.forests) probs[id] = predictProbaView(f, source, ends);
      return { probs, workerMs: performance.now() - t0 };
    },

    unload(key: string): void {
      loaded.get(key)?.tfjs.forEach((m) => m.dispose());
      loaded.delete(key);
    },
  };
}

export type LiveWorkerApi = ReturnType<typeof createLiveApi>;
