/** A stored run as a LiveModel: its dataset's feature spec and normalisation, its models run in workers. */
import { NUM_CLASSES } from "@/lib/core/classes";
import type { Dataset } from "@/lib/core/dataset";
import { listOutcomes, loadDataset, loadRun, runEvaluation, type StudioDb } from "@/lib/db";
import { GUIDE_ENSEMBLE_WEIGHTS } from "@/lib/eval/ensemble";
import type { LiveClient } from "./client";
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
 * Loads run `runId` for the live loop: its models go to the live worker once, and each candle's
 * window is predicted there. `onWorkerMs` is told the worker's own time of each prediction.
 */
export async function loadLiveModel(
  db: StudioDb,
  runId: string,
  client: LiveClient,
  opts: { signal?: AbortSignal; onWorkerMs?: (ms: number) => void } = {},
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
  await client.load(
    runId,
    saved.map((m) => ({ id: m.outcome.id, tfjs: m.tfjs, forest: m.forest })),
    opts.signal,
  );
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
      const { probs, workerMs } = await client.predict(runId, window, w, F);
      opts.onWorkerMs?.(workerMs);
      for (const m of saved)
        if (probs[m.outcome.id]?.length !== NUM_CLASSES)
          throw new Error(`model ${m.outcome.id} of run ${runId} gave no probabilities`);
      return probs;
    },
  };
  return { model, dataset, trainedAt: run.createdAt, dataEnd: dataset.times[dataset.rows - 1] };
}
