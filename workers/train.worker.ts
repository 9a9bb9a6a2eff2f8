/**
 * Training worker: a typed table of functions exposed with Comlink. The page imports only the
 * type (TrainWorkerApi) through lib/jobs/train/client.ts.
 */
import * as Comlink from "comlink";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/models/backend";
import type { WindowSource } from "../lib/core/dataset";
import { predictProba } from "../lib/models/predict";
import { modelFromArtifacts } from "../lib/models/serialize";
import { checkpointTransferables, responseTransferables, runTrainRequest } from "../lib/models/session";
import type {
  BackendName,
  BackendPreference,
  ModelArtifactsData,
  TrainCheckpoint,
  TrainProgress,
  TrainRequest,
  TrainResponse,
} from "../lib/models/types";

let controller: AbortController | undefined;
let ready: Promise<BackendName> | undefined;

const api = {
  /** Starts the backend (call once before train); returns the backend in use. */
  async init(preference: BackendPreference, wasmBase: string, wasmThreads?: number): Promise<BackendName> {
    ready = initBackend(preference, { wasmBase, wasmThreads });
    return ready;
  },

  /** Trains one model. Progress and checkpoints come back through Comlink proxies. */
  async train(
    req: TrainRequest,
    onProgress?: (p: TrainProgress) => void,
    onCheckpoint?: (c: TrainCheckpoint) => Promise<void> | void,
  ): Promise<TrainResponse> {
    controller?.abort();
    const ctrl = new AbortController();
    controller = ctrl;
    try {
      // A train() without init() still gets the studio's backend choice and local wasm path.
      await (ready ??= initBackend("auto", { wasmBase: "/tfjs-wasm/" }));
      const res = await runTrainRequest(req, {
        signal: ctrl.signal,
        // Not awaited: progress must not stall training on a round trip to the page.
        onProgress: onProgress ? (p) => void onProgress(p) : undefined,
        onCheckpoint: onCheckpoint ? (c) => onCheckpoint(Comlink.transfer(c, checkpointTransferables(c))) : undefined,
      });
      return Comlink.transfer(res, responseTransferables(res));
    } finally {
      if (controller === ctrl) controller = undefined;
    }
  },

  /** Class probabilities of a stored model (tfjs artifacts) per named set of window ends. */
  async predict(
    artifacts: ModelArtifactsData,
    source: WindowSource,
    sets: Record<string, Int32Array>,
  ): Promise<Record<string, Float32Array>> {
    await (ready ??= initBackend("auto", { wasmBase: "/tfjs-wasm/" }));
    const model = await modelFromArtifacts(artifacts);
    try {
      const out: Record<string, Float32Array> = {};
      for (const [name, ends] of Object.entries(sets)) out[name] = await predictProba(model, source, ends);
      return Comlink.transfer(
        out,
        Object.values(out).map((p) => p.buffer as ArrayBuffer),
      );
    } finally {
      model.dispose();
    }
  },

  /** Memory in use now: tensor bytes, and the WASM heap size (the tab's real footprint on WASM; it only grows). */
  memory(): { backend: string; tensorBytes: number; wasmHeapBytes: number | null } {
    const backend = tf.getBackend();
    const wasm = backend === "wasm" ? (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm : undefined;
    return {
      backend,
      tensorBytes: tf.memory().numBytes,
      wasmHeapBytes: wasm?.HEAPU8 ? wasm.HEAPU8.buffer.byteLength : null,
    };
  },

  /** Stops the running training between batches; train() then resolves with the best weights so far. */
  cancel(): void {
    controller?.abort();
  },
};

export type TrainWorkerApi = typeof api;

Comlink.expose(api);
