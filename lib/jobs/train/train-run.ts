/**
 * Trains a run's models one after the other, off the main thread, through the one trainer
 * contract (trainers/): for each model, a stored outcome is reused, otherwise the model is trained
 * and stored. Epoch checkpoints are stored too, so a reloaded tab resumes the run where it
 * stopped (finished models are not retrained, an interrupted one continues from its last epoch).
 * A run of several seeds trains every chosen model once per seed offset k (its seed + k), seed
 * 0 first; a control run trains on labels permuted within each part (lib/run/control.ts). Ends
 * with the evaluation (lib/run/evaluate-run.ts).
 */
import { datasetFingerprint } from "@/lib/export/hash";
import { runDatasetClient, type DatasetClient } from "@/lib/jobs/dataset/client";
import { TrainClient } from "@/lib/jobs/train/client";
import { controlDataset } from "../../run/control";
import { evaluateRun } from "../../run/evaluate-run";
import { MODEL_IDS, type ModelId, type ModelOutcome, type RunConfig, type RunEvaluation } from "../../run/types";
import {
  loadOtherRunsTrials,
  loadRunCreatedAt,
  loadRunDataset,
  modelWriter,
  runSeedSlot,
  saveRunRecord,
  type ModelSlot,
  type RunRecordState,
} from "./run-store";
import { seededConfig } from "./seeds";
import { datasetContext, TRAINERS } from "./trainers";
import type { TfjsTrainWorker, TrainContext, TrainerProgressMap, TrainerProgress } from "./trainers/types";

export { runEvaluation } from "@/lib/db";
export type { RunConfig } from "../../run/types";

/** A trainer's progress, tagged with its model. */
export type ModelRunProgress = { [Id in ModelId]: { model: Id } & TrainerProgressMap[Id] }[ModelId];

export type RunProgress =
  | ModelRunProgress
  | { model: ModelId; phase: "done"; seconds: number; message?: string }
  /** A run of several seeds starts seed offset `offset` of `seeds` (0-based; its models' seeds + offset). */
  | { model: "run"; phase: "seed"; offset: number; seeds: number }
  | { model: "run"; phase: "evaluate" };

export function newRunId(): string {
  return `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

function tagged<Id extends ModelId>(model: Id, p: TrainerProgress<Id>): ModelRunProgress {
  return { model, ...p } as ModelRunProgress;
}

/**
 * The outcome of model `id` in `slot`: the stored one, else trained now and stored (then
 * slot.finish(), which drops its checkpoints). "aborted" when the signal stopped it.
 */
export async function trainOrReuse<Id extends ModelId>(
  slot: ModelSlot,
  id: Id,
  ctx: TrainContext<Id>,
  onProgress: (p: RunProgress) => void,
): Promise<ModelOutcome | "aborted"> {
  const stored = await slot.load();
  if (stored) return stored;
  if (ctx.signal.aborted) return "aborted";
  const trained = await TRAINERS[id].train(ctx, {
    onProgress: (p) => onProgress(tagged(id, p)),
    checkpoints: slot.checkpoints,
    keep: (model) => slot.save(model),
  });
  if (trained === "aborted") return "aborted";
  await slot.save(trained);
  await slot.finish();
  onProgress({ model: id, phase: "done", seconds: trained.outcome.seconds, message: trained.note });
  return trained.outcome;
}

/**
 * Runs (or resumes) run `runId`. Resolves with the evaluation, or with null when cancelled
 * (everything finished so far stays stored and the run can be resumed).
 */
export async function trainRun(
  runId: string,
  name: string,
  config: RunConfig,
  opts: {
    signal: AbortSignal;
    onProgress: (p: RunProgress) => void;
    /** The tfjs worker; default a TrainClient on config.backend (Node tests train in-process). */
    trainClient?: TfjsTrainWorker;
    /** Benches inject their bundle of workers/forest.worker.ts. */ createForestWorker?: () => Worker;
    /**
     * Where the evaluation is computed and trained models are stored: default the page's dataset
     * worker in a browser (each takes longer than the page may), in-process where there are no
     * workers (Node).
     */
    datasetClient?: DatasetClient;
  },
): Promise<RunEvaluation | null> {
  const ds = await loadRunDataset(config.datasetId);
  if (!ds) throw new Error("The run's dataset is no longer stored: build it again on the Dataset page.");
  // A resumed run keeps the time it was first started.
  const createdAt = (await loadRunCreatedAt(runId)) ?? Date.now();
  const record = (status: RunRecordState["status"], extra: Partial<RunRecordState> = {}) =>
    saveRunRecord(runId, { name, datasetId: config.datasetId, config, status, createdAt, ...extra });
  await record("running");

  const tfjs = opts.trainClient ?? new TrainClient({ backend: config.backend });
  const client = runDatasetClient(opts.datasetClient);
  const write = modelWriter(client);
  const trained = config.control ? controlDataset(ds, config.control) : ds;
  const data = datasetContext(trained, opts.signal, { tfjs, createForestWorker: opts.createForestWorker });
  const seeds = config.seeds ?? 1;
  const outcomesBySeed: ModelOutcome[][] = [];
  let aborted = false;
  try {
    for (let offset = 0; offset < seeds && !aborted; offset++) {
      if (seeds > 1) opts.onProgress({ model: "run", phase: "seed", offset, seeds });
      const outcomes: ModelOutcome[] = [];
      for (const id of MODEL_IDS) {
        const settings = config[id];
        if (!settings) continue;
        // Permutation importance is the run's own models' (seed 0): on every seed it would cost
        // about as much as training the forest again.
        const ctx = { ...data, config: seededConfig(id, settings, offset), importance: offset === 0 };
        const outcome = await trainOrReuse(runSeedSlot(runId, offset, id, write), id, ctx, opts.onProgress);
        if (outcome === "aborted") {
          aborted = true;
          break;
        }
        outcomes.push(outcome);
      }
      outcomesBySeed.push(outcomes);
    }
  } catch (e) {
    if ((e as Error).name === "AbortError") {
      await record("paused");
      return null;
    }
    await record("failed", { error: (e as Error).message });
    throw e;
  }
  if (aborted || opts.signal.aborted) {
    await record("paused");
    return null;
  }
  opts.onProgress({ model: "run", phase: "evaluate" });
  const evalOpts = {
    title: name,
    fingerprint: (await datasetFingerprint(ds)).value,
    otherTrials: await loadOtherRunsTrials(config.datasetId, runId),
  };
  let evaluation: RunEvaluation;
  try {
    evaluation = client
      ? await client.evaluateRun(config.datasetId, { control: config.control }, outcomesBySeed, evalOpts, {
          signal: opts.signal,
        })
      : evaluateRun(ds, config, outcomesBySeed, evalOpts);
  } catch (e) {
    // Every model is stored by now: a cancel here pauses (a resume only evaluates again).
    if ((e as Error).name === "AbortError") {
      await record("paused");
      return null;
    }
    await record("failed", { error: (e as Error).message });
    throw e;
  }
  await record("done", { evaluation });
  return evaluation;
}
