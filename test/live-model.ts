import type { Dataset } from "@/lib/core/dataset";
import type { LiveModel } from "@/lib/jobs/live/loop";

/** A LiveModel over dataset `ds` (base 1h, the forest's weight alone) that predicts with `predict`. */
export function datasetLiveModel(ds: Dataset, runId: string, predict: LiveModel["predict"]): LiveModel {
  return {
    runId,
    baseInterval: ds.baseInterval,
    features: ds.features,
    window: ds.window,
    normalization: ds.normalization,
    labelSpec: ds.labelSpec,
    weights: { forest: 1 },
    predict,
  };
}
