/** The training context of a dataset, and the windows permutation importance shuffles over. */
import type { Dataset } from "@/lib/core/dataset";
import { normalizedSource } from "@/lib/core/normalize";
import type { PermutationRequest } from "@/lib/models/types";
import type { TrainContext, TrainWorkers } from "./types";

/** What the model of a dataset trains on: its normalised source and its split (as built). */
export function datasetContext(ds: Dataset, signal: AbortSignal, workers: TrainWorkers): Omit<TrainContext, "config"> {
  return {
    source: normalizedSource(ds),
    featureNames: ds.features.map((f) => f.name),
    labels: ds.labels,
    ends: { train: ds.split.train, val: ds.split.val, test: ds.split.test },
    signal,
    workers,
  };
}

/**
 * The windows permutation importance shuffles over, for every model alike: the last 800 of the
 * test part (one repeat keeps this to seconds per model).
 */
export function permutationRequest(ctx: Pick<TrainContext, "ends" | "labels" | "featureNames">): PermutationRequest {
  const test = ctx.ends.test;
  const ends = test.length > 800 ? test.slice(test.length - 800) : test.slice();
  return {
    ends,
    labels: Uint8Array.from(ends, (t) => ctx.labels[t]),
    featureNames: ctx.featureNames,
    repeats: 1,
    seed: 7,
  };
}
