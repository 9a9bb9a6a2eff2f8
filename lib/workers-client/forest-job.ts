import * as Comlink from "comlink";
import type { ForestWorkerApi } from "@/lib/models/forest/worker-api";
import { createForestWorker } from "./forest-pool";
import { withWorkers } from "./guarded-workers";

/**
 * Runs one piece of forest work (binning a training set, predicting, permutation importance) in
 * a worker of its own, so the page never does it; the worker ends with the work, and an abort
 * rejects with an AbortError.
 */
export function inForestWorker<T>(work: (api: Comlink.Remote<ForestWorkerApi>) => Promise<T>, opts: { signal?: AbortSignal; createWorker?: () => Worker } = {}): Promise<T> {
  const worker = (opts.createWorker ?? createForestWorker)();
  return withWorkers([worker], () => work(Comlink.wrap<ForestWorkerApi>(worker)), { signal: opts.signal, label: "forest worker" });
}
