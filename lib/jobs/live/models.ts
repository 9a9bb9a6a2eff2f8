/** A stored run as a LiveModel: its dataset's feature spec and normalisation, its models run in workers. */
import { NUM_CLASSES } from "@/lib/core/classes";
import type { Dataset } from "@/lib/core/dataset";
import { listOutcomes, loadDataset, loadRun, runEvaluation, type StudioDb } from "@/lib/db";
import { GUIDE_ENSEMBLE_WEIGHTS } from "@/lib/eval/ensemble";
import type { LiveClient } from "./client";
import type { LiveModel } from "./loop";

/**
 * predict and predictMany of a LiveModel whose models `ids` are loaded in the live worker under
 * `key`: windows go in one message, and each model's answer is checked to be there.
 */
export function workerPredictors(
  client: Pick<LiveClient, "predict">,
  key: string,
  ids: readonly string[],
  window: number,
  features: number,
  onWorkerMs?: (ms: number) => void,
): Pick<LiveModel, "predict" | "predictMany"> {
  const size = window * features;
  const predictMany = async (windows: Float32Array[]) => {
    const matrix = new Float32Array(windows.length * size);
    windows.forEach((x, i) => matrix.set(x, i * size));
    const { probs, workerMs } = await client.predict(key, matrix, window, features);
    onWorkerMs?.(workerMs / windows.length);
    for (const id of ids)
      if (probs[id]?.length !== windows.length * NUM_CLASSES)
        throw new Error(`model ${id} of run ${key} gave no probabilities`);
    return windows.map((_, i) =>
      Object.fromEntries(ids.map((id) => [id, probs[id].subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES)])),
    );
  };
  return { predict: async (x) => (await predictMany([x]))[0], predictMany };
}

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
 * window is predicted there. `onWorkerMs` is told the worker's own time per window of each call.
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
  const predictors = workerPredictors(
    client,
    runId,
    saved.map((m) => m.outcome.id),
    w,
    F,
    opts.onWorkerMs,
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
    ...predictors,
  };
  return { model, dataset, trainedAt: run.createdAt, dataEnd: dataset.times[dataset.rows - 1] };
}
