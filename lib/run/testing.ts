/**
 * Test helpers for lib/run: the bundle predictors run in-process (the app runs them in its
 * workers, lib/workers-client/bundle-predictors.ts). Call after selecting a tfjs backend.
 */
import { predictProbaView } from "@/lib/models/forest";
import { predictProba } from "@/lib/models/predict";
import { modelFromArtifacts } from "@/lib/models/serialize";
import type { BundlePredictors } from "./import-bundle";

export const inProcessPredictors: BundlePredictors = {
  tfjs: async (artifacts, source, sets) => {
    const model = await modelFromArtifacts(artifacts);
    try {
      const out: Record<string, Float32Array> = {};
      for (const [k, ends] of Object.entries(sets)) out[k] = await predictProba(model, source, ends);
      return out;
    } finally {
      model.dispose();
    }
  },
  forest: async (model, source, sets) => Object.fromEntries(Object.entries(sets).map(([k, ends]) => [k, predictProbaView(model, source, ends)])),
};
