/** The page's side of the live worker, over the one worker bridge. */
import { createWorkerBridge, type WorkerBridge } from "../bridge";
import type { LiveModelArtifacts, LivePrediction, LiveWorkerApi } from "./api";

export function createLiveWorker(): Worker {
  return new Worker(new URL("../../../workers/live.worker.ts", import.meta.url), { type: "module", name: "live" });
}

export class LiveClient {
  private readonly bridge: WorkerBridge<LiveWorkerApi>;
  constructor(create: () => Worker = createLiveWorker) {
    // Never stopped while idle: between candles it holds the built models, which a restart would rebuild.
    this.bridge = createWorkerBridge<LiveWorkerApi>({ label: "live worker", create, idleMs: Infinity });
  }
  /** Loads run `key`'s models into the worker; resolves with the tfjs backend in use. */
  load(key: string, models: LiveModelArtifacts[], signal?: AbortSignal): Promise<string> {
    return this.bridge.call((api) => api.load(key, models), { signal });
  }
  predict(key: string, matrix: Float32Array, window: number, features: number): Promise<LivePrediction> {
    return this.bridge.call((api) => api.predict(key, matrix, window, features));
  }
  terminate(): void {
    this.bridge.terminate();
  }
}
