/** Training runs, their model artifacts and their resumable checkpoints. */
import { guardQuota } from "./errors";
import type { CheckpointRecord, ModelRecord, RunRecord } from "./records";
import { restoreCheckpoint, restoreModel, restoreRun } from "./restore";
import type { StudioDb } from "./schema";

/** A run as saveRun takes it (`v` and `updatedAt` are set on saving). */
export type NewRun = Omit<RunRecord, "v" | "updatedAt"> & { updatedAt?: number };

/** Saves (or replaces) a run by id; `updatedAt` is set to now. */
export async function saveRun(db: StudioDb, run: NewRun): Promise<RunRecord> {
  const record: RunRecord = { ...run, v: 1, updatedAt: Date.now() };
  await guardQuota(() => db.runs.put(record));
  return record;
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
  const record: RunRecord = { ...run, v: 1, updatedAt: Date.now() };
  await guardQuota(() =>
    db.transaction("rw", [db.runs, db.models], async () => {
      for (const m of models) await db.models.put({ ...m, v: 1 });
      await db.runs.put(record);
    }),
  );
  return record;
}

export async function loadRun(db: StudioDb, id: string): Promise<RunRecord | undefined> {
  const raw = await db.runs.get(id);
  return raw ? restoreRun(raw) : undefined;
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

/** Deletes a run with its models and checkpoints. */
export async function deleteRun(db: StudioDb, id: string): Promise<void> {
  await db.transaction("rw", [db.runs, db.models, db.checkpoints], async () => {
    await db.runs.delete(id);
    await db.models.where("runId").equals(id).delete();
    await db.checkpoints.where("runId").equals(id).delete();
  });
}

/** Saves a model artifact (tfjs artifacts with weightData ArrayBuffer, or a ForestModel). */
export async function saveModel(db: StudioDb, model: Omit<ModelRecord, "v">): Promise<void> {
  await guardQuota(() => db.models.put({ ...model, v: 1 }));
}

export async function loadModel(db: StudioDb, runId: string, name: string): Promise<ModelRecord | undefined> {
  const raw = await db.models.get([runId, name]);
  return raw ? restoreModel(raw) : undefined;
}

/** Models of a run (with their weights). */
export async function listModels(db: StudioDb, runId: string): Promise<ModelRecord[]> {
  return (await db.models.where("runId").equals(runId).toArray()).map(restoreModel);
}

/** Replaces the checkpoint of (runId, model). */
export async function saveCheckpoint(db: StudioDb, cp: Omit<CheckpointRecord, "v">): Promise<void> {
  await guardQuota(() => db.checkpoints.put({ ...cp, v: 1 }));
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
