/** Converts trainer checkpoints to and from the stored CheckpointRecord shape (lib/db knows no tfjs). */
import type { CheckpointRecord } from "@/lib/db";
import type { SerializedWeights, TrainCheckpoint } from "@/lib/models/types";

const toStored = (w: SerializedWeights) => ({ weightSpecs: w.specs as unknown[], weightData: w.data });
const fromStored = (w: { weightSpecs: unknown[]; weightData: ArrayBuffer }): SerializedWeights => ({
  specs: w.weightSpecs as SerializedWeights["specs"],
  data: w.weightData,
});

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
    state: state as unknown as Record<string, unknown>,
  };
}

/** The trainer checkpoint back from a stored record; undefined when the record is incomplete. */
export function trainCheckpoint(record: CheckpointRecord): TrainCheckpoint | undefined {
  if (!record.bestWeights || !record.optimizer) return undefined;
  const state = record.state as unknown as Omit<TrainCheckpoint, "weights" | "bestWeights" | "optimizer">;
  if (state.version !== 1 || (state.kind !== "transformer" && state.kind !== "lstm")) return undefined;
  return {
    ...state,
    weights: fromStored(record.weights),
    bestWeights: fromStored(record.bestWeights),
    optimizer: fromStored(record.optimizer),
  };
}
