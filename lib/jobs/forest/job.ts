import * as Comlink from "comlink";
import type { WindowSource } from "@/lib/core/dataset";
import type { KnownProbs, NamedPermutationRequest } from "@/lib/eval/importance";
import type { ForestModel, ForestTrainingSet } from "@/lib/models/forest";
import type { ForestEvaluation, ForestWorkerApi } from "@/lib/jobs/forest/api";
import { transferCopy } from "../transfer";
import { forestWorkerBridge } from "./pool";

/**
 * Runs one piece of forest work (binning a training set, predicting, permutation importance) in
 * a worker of its own, so the page never does it; the worker ends with the work (it may hold a
 * large training set), and an abort terminates it and rejects with an AbortError.
 */
export function inForestWorker<T>(
  work: (api: Comlink.Remote<ForestWorkerApi>) => Promise<T>,
  opts: { signal?: AbortSignal; createWorker?: () => Worker } = {},
): Promise<T> {
  return forestWorkerBridge(opts.createWorker).call(work, { signal: opts.signal });
}

/** Bins a forest's training windows in a worker (see ForestWorkerApi.prepare). */
export function prepareForestSetInWorker(
  args: Parameters<ForestWorkerApi["prepare"]>,
  opts: { signal?: AbortSignal; createWorker?: () => Worker } = {},
): Promise<ForestTrainingSet> {
  return inForestWorker((api) => api.prepare(...args), opts);
}

/**
 * A forest's probabilities per set and, when asked, permutation importance with per-feature
 * progress, in a worker. The forest goes as a transferred copy: a clone of a 200-tree forest
 * (16.6 MB) was a 52-90 ms task on the page.
 */
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
        transferCopy(model),
        source,
        sets,
        opts.permutation,
        opts.onFeature ? Comlink.proxy(opts.onFeature) : undefined,
        opts.known,
      ),
    opts,
  );
}
