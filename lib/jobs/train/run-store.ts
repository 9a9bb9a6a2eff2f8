/**
 * What a training run reads and writes in IndexedDB, as a few typed functions: the loop in
 * train-run.ts calls only these, so the record shapes stay in one place.
 */
import type { Dataset } from "@/lib/core/dataset";
import { otherRunsTrials } from "@/lib/run/other-trials";
import type { TrialStrategy } from "@/lib/run/trials";
import {
  deleteCheckpoint,
  getStudioDb,
  loadCheckpoint,
  loadDataset,
  loadOutcome,
  loadRun,
  loadSeedOutcome,
  outcomeRecord,
  saveCheckpoint,
  saveEvaluation,
  saveModel,
  saveRunConfig,
  seedModelName,
  type ModelRecord,
  type OutcomeArtifacts,
  type RunStatus,
} from "@/lib/db";
import type { DatasetClient } from "@/lib/jobs/dataset/client";
import type { ModelId, ModelOutcome, RunConfig, RunEvaluation } from "@/lib/run/types";
import { checkpointRecord, trainCheckpoint } from "./checkpoints";
import type { CheckpointStore, StoredModel, TrainedModel } from "./trainers/types";

/** What a run record holds besides its id: name, settings, status and (once done) the evaluation. */
export interface RunRecordState {
  name: string;
  datasetId: string;
  config: RunConfig;
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

/** The trials other runs of the dataset left on its test part (the deflated Sharpe ratio counts them). */
export function loadOtherRunsTrials(datasetId: string, runId: string): Promise<TrialStrategy[]> {
  return otherRunsTrials(getStudioDb(), datasetId, runId);
}

/** When run `runId` was first started, or undefined for a new run. */
export async function loadRunCreatedAt(runId: string): Promise<number | undefined> {
  return (await loadRun(getStudioDb(), runId))?.createdAt;
}

/** Saves (replaces) the record of run `runId`: with its evaluation once it has one. */
export async function saveRunRecord(runId: string, run: RunRecordState): Promise<void> {
  const { evaluation, ...head } = run;
  if (evaluation) await saveEvaluation(getStudioDb(), { id: runId, ...head }, evaluation);
  else await saveRunConfig(getStudioDb(), { id: runId, ...head });
}

/** The outcome of model `id` of run `runId` when it was trained and stored already. */
export async function loadStoredOutcome(runId: string, id: ModelId): Promise<ModelOutcome | undefined> {
  return (await loadOutcome(getStudioDb(), runId, id))?.outcome;
}

/**
 * Where trained models' records are written: through the dataset worker when a run has one (a
 * forest's record is tens of MB, too long a put for the page; DatasetClient.saveModel), else
 * into this thread's database (Node tests, workers).
 */
export type ModelWriter = (record: Omit<ModelRecord, "v">) => Promise<void>;

export function modelWriter(client?: DatasetClient): ModelWriter {
  return client ? (record) => client.saveModel(record) : (record) => saveModel(getStudioDb(), record);
}

/** What the database keeps of a trained model's stored part. */
export function storedArtifacts(stored: StoredModel): OutcomeArtifacts {
  return stored.kind === "forest" ? { forest: stored.forest } : { tfjs: stored.artifacts };
}

/**
 * Where one model of a run is kept: its stored outcome (reused when present), the trained model's
 * save, the epoch checkpoints its trainer resumes from, and what to drop once it is stored.
 * A single-split run has one slot per model; a walk-forward run one per fold and model.
 */
export interface ModelSlot {
  load(): Promise<ModelOutcome | undefined>;
  save(model: TrainedModel): Promise<void>;
  checkpoints: CheckpointStore;
  /** Called once the trained model is stored (e.g. removes its checkpoints). */
  finish(): Promise<void>;
}

/** Model `id` of single-split run `runId`. */
export function runModelSlot(runId: string, id: ModelId, write: ModelWriter = modelWriter()): ModelSlot {
  const checkpoints = runCheckpoints(runId, id);
  return {
    load: () => loadStoredOutcome(runId, id),
    save: ({ outcome, stored }) => write(outcomeRecord(runId, outcome, storedArtifacts(stored))),
    checkpoints,
    finish: () => checkpoints.clear(),
  };
}

/**
 * Model `id` of run `runId` trained with seed offset `offset`: offset 0 is the run's own model
 * (runModelSlot); the others are stored as "seed2/lstm" with checkpoints under "<run>/seed2".
 */
export function runSeedSlot(runId: string, offset: number, id: ModelId, write: ModelWriter = modelWriter()): ModelSlot {
  if (offset === 0) return runModelSlot(runId, id, write);
  const checkpoints = runCheckpoints(`${runId}/seed${offset}`, id);
  return {
    load: () => loadSeedOutcome(getStudioDb(), runId, offset, id),
    save: ({ outcome, stored }) =>
      write(outcomeRecord(runId, outcome, storedArtifacts(stored), { name: seedModelName(offset, outcome.id) })),
    checkpoints,
    finish: () => checkpoints.clear(),
  };
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
