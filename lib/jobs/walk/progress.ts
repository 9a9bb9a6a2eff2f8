/**
 * Progress of a walk-forward run, as the Train page shows it: which fold, which model, how far
 * overall, and an ETA from the pace of this session (folds reused from storage take no time).
 */
import type { RunProgress } from "@/lib/jobs/train/train-run";
import type { ModelId } from "@/lib/run/types";

export type WalkProgress =
  /** Fold `fold` of `folds` starts; `stored` when all its models were trained before (a resumed walk). */
  | {
      phase: "fold";
      fold: number;
      folds: number;
      trainSpan: [number, number];
      testSpan: [number, number];
      stored: boolean;
    }
  /** A model of the fold: its trainer's progress; `warmStart` when it starts from the previous fold's weights. */
  | { phase: "model"; fold: number; folds: number; model: ModelId; warmStart: boolean; progress: RunProgress }
  /** Every fold done: pooling the test predictions into the run's evaluation. */
  | { phase: "pool" };

/** How far one model's training is, 0..1, from its trainer's progress. */
export function modelFraction(p: RunProgress): number {
  if (p.model === "run") return 1;
  switch (p.phase) {
    case "done":
      return 1;
    case "checkpoint":
      return p.epoch / p.epochs;
    case "train":
      if ("treesDone" in p.progress) return p.progress.treesDone / Math.max(1, p.progress.trees);
      return (
        (p.progress.epoch - 1 + (p.progress.batches ? p.progress.batch / p.progress.batches : 1)) / p.progress.epochs
      );
    default:
      // Evaluating / permutation importance: training itself is over.
      return 1;
  }
}

/**
 * Share of the whole walk done, 0..1: folds are equal parts, and a fold's models equal parts of it.
 * @param modelIndex position of the current model among the `models` the run trains (0-based)
 */
export function walkFraction(
  fold: number,
  folds: number,
  modelIndex: number,
  models: number,
  fraction: number,
): number {
  return Math.min(1, (fold - 1 + (modelIndex + fraction) / models) / folds);
}

/** Seconds left, from the pace since this session started at fraction `from` (NaN until there is a pace). */
export function walkEtaSeconds(from: number, now: number, elapsedSeconds: number): number {
  const done = now - from;
  return done > 1e-6 && elapsedSeconds > 0 ? (elapsedSeconds * (1 - now)) / done : NaN;
}
