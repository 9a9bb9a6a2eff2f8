/**
 * The Transformer and the LSTM: trained in the tfjs worker, which early-stops, keeps the best
 * epoch's weights, predicts the validation and test parts and computes permutation importance.
 */
import { sampleSet } from "@/lib/core/windows";
import type { NeuralModelKind } from "@/lib/models/config";
import type { TrainResponse } from "@/lib/models/types";
import type { ModelOutcome } from "@/lib/run/types";
import { permutationRequest } from "./context";
import type { ModelTrainer, TrainedModel } from "./types";

/** What the user should know about how training ended, if anything. */
function stopNote(res: TrainResponse): string | undefined {
  if (res.stopReason === "nan") return res.message;
  if (res.stopReason === "early-stopped") return `early stopped; best epoch ${res.bestEpoch} restored`;
  return undefined;
}

/** The trainer of a neural model kind. */
export function neuralTrainer<K extends NeuralModelKind>(kind: K): ModelTrainer<K> {
  return {
    id: kind,
    async train(ctx, hooks): Promise<TrainedModel | "aborted"> {
      const { tfjs } = ctx.workers;
      const checkpoints = hooks.checkpoints;
      const resume = await checkpoints?.load();
      const backend = await tfjs.init();
      const res = await tfjs.train(
        {
          kind,
          config: ctx.config,
          source: ctx.source,
          train: sampleSet(ctx.ends.train, ctx.labels),
          val: sampleSet(ctx.ends.val, ctx.labels),
          predict: { val: ctx.ends.val, test: ctx.ends.test },
          resume,
          checkpoints: checkpoints !== undefined,
          permutation: ctx.importance === false ? undefined : permutationRequest(ctx),
        },
        {
          signal: ctx.signal,
          // The worker reports permutation importance as a training stage; here it is its own phase.
          onProgress: (p) =>
            hooks.onProgress(
              p.stage === "importance"
                ? { phase: "importance", done: p.batch, total: p.batches, backend }
                : { phase: "train", progress: p, backend },
            ),
          onCheckpoint: checkpoints
            ? async (c) => {
                await checkpoints.save(c);
                hooks.onProgress({
                  phase: "checkpoint",
                  epoch: c.epoch,
                  epochs: ctx.config.epochs,
                  history: c.history,
                  backend,
                });
              }
            : undefined,
        },
      );
      if (res.stopReason === "aborted") return "aborted";
      if (res.bestEpoch === 0)
        throw new Error(`${kind}: ${res.message || "no epoch finished with a finite validation loss"}`);
      const outcome: ModelOutcome = {
        id: kind,
        params: { ...ctx.config, backend: res.backend },
        valProbs: res.predictions.val,
        testProbs: res.predictions.test,
        history: res.history,
        bestEpoch: res.bestEpoch,
        seconds: res.seconds,
        backend: res.backend,
        stopReason: res.stopReason === "nan" ? res.message : undefined,
        permutation: res.permutation,
      };
      return { outcome, stored: { kind: "tfjs", artifacts: res.artifacts }, note: stopNote(res) };
    },
  };
}
