/**
 * Training runs, their models and their resumable checkpoints: the run's data behind typed
 * functions. Every read is restored (migrated and checked, restore.ts); every write is checked by
 * the same schema first, so nothing is stored that could not be read back.
 *
 *   saveRunConfig / saveEvaluation / loadRun / loadEvaluation / listRuns / deleteRun   the run
 *   saveOutcome / loadOutcome / listOutcomes                a model: its ModelOutcome + artifacts
 *   saveCheckpoint / loadCheckpoint / deleteCheckpoint      a model's last epoch, to resume
 */
import { storable } from "./storable";
import type { ForestModel } from "../models/forest/types";
import { MODEL_IDS, type ModelId, type ModelOutcome, type RunEvaluation } from "../run/types";
import { guardQuota } from "./errors";
import {
  checkpointRecordSchema,
  modelRecordSchema,
  runRecordSchema,
  RUN_RECORD_VERSION,
  type CheckpointRecord,
  type ModelRecord,
  type RunRecord,
  type TfjsArtifacts,
} from "./records";
import { checkedRecord, restoreCheckpoint, restoreModel, restoreRun } from "./restore";
import type { StudioDb } from "./schema";

/** A run as saveRun takes it (`v` and `updatedAt` are set on saving). */
export type NewRun = Omit<RunRecord, "v" | "updatedAt"> & { updatedAt?: number };

/** The record of `run` as stored, checked by its schema. */
function runRecord(run: NewRun): RunRecord {
  return checkedRecord("run", runRecordSchema, { ...run, v: RUN_RECORD_VERSION, updatedAt: Date.now() });
}

/** Saves (or replaces) a whole run record by id; `updatedAt` is set to now. */
export async function saveRun(db: StudioDb, run: NewRun): Promise<RunRecord> {
  const record = runRecord(run);
  await guardQuota(() => db.runs.put(record));
  return record;
}

/** What identifies a run and how it is configured, without its results. */
export type RunHead = Pick<RunRecord, "id" | "name" | "datasetId" | "status" | "createdAt" | "config" | "error">;

/** Saves a run's identity, status and configuration with no results (a run training, paused, failed). */
export function saveRunConfig(db: StudioDb, run: RunHead): Promise<RunRecord> {
  return saveRun(db, { ...run, history: {}, metrics: {} });
}

/** Saves a finished run with its evaluation (and the evaluation's curves as the run's history). */
export function saveEvaluation(db: StudioDb, run: RunHead, evaluation: RunEvaluation): Promise<RunRecord> {
  return saveRun(db, evaluationRun(run, evaluation));
}

/** A finished run as stored: its evaluation, and the evaluation's curves as the run's history. */
function evaluationRun(run: RunHead, evaluation: RunEvaluation): NewRun {
  return { ...run, history: evaluation.curves, metrics: { evaluation } };
}

/**
 * Saves a run and its models in one transaction: when any write fails (a quota error, say) none
 * of them is kept, so no model record is left that no run lists (issue 17: an imported bundle's
 * models were saved, then its run failed, leaving orphans).
 */
export async function saveRunWithModels(
  db: StudioDb,
  run: NewRun,
  models: readonly Omit<ModelRecord, "v">[],
): Promise<RunRecord> {
  const record = runRecord(run);
  const modelRecords = models.map(modelRecord);
  await guardQuota(() =>
    db.transaction("rw", [db.runs, db.models], async () => {
      for (const m of modelRecords) await db.models.put(m);
      await db.runs.put(record);
    }),
  );
  return record;
}

/** A finished run with the outcomes of its models, saved in one transaction (see saveRunWithModels). */
export function saveEvaluationWithOutcomes(
  db: StudioDb,
  run: RunHead,
  evaluation: RunEvaluation,
  outcomes: readonly { outcome: ModelOutcome; artifacts: OutcomeArtifacts }[],
  opts: { imported?: boolean; createdAt?: number } = {},
): Promise<RunRecord> {
  return saveRunWithModels(
    db,
    evaluationRun(run, evaluation),
    outcomes.map((o) => outcomeRecord(run.id, o.outcome, o.artifacts, opts)),
  );
}

