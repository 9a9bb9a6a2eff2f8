import { describe, expect, it } from "vitest";
import { defaultConfig } from "@/lib/models/config";
import type { TrainCheckpoint } from "@/lib/models/types";
import { MODEL_IDS, type ModelId } from "@/lib/run/types";
import { inProcessForestWorker, inProcessTrainWorker } from "@/test/in-process-workers";
import { toyTask, toyTrainData } from "@/test/toy-task";
import { TRAINERS } from "./index";
import type { CheckpointStore, TrainContext, TrainedModel, TrainerConfigs, TrainerProgress, TrainHooks } from "./types";

const WINDOW = 8;
const task = toyTask(700, 3, WINDOW, 7, 1);
const data = toyTrainData(task);

const tiny: TrainerConfigs = {
  transformer: {
    ...defaultConfig("transformer"),
    dModel: 16,
    heads: 2,
    blocks: 1,
    ff: 32,
    patch: 2,
    batchSize: 32,
    learningRate: 3e-3,
    epochs: 4,
    patience: 10,
  },
  lstm: { ...defaultConfig("lstm"), units: 16, layers: 1, patch: 2, batchSize: 32, learningRate: 1e-2, epochs: 4 },
  forest: { trees: 12, maxDepth: 6, seed: 3, view: "flat" },
};

function contextFor<Id extends ModelId>(id: Id, signal = new AbortController().signal): TrainContext<Id> {
  return {
    ...data,
    config: tiny[id],
    signal,
    workers: { tfjs: inProcessTrainWorker(), createForestWorker: inProcessForestWorker },
  };
}

/** One trainer of the table, called as the run's loop calls it. */
function train<Id extends ModelId>(id: Id, ctx: TrainContext<Id>, hooks: TrainHooks<Id>) {
  return TRAINERS[id].train(ctx, hooks);
}

/** Checkpoints kept in memory. */
function memoryCheckpoints(): CheckpointStore & { saved: TrainCheckpoint[] } {
  const saved: TrainCheckpoint[] = [];
  return { saved, load: async () => saved[saved.length - 1], save: async (c) => void saved.push(c) };
}

function accuracy(probs: Float32Array, labels: Uint8Array): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = Array.from(probs.subarray(4 * i, 4 * i + 4));
    if (row.indexOf(Math.max(...row)) === labels[i]) correct++;
  }
  return correct / labels.length;
}

describe.each(MODEL_IDS)("the %s trainer", (id) => {
  it("trains a tiny task through the contract: probabilities for val and test, what to store, progress", async () => {
    const progress: TrainerProgress<typeof id>[] = [];
    const kept: TrainedModel[] = [];
    const checkpoints = memoryCheckpoints();
    const trained = await train(id, contextFor(id), {
      onProgress: (p) => progress.push(p),
      checkpoints,
      keep: async (m) => void kept.push(m),
    });
    if (trained === "aborted") throw new Error("not aborted, yet it says so");
    const { outcome, stored } = trained;
    expect(TRAINERS[id].id).toBe(id);
    expect(outcome.id).toBe(id);
    expect(outcome.valProbs.length).toBe(task.val.ends.length * 4);
    expect(outcome.testProbs.length).toBe(task.test.ends.length * 4);
    for (let i = 0; i < task.test.ends.length; i++) {
      const s = outcome.testProbs.subarray(4 * i, 4 * i + 4).reduce((a, b) => a + b, 0);
      expect(s).toBeCloseTo(1, 4);
    }
    expect(accuracy(outcome.testProbs, task.test.labels)).toBeGreaterThan(0.4); // chance is 0.25
    expect(outcome.permutation?.map((r) => r.name)).toEqual(data.featureNames);
    expect(progress.some((p) => p.phase === "importance")).toBe(true);
    expect(
      progress.every((p) => p.phase !== "train" || !("loss" in p.progress) || Number.isFinite(p.progress.loss)),
    ).toBe(true);
    if (id === "forest") {
      expect(stored.kind).toBe("forest");
      expect(stored.kind === "forest" && stored.forest.trees.length).toBe(12);
      expect(progress.filter((p) => p.phase === "train").length).toBe(12);
      // Kept before the slow permutation step, so a cancel there keeps the forest.
      expect(kept.map((m) => m.outcome.permutation)).toEqual([undefined]);
      expect(checkpoints.saved).toEqual([]);
    } else {
      expect(stored.kind).toBe("tfjs");
      const epochs = outcome.history!.length;
      expect(epochs).toBe(4);
      expect(outcome.bestEpoch).toBeGreaterThan(0);
      // One checkpoint phase per epoch, after its checkpoint was stored, with the curves so far.
      const phases = progress.filter((p) => p.phase === "checkpoint");
      expect(phases.map((p) => [p.epoch, p.epochs, p.history.length])).toEqual(
        Array.from({ length: epochs }, (_, k) => [k + 1, 4, k + 1]),
      );
      expect(checkpoints.saved.map((c) => c.epoch)).toEqual([1, 2, 3, 4]);
      expect(outcome.history![epochs - 1].valLoss).toBeLessThan(outcome.history![0].valLoss);
    }
  });

  it("resolves 'aborted' when its signal stops it", async () => {
    const ctrl = new AbortController();
    const trained = await train(id, contextFor(id, ctrl.signal), {
      onProgress: (p) => {
        if (p.phase === "train" && ("treesDone" in p.progress ? p.progress.treesDone === 2 : p.progress.epoch === 2))
          ctrl.abort();
      },
      checkpoints: memoryCheckpoints(),
    });
    expect(trained).toBe("aborted");
  });
});

describe("neural trainers", () => {
  it("continue from the checkpoint store: the stored epochs are not trained again", async () => {
    const ctrl = new AbortController();
    const checkpoints = memoryCheckpoints();
    const first = await TRAINERS.lstm.train(contextFor("lstm", ctrl.signal), {
      onProgress: (p) => p.phase === "checkpoint" && p.epoch === 2 && ctrl.abort(),
      checkpoints,
    });
    expect(first).toBe("aborted");
    expect(checkpoints.saved.map((c) => c.epoch)).toEqual([1, 2]);
    const ctx = contextFor("lstm");
    const epochsSeen = new Set<number>();
    const resumed = await TRAINERS.lstm.train(ctx, {
      onProgress: (p) => p.phase === "train" && epochsSeen.add(p.progress.epoch),
      checkpoints,
    });
    if (resumed === "aborted") throw new Error("not aborted");
    expect([...epochsSeen]).toEqual([3, 4]);
    expect(resumed.outcome.history!.slice(0, 2)).toEqual(checkpoints.saved[1].history);
    const tfjs = ctx.workers.tfjs as ReturnType<typeof inProcessTrainWorker>;
    expect(tfjs.requests[0].resume?.epoch).toBe(2);
  });

  it("without a checkpoint store, ask the worker for no checkpoints", async () => {
    const ctx = contextFor("transformer");
    const phases: string[] = [];
    const trained = await TRAINERS.transformer.train(
      { ...ctx, config: { ...tiny.transformer, epochs: 1 } },
      { onProgress: (p) => phases.push(p.phase) },
    );
    expect(trained).not.toBe("aborted");
    expect((ctx.workers.tfjs as ReturnType<typeof inProcessTrainWorker>).requests[0].checkpoints).toBe(false);
    expect(phases).not.toContain("checkpoint");
  });
});
