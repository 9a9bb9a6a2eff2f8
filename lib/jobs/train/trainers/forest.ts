/**
 * The Random Forest: binned in a forest worker, grown over the worker pool, then predicted and
 * permuted in forest workers (never on the page).
 */
import { NUM_CLASSES } from "@/lib/core/classes";
import { sampleSet } from "@/lib/core/windows";
import { evaluateForestInWorker, prepareForestSetInWorker } from "@/lib/jobs/forest/job";
import { trainForestInPool } from "@/lib/jobs/forest/pool";
import type { ModelOutcome } from "@/lib/run/types";
import { permutationRequest } from "./context";
import type { ModelTrainer, TrainedModel } from "./types";

const isAbort = (e: unknown) => (e as Error | undefined)?.name === "AbortError";

export const forestTrainer: ModelTrainer<"forest"> = {
  id: "forest",
  async train(ctx, hooks): Promise<TrainedModel | "aborted"> {
    const { config, signal, source } = ctx;
    const createWorker = ctx.workers.createForestWorker;
    const started = performance.now();
    let model;
    try {
      const set = await prepareForestSetInWorker(
        [source, ctx.featureNames, sampleSet(ctx.ends.train, ctx.labels), config.view, NUM_CLASSES],
        { signal, createWorker },
      );
      model = await trainForestInPool(set, config, {
        signal,
        createWorker,
        onProgress: (progress) => hooks.onProgress({ phase: "train", progress }),
      });
    } catch (e) {
      if (isAbort(e)) return "aborted";
      throw e;
    }
    const seconds = (performance.now() - started) / 1000;
    hooks.onProgress({ phase: "evaluate" });
    const { probs } = await evaluateForestInWorker(
      model,
      source,
      { val: ctx.ends.val, test: ctx.ends.test },
      { createWorker },
    );
    const outcome: ModelOutcome = {
      id: "forest",
      params: { ...config } as ModelOutcome["params"],
      valProbs: probs.val,
      testProbs: probs.test,
      seconds,
      importances: { names: model.featureNames, values: model.importances },
    };
    const stored = { kind: "forest", forest: model } as const;
    // Predictions first (seconds), kept at once: a cancel during the slow permutation step then
    // keeps the forest (its importances are simply left out).
    if (ctx.importance === false) return { outcome, stored };
    await hooks.keep?.({ outcome, stored });
    const permutation = await evaluateForestInWorker(
      model,
      source,
      {},
      {
        permutation: permutationRequest(ctx),
        known: [{ ends: ctx.ends.test, probs: probs.test }],
        onFeature: (done, total) => hooks.onProgress({ phase: "importance", done, total }),
        signal,
        createWorker,
      },
    ).then(
      (r) => r.permutation,
      (e: unknown) => {
        if (isAbort(e)) return undefined;
        throw e;
      },
    );
    return { outcome: permutation ? { ...outcome, permutation } : outcome, stored };
  },
};