export async function loadRun(db: StudioDb, id: string): Promise<RunRecord | undefined> {
  const raw = await db.runs.get(id);
  return raw ? restoreRun(raw) : undefined;
}

/** The stored evaluation of a run (finished runs have one). */
export function runEvaluation(run: RunRecord): RunEvaluation | undefined {
  return run.metrics.evaluation;
}

/** The stored evaluation of run `id`, or undefined (no such run, or not finished). */
export async function loadEvaluation(db: StudioDb, id: string): Promise<RunEvaluation | undefined> {
  const run = await loadRun(db, id);
  return run && runEvaluation(run);
}

/** All runs (optionally of one dataset), newest first; corrupt ones skipped. */
export async function listRuns(db: StudioDb, datasetId?: string): Promise<RunRecord[]> {
  const raws =
    datasetId === undefined ? await db.runs.toArray() : await db.runs.where("datasetId").equals(datasetId).toArray();
  const out: RunRecord[] = [];
  for (const raw of raws) {
    try {
      out.push(restoreRun(raw));
    } catch {
      // One corrupt run must not hide the others.
    }
  }
  return out.sort((a, b) => b.createdAt - a.createdAt);
}

/** Deletes a run with its models and checkpoints (a walk-forward run's fold checkpoints, keyed `${id}/fold…`, too). */
export async function deleteRun(db: StudioDb, id: string): Promise<void> {
  await db.transaction("rw", [db.runs, db.models, db.checkpoints], async () => {
    await db.runs.delete(id);
    await db.models.where("runId").equals(id).delete();
    await db.checkpoints.where("runId").equals(id).delete();
    await db.checkpoints.where("runId").startsWith(`${id}/`).delete();
  });
}

/** Saves a model record (tfjs artifacts with weightData ArrayBuffer, or a ForestModel). */
export async function saveModel(db: StudioDb, model: Omit<ModelRecord, "v">): Promise<void> {
  const record = modelRecord(model);
  await guardQuota(() => db.models.put(record));
}

/** The record of `model` as stored, checked by its schema. */
function modelRecord(model: Omit<ModelRecord, "v">): ModelRecord {
  return checkedRecord("model", modelRecordSchema, { ...storable(model), v: 1 as const });
}

export async function loadModel(db: StudioDb, runId: string, name: string): Promise<ModelRecord | undefined> {
  const raw = await db.models.get([runId, name]);
  return raw ? restoreModel(raw) : undefined;
}

/** Models of a run (with their weights). */
export async function listModels(db: StudioDb, runId: string): Promise<ModelRecord[]> {
  return (await db.models.where("runId").equals(runId).toArray()).map(restoreModel);
}

/** A trained model of a run: what training produced and the artifacts to run it again. */
export interface SavedModel {
  outcome: ModelOutcome;
  /** Transformer and LSTM. */
  tfjs?: TfjsArtifacts;
  /** The forest. */
  forest?: ForestModel;
  /** True when it came from an imported bundle. */
  imported: boolean;
}

function savedModel(record: ModelRecord): SavedModel | undefined {
  const outcome = record.meta?.outcome;
  // A walk-forward run stores each fold's models as "fold3/transformer", a run of several seeds the
  // other seeds' as "seed2/transformer": those are not the run's own.
  if (!outcome || record.name !== outcome.id) return undefined;
  return { outcome, tfjs: record.tfjs, forest: record.forest, imported: record.meta?.imported === true };
}

/**
 * Saves what training model `outcome.id` produced with its artifacts (replacing an earlier save).
 * The forest needs `forest`; the sequence models need `tfjs`.
 */
export function saveOutcome(
  db: StudioDb,
  runId: string,
  outcome: ModelOutcome,
  artifacts: OutcomeArtifacts,
  opts: { imported?: boolean; createdAt?: number } = {},
): Promise<void> {
  return saveModel(db, outcomeRecord(runId, outcome, artifacts, opts));
}

/** The stored name of model `id` of walk-forward fold `fold` (1-based), e.g. "fold3/transformer". */
export function foldModelName(fold: number, id: ModelId): string {
  return `fold${fold}/${id}`;
}

