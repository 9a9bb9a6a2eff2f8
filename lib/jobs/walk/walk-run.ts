/**
 * Trains a walk-forward run (or resumes it): for each fold of the plan (lib/core/folds), the
 * fold's data is fitted on its training rows only (lib/core/fold-data), every chosen model is
 * trained through the one trainer contract on the fold's parts and predicts the fold's test
 * block, and each fold's models are stored as they finish. Then every fold's test predictions
 * are pooled into the run's evaluation (lib/run/walk-summary). A reload resumes at the fold in
 * progress: stored fold models are read back, an interrupted one continues from its last epoch.
 */
import { foldData, planWalk } from "@/lib/core/fold-data";
import { walkSpecIssues } from "@/lib/core/folds";
import type { LstmConfig, TransformerConfig } from "@/lib/models/config";
import { datasetFingerprint } from "@/lib/export/hash";
import { runDatasetClient, type DatasetClient } from "@/lib/jobs/dataset/client";
import { TrainClient } from "@/lib/jobs/train/client";
import { MODEL_IDS, type ModelId, type ModelOutcome, type RunConfig, type RunEvaluation } from "@/lib/run/types";
import { summarizeWalk, type FoldOutcomes } from "@/lib/run/walk-summary";
import {
  loadRunCreatedAt,
  loadRunDataset,
  modelWriter,
  saveRunRecord,
  type ModelWriter,
  type RunRecordState,
} from "../train/run-store";
import { trainOrReuse } from "../train/train-run";
import type { TfjsTrainWorker, TrainContext } from "../train/trainers/types";
import type { WalkProgress } from "./progress";
import { foldCheckpoints, foldModelSlot } from "./walk-store";

export type { WalkProgress } from "./progress";

/**
 * Runs (or resumes) walk-forward run `runId` (config.walk says how). Resolves with the pooled
 * evaluation, or null when cancelled (finished folds and models stay stored).
 */
export async function walkRun(
  runId: string,
  name: string,
  config: RunConfig,
  opts: {
    signal: AbortSignal;
    onProgress: (p: WalkProgress) => void;
    /** The tfjs worker; default a TrainClient on config.backend (Node tests train in-process). */
    trainClient?: TfjsTrainWorker;
    createForestWorker?: () => Worker;
    /** Where trained models are stored: default the page's dataset worker in a browser, in-process in Node. */
    datasetClient?: DatasetClient;
  },
): Promise<RunEvaluation | null> {
  const walk = config.walk;
  if (!walk) throw new Error("This run has no walk-forward settings.");
  const ds = await loadRunDataset(config.datasetId);
  if (!ds) throw new Error("The run's dataset is no longer stored: build it again on the Dataset page.");
  const issues = walkSpecIssues(walk.spec, ds.labelSpec.horizon, ds.window);
  if (issues.length > 0) throw new Error(`Walk-forward settings: ${issues.join(" ")}`);
  const plan = planWalk(ds, walk.spec);
  if (plan.folds.length === 0)
    throw new Error(
      `No fold can be trained: ${plan.skipped.map((s) => s.reason).join("; ") || "the dataset has no sample"}.`,
    );

  const createdAt = (await loadRunCreatedAt(runId)) ?? Date.now();
  const record = (status: RunRecordState["status"], extra: Partial<RunRecordState> = {}) =>
    saveRunRecord(runId, { name, datasetId: config.datasetId, config, status, createdAt, ...extra });
  await record("running");

  const tfjs = opts.trainClient ?? new TrainClient({ backend: config.backend });
  const workers = { tfjs, createForestWorker: opts.createForestWorker };
  const write = modelWriter(runDatasetClient(opts.datasetClient));
  const ids = MODEL_IDS.filter((id) => config[id]);
  const featureNames = ds.features.map((f) => f.name);
  const folds: FoldOutcomes[] = [];
  const total = plan.folds.length;
  try {
    for (const fold of plan.folds) {
      const data = foldData(ds, fold);
      const lastFold = fold.index === total;
      const slots = await Promise.all(
        ids.map((id) => foldSetup(runId, fold.index, id, config, write, walk.warmStartEpochs)),
      );
      const stored = await Promise.all(slots.map((s) => s.slot.load()));
      opts.onProgress({
        phase: "fold",
        fold: fold.index,
        folds: total,
        trainSpan: fold.trainSpan,
        testSpan: fold.testSpan,
        stored: stored.every((o) => o !== undefined),
      });
      const outcomes: ModelOutcome[] = [];
      for (const [m, id] of ids.entries()) {
        const { slot, settings, warmStart } = slots[m];
        const ctx = {
          source: data.source,
          featureNames,
          labels: data.labels,
          ends: data.ends,
          config: settings,
          signal: opts.signal,
          workers,
          // Importances of the last fold only (the model the walk ends with).
          importance: lastFold,
        } as TrainContext<typeof id>;
        const outcome = await trainOrReuse(slot, id, ctx, (progress) =>
          opts.onProgress({ phase: "model", fold: fold.index, folds: total, model: id, warmStart, progress }),
        );
        if (outcome === "aborted" || opts.signal.aborted) {
          await record("paused");
          return null;
        }
        // Read back as stored (with its warm-start mark).
        outcomes.push((await slot.load()) ?? outcome);
      }
      folds.push({
        fold,
        data,
        outcomes,
        warmStarted: outcomes.filter((o) => o.params.warmStartFrom !== undefined).map((o) => o.id),
      });
    }
  } catch (e) {
    if ((e as Error).name === "AbortError") {
      await record("paused");
      return null;
    }
    await record("failed", { error: (e as Error).message });
    throw e;
  }
  opts.onProgress({ phase: "pool" });
  const evaluation = summarizeWalk(
    ds,
    folds,
    { config: walk, skipped: plan.skipped },
    { title: name, fingerprint: (await datasetFingerprint(ds)).value },
  );
  await record("done", { evaluation });
  for (const id of ids) await foldCheckpoints(runId, total, id).clear();
  return evaluation;
}

/** The slot and settings of model `id` in fold `fold`: warm-started when asked and the previous fold left weights. */
async function foldSetup(
  runId: string,
  fold: number,
  id: ModelId,
  config: RunConfig,
  write: ModelWriter,
  warmStartEpochs?: number,
) {
  const settings = config[id]!;
  const keepCheckpoints = warmStartEpochs !== undefined;
  if (keepCheckpoints && fold > 1 && id !== "forest") {
    const previous = await foldCheckpoints(runId, fold - 1, id).load();
    if (previous) {
      const warmConfig = { ...(settings as TransformerConfig | LstmConfig), epochs: warmStartEpochs };
      return {
        slot: foldModelSlot(runId, fold, id, {
          warmFrom: { checkpoint: previous, config: warmConfig },
          keepCheckpoints,
          write,
        }),
        settings: warmConfig,
        warmStart: true,
      };
    }
  }
  return { slot: foldModelSlot(runId, fold, id, { keepCheckpoints, write }), settings, warmStart: false };
}
