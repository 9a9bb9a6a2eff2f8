/**
 * What a training run reads and writes in IndexedDB, as a few typed functions: the loop in
 * train-run.ts calls only these, so the record shapes stay in one place.
 */
import type { Dataset } from "@/lib/core/dataset";
import {
  deleteCheckpoint,
  getStudioDb,
  loadCheckpoint,
  loadDataset,
  loadModel,
  loadRun,
  saveCheckpoint,
  saveModel,
  saveRun,
  type RunRecord,
  type RunStatus,
} from "@/lib/db";
import type { ModelId, ModelOutcome, RunEvaluation } from "@/lib/run/types";
import { checkpointRecord, trainCheckpoint } from "./checkpoints";
import type { CheckpointStore, TrainedModel } from "./trainers/types";

/** What a run record holds besides its id: name, settings, status and (once done) the evaluation. */
export interface RunRecordState<Config> {
  name: string;
  datasetId: string;
  config: Config;
  status: RunStatus;
  /** When the run was first started (kept by a resume). */
  createdAt: number;
  error?: string;
  evaluation?: RunEvaluation;
}

/** The dataset a run trains on, or undefined when it was deleted. */
export function loadRunDataset(datasetId: string): Promise<Dataset | undefined> {
  return loadDataset(getStudioDb(), datasetId);
}

/** When run `runId` was first started, or undefined for a new run. */
export async function loadRunCreatedAt(runId: string): Promise<number | undefined> {
  return (await loadRun(getStudioDb(), runId))?.createdAt;
}

/** Saves (replaces) the record of run `runId`. */
export async function saveRunRecord<Config extends object>(runId: string, run: RunRecordState<Config>): Promise<void> {
  const { evaluation, config, ...rest } = run;
  const history = evaluation
    ? Object.fromEntries(
        Object.entries(evaluation.curves).map(([k, v]) => [k, v as unknown as Record<string, number>[]]),
      )
    : {};
  await saveRun(getStudioDb(), {
    id: runId,
    ...rest,
    config: config as unknown as Record<string, unknown>,
    history,
    metrics: evaluation ? ({ evaluation } as unknown as Record<string, unknown>) : {},
  });
}

/** The stored evaluation of a finished run. */
export function runEvaluation(run: RunRecord): RunEvaluation | undefined {
  return (run.metrics as { evaluation?: RunEvaluation }).evaluation;
}

/** The outcome of model `id` of run `runId` when it was trained and stored already. */
export async function loadStoredOutcome(runId: string, id: ModelId): Promise<ModelOutcome | undefined> {
  const stored = await loadModel(getStudioDb(), runId, id);
  return (stored?.meta as { outcome?: ModelOutcome } | undefined)?.outcome;
}

/** Stores a trained model of run `runId` (weights and outcome), replacing any earlier one. */
export async function saveTrainedModel(runId: string, model: TrainedModel): Promise<void> {
  const { outcome, stored } = model;
  await saveModel(getStudioDb(), {
    runId,
    name: outcome.id,
    kind: outcome.id,
    createdAt: Date.now(),
    ...(stored.kind === "forest" ? { forest: stored.forest } : { tfjs: stored.artifacts }),
    meta: { outcome },
  });
}

/** The epoch checkpoints of model `id` of run `runId`. */
export function runCheckpoints(runId: string, id: ModelId): CheckpointStore & { clear(): Promise<void> } {
  const db = getStudioDb();
  return {
    async load() {
      const record = await loadCheckpoint(db, runId, id);
      return record ? trainCheckpoint(record) : undefined;
    },
    save: (checkpoint) => saveCheckpoint(db, checkpointRecord(runId, checkpoint)),
    clear: () => deleteCheckpoint(db, runId, id),
  };
}
