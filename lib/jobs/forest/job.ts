import * as Comlink from "comlink";
import type { WindowSource } from "@/lib/core/dataset";
import type { KnownProbs, NamedPermutationRequest } from "@/lib/eval/importance";
import type { ForestModel, ForestTrainingSet } from "@/lib/models/forest";
import type { ForestEvaluation, ForestWorkerApi } from "@/lib/jobs/forest/api";
import { createForestWorker } from "./pool";
import { withWorkers } from "../guarded-workers";

/**
 * Runs one piece of forest work (binning a training set, predicting, permutation importance) in
 * a worker of its own, so the page never does it; the worker ends with the work, and an abort
 * rejects with an AbortError.
 */
export function inForestWorker<T>(
  work: (api: Comlink.Remote<ForestWorkerApi>) => Promise<T>,
  opts: { signal?: AbortSignal; createWorker?: () => Worker } = {},
): Promise<T> {
  const worker = (opts.createWorker ?? createForestWorker)();
  return withWorkers([worker], () => work(Comlink.wrap<ForestWorkerApi>(worker)), {
    signal: opts.signal,
    label: "forest worker",
  });
}

/** Bins a forest's training windows in a worker (see ForestWorkerApi.prepare). */
export function prepareForestSetInWorker(
  args: Parameters<ForestWorkerApi["prepare"]>,
  opts: { signal?: AbortSignal; createWorker?: () => Worker } = {},
): Promise<ForestTrainingSet> {
  return inForestWorker((api) => api.prepare(...args), opts);
}

/** A forest's probabilities per set and, when asked, permutation importance with per-feature progress, in a worker. */
export function evaluateForestInWorker(
  model: ForestModel,
  source: WindowSource,
  sets: Record<string, Int32Array>,
  opts: {
    permutation?: NamedPermutationRequest;
    known?: KnownProbs[];
    onFeature?: (done: number, total: number) => void;
    signal?: AbortSignal;
    createWorker?: () => Worker;
  } = {},
): Promise<ForestEvaluation> {
  return inForestWorker(
    (api) =>
      api.evaluate(
        model,
        source,
        sets,
        opts.permutation,
        opts.onFeature ? Comlink.proxy(opts.onFeature) : undefined,
        opts.known,
      ),
    opts,
  );
}