/** Saves what training model `outcome.id` produced in walk-forward fold `fold` (see saveOutcome). */
export function saveFoldOutcome(
  db: StudioDb,
  runId: string,
  fold: number,
  outcome: ModelOutcome,
  artifacts: OutcomeArtifacts,
): Promise<void> {
  return saveModel(db, outcomeRecord(runId, outcome, artifacts, { name: foldModelName(fold, outcome.id) }));
}

/** The outcome of model `id` in walk-forward fold `fold` of run `runId`, when it was trained and stored. */
export async function loadFoldOutcome(
  db: StudioDb,
  runId: string,
  fold: number,
  id: ModelId,
): Promise<ModelOutcome | undefined> {
  const record = await loadModel(db, runId, foldModelName(fold, id));
  const outcome = record?.meta?.outcome;
  return outcome?.id === id ? outcome : undefined;
}

/** The stored name of model `id` trained with seed offset `offset` (≥ 1) of a run of several seeds, e.g. "seed2/lstm". */
export function seedModelName(offset: number, id: ModelId): string {
  return `seed${offset}/${id}`;
}

/** Saves what training model `outcome.id` with seed offset `offset` (≥ 1) produced (see saveOutcome). */
export function saveSeedOutcome(
  db: StudioDb,
  runId: string,
  offset: number,
  outcome: ModelOutcome,
  artifacts: OutcomeArtifacts,
): Promise<void> {
  return saveModel(db, outcomeRecord(runId, outcome, artifacts, { name: seedModelName(offset, outcome.id) }));
}

/** The outcome of model `id` with seed offset `offset` (≥ 1) of run `runId`, when it was trained and stored. */
export async function loadSeedOutcome(
  db: StudioDb,
  runId: string,
  offset: number,
  id: ModelId,
): Promise<ModelOutcome | undefined> {
  const record = await loadModel(db, runId, seedModelName(offset, id));
  const outcome = record?.meta?.outcome;
  return outcome?.id === id ? outcome : undefined;
}

/** What a model needs to run again: tfjs artifacts for the sequence models, the forest itself. */
export type OutcomeArtifacts = { tfjs: TfjsArtifacts } | { forest: ForestModel };

/**
 * The record (for saveModel) that stores model `outcome.id` of run `runId` with its artifacts,
 * named `opts.name` (e.g. seedModelName's "seed2/lstm"), by default the model's id.
 */
export function outcomeRecord(
  runId: string,
  outcome: ModelOutcome,
  artifacts: OutcomeArtifacts,
  opts: { name?: string; imported?: boolean; createdAt?: number } = {},
): Omit<ModelRecord, "v"> {
  return {
    runId,
    name: opts.name ?? outcome.id,
    kind: outcome.id,
    createdAt: opts.createdAt ?? Date.now(),
    ...artifacts,
    meta: opts.imported ? { outcome, imported: true } : { outcome },
  };
}

/** Model `id` of run `runId` with its outcome, or undefined when it was not trained (or has no outcome). */
export async function loadOutcome(db: StudioDb, runId: string, id: ModelId): Promise<SavedModel | undefined> {
  const record = await loadModel(db, runId, id);
  return record && savedModel(record);
}

/** The run's trained models with their outcomes, in the guide's order (transformer, lstm, forest). */
export async function listOutcomes(db: StudioDb, runId: string): Promise<SavedModel[]> {
  const saved = (await listModels(db, runId)).map(savedModel).filter((m): m is SavedModel => !!m);
  return MODEL_IDS.flatMap((id) => saved.filter((m) => m.outcome.id === id));
}

/** Replaces the checkpoint of (runId, model). */
export async function saveCheckpoint(db: StudioDb, cp: Omit<CheckpointRecord, "v">): Promise<void> {
  const record = checkedRecord("checkpoint", checkpointRecordSchema, { ...cp, v: 1 as const });
  await guardQuota(() => db.checkpoints.put(record));
}

export async function loadCheckpoint(
  db: StudioDb,
  runId: string,
  model: string,
): Promise<CheckpointRecord | undefined> {
  const raw = await db.checkpoints.get([runId, model]);
  return raw ? restoreCheckpoint(raw) : undefined;
}

export async function deleteCheckpoint(db: StudioDb, runId: string, model: string): Promise<void> {
  await db.checkpoints.delete([runId, model]);
}
