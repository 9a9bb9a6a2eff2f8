/** Converts trainer checkpoints to and from the stored CheckpointRecord shape (lib/db knows no tfjs). */
import type { CheckpointRecord, StoredWeights } from "@/lib/db";
import type { SerializedWeights, TrainCheckpoint } from "@/lib/models/types";

const toStored = (w: SerializedWeights): StoredWeights => ({ weightSpecs: w.specs, weightData: w.data });
const fromStored = (w: StoredWeights): SerializedWeights => ({ specs: w.weightSpecs, data: w.weightData });

export function checkpointRecord(runId: string, cp: TrainCheckpoint, now = Date.now()): Omit<CheckpointRecord, "v"> {
  const { weights, bestWeights, optimizer, ...state } = cp;
  return {
    runId,
    model: cp.kind,
    epoch: cp.epoch,
    savedAt: now,
    weights: toStored(weights),
    bestWeights: toStored(bestWeights),
    optimizer: toStored(optimizer),
    state,
  };
}

/**
 * The trainer checkpoint back from a stored record (its state already checked by restore());
 * undefined when the record lacks the best weights or the optimizer state.
 */
export function trainCheckpoint(record: CheckpointRecord): TrainCheckpoint | undefined {
  if (!record.bestWeights || !record.optimizer) return undefined;
  return {
    ...record.state,
    weights: fromStored(record.weights),
    bestWeights: fromStored(record.bestWeights),
    optimizer: fromStored(record.optimizer),
  };
}
