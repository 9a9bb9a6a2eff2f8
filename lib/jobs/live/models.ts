/** A stored run as a LiveModel: its dataset's feature spec and normalisation, its models run in workers. */
import { NUM_CLASSES } from "@/lib/core/classes";
import type { Dataset } from "@/lib/core/dataset";
import { listOutcomes, loadDataset, loadRun, runEvaluation, type StudioDb } from "@/lib/db";
import { GUIDE_ENSEMBLE_WEIGHTS } from "@/lib/eval/ensemble";
import type { BundlePredictors } from "@/lib/jobs/export/import-bundle";
import type { LiveModel } from "./loop";

export interface LoadedLiveModel {
  model: LiveModel;
  dataset: Dataset;
  /** When the run was trained (ms): the model's age is measured from it. */
  trainedAt: number;
  /** Open time of the dataset's last row (ms): a replay starts after it. */
  dataEnd: number;
}

/**
 * Loads run `runId` for the live loop. Each model predicts one window through `predictors` (the
 * export worker's: tfjs in the training worker, the forest in a forest worker).
 */
export async function loadLiveModel(
  db: StudioDb,
  runId: string,
  predictors: BundlePredictors,
): Promise<LoadedLiveModel> {
  const run = await loadRun(db, runId);
  if (!run) throw new Error(`no run ${runId}`);
  const dataset = await loadDataset(db, run.datasetId);
  if (!dataset) throw new Error(`run ${runId}: its dataset ${run.datasetId} is no longer stored`);
  const saved = await listOutcomes(db, runId);
  if (saved.length === 0) throw new Error(`run ${runId} has no trained model`);
  const fixed = runEvaluation(run)?.summary.ensemble.weights;
  const weights = fixed ? Object.fromEntries(fixed.map((w) => [w.model, w.weight])) : { ...GUIDE_ENSEMBLE_WEIGHTS };
  const F = dataset.features.length;
  const w = dataset.window;
  const sets = { live: Int32Array.of(w - 1) };
  const model: LiveModel = {
    runId,
    datasetId: run.datasetId,
    baseInterval: dataset.baseInterval,
    features: dataset.features,
    window: w,
    normalization: dataset.normalization,
    labelSpec: dataset.labelSpec,
    weights,
    predict: async (window) => {
      const source = { matrix: window, rows: w, features: F, window: w };
      const out: Record<string, Float32Array> = {};
      for (const m of saved) {
        const probs = m.forest
          ? (await predictors.forest(m.forest, source, sets)).live
          : (await predictors.tfjs(m.tfjs!, source, sets)).live;
        if (probs?.length !== NUM_CLASSES)
          throw new Error(`model ${m.outcome.id} of run ${runId} gave no probabilities`);
        out[m.outcome.id] = probs;
      }
      return out;
    },
  };
  return { model, dataset, trainedAt: run.createdAt, dataEnd: dataset.times[dataset.rows - 1] };
}
