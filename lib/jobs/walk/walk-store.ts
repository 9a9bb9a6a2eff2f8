/**
 * Where a walk-forward run keeps each fold's models: the run's model records named
 * "fold3/transformer" (lib/db foldModelName), and epoch checkpoints under the run id
 * "<run>/fold3", so a reload resumes at the fold and epoch in progress and finished folds are
 * read back, never retrained.
 */
import { foldModelName, getStudioDb, loadFoldOutcome, outcomeRecord } from "@/lib/db";
import type { LstmConfig, TransformerConfig } from "@/lib/models/config";
import type { TrainCheckpoint } from "@/lib/models/types";
import type { ModelId } from "@/lib/run/types";
import { modelWriter, runCheckpoints, storedArtifacts, type ModelSlot, type ModelWriter } from "../train/run-store";
import { warmStartCheckpoint } from "./warm-start";

/** The epoch checkpoints of model `id` in fold `fold` of run `runId`. */
export function foldCheckpoints(runId: string, fold: number, id: ModelId) {
  return runCheckpoints(`${runId}/fold${fold}`, id);
}

export interface FoldSlotOptions {
  /** The previous fold's last checkpoint to warm-start from (Transformer, LSTM), with this fold's config. */
  warmFrom?: { checkpoint: TrainCheckpoint; config: TransformerConfig | LstmConfig };
  /** Keep this fold's checkpoints once its model is stored (the next fold warm-starts from them). */
  keepCheckpoints: boolean;
  /** Where the trained model is written (default this thread's database). */
  write?: ModelWriter;
}

/** Model `id` in fold `fold` of walk-forward run `runId`. */
export function foldModelSlot(runId: string, fold: number, id: ModelId, opts: FoldSlotOptions): ModelSlot {
  const db = getStudioDb();
  const own = foldCheckpoints(runId, fold, id);
  const warm = opts.warmFrom;
  const write = opts.write ?? modelWriter();
  return {
    load: () => loadFoldOutcome(db, runId, fold, id),
    save: ({ outcome, stored }) =>
      write(
        outcomeRecord(
          runId,
          // Stored with the model, so a reloaded walk still shows which folds were warm-started.
          warm ? { ...outcome, params: { ...outcome.params, warmStartFrom: fold - 1 } } : outcome,
          storedArtifacts(stored),
          { name: foldModelName(fold, id) },
        ),
      ),
    checkpoints: {
      // This fold's own checkpoint first (a reload mid-fold), else the previous fold's weights.
      load: async () => (await own.load()) ?? (warm ? warmStartCheckpoint(warm.checkpoint, warm.config) : undefined),
      save: own.save,
    },
    finish: async () => {
      if (opts.keepCheckpoints) await foldCheckpoints(runId, fold - 1, id).clear();
      else await own.clear();
    },
  };
}
