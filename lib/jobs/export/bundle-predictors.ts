import type { BundlePredictors } from "@/lib/jobs/export/import-bundle";
import { evaluateForestInWorker } from "../forest/job";
import { getTrainClient } from "../train/client";

/**
 * A bundle's models run off the page, each through the worker bridge: tfjs models in the shared
 * training worker, the forest in a forest worker of its own. An abort of `signal` terminates
 * whichever worker is predicting and rejects with an AbortError.
 */
export function workerPredictors(signal?: AbortSignal): BundlePredictors {
  const client = getTrainClient();
  return {
    tfjs: (artifacts, source, sets) => client.predict(artifacts, source, sets, { signal }),
    forest: async (model, source, sets) => (await evaluateForestInWorker(model, source, sets, { signal })).probs,
  };
}
