import type { BundlePredictors } from "@/lib/jobs/export/import-bundle";
import { evaluateForestInWorker } from "../forest/job";
import { getTrainClient } from "../train/client";

/** A bundle's models run off the page: tfjs models in the training worker, the forest in a forest worker. */
export function workerPredictors(): BundlePredictors {
  const client = getTrainClient();
  return {
    tfjs: (artifacts, source, sets) => client.predict(artifacts, source, sets),
    forest: async (model, source, sets) => (await evaluateForestInWorker(model, source, sets)).probs,
  };
}
