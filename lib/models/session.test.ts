import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "./config";
import { modelFromArtifacts } from "./serialize";
import { predictProba } from "./predict";
import { responseTransferables, runTrainRequest } from "./session";
import { toyTask } from "@/test/toy-task";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("runTrainRequest", () => {
  it("returns artifacts, history and predictions that match the reloaded model", async () => {
    const task = toyTask(300, 3, 8, 2, 1);
    const config = { ...defaultConfig("lstm"), units: 8, layers: 1, patch: 2, epochs: 2, batchSize: 32 };
    const checkpoints: number[] = [];
    const before = tf.memory().numTensors;
    const res = await runTrainRequest(
      {
        kind: "lstm",
        config,
        source: task.source,
        train: task.train,
        val: task.val,
        predict: { val: task.val.ends, test: task.test.ends },
        checkpoints: true,
      },
      { onCheckpoint: (c) => void checkpoints.push(c.epoch) },
    );
    expect(res.history.length).toBe(2);
    expect(checkpoints).toEqual([1, 2]);
    expect(res.backend).toBe("cpu");
    expect(res.predictions.test.length).toBe(task.test.ends.length * 4);
    expect(responseTransferables(res).length).toBe(3);
    const model = await modelFromArtifacts(res.artifacts);
    const again = await predictProba(model, task.source, task.test.ends);
    for (let i = 0; i < again.length; i++) expect(again[i]).toBeCloseTo(res.predictions.test[i], 5);
    model.dispose();
    // tfjs-layers caches a few scalars on first use; a second run must leave nothing behind.
    const afterFirst = tf.memory().numTensors;
    expect(afterFirst - before).toBeLessThanOrEqual(2);
    await runTrainRequest({
      kind: "lstm",
      config,
      source: task.source,
      train: task.train,
      val: task.val,
      predict: { test: task.test.ends },
    });
    expect(tf.memory().numTensors).toBe(afterFirst);
  });

  it("computes permutation importance on the requested windows: the signal feature ranks first", async () => {
    const task = toyTask(600, 4, 8, 3, 2);
    const config = {
      ...defaultConfig("lstm"),
      units: 12,
      layers: 1,
      patch: 1,
      epochs: 6,
      batchSize: 32,
      learningRate: 0.01,
    };
    const res = await runTrainRequest({
      kind: "lstm",
      config,
      source: task.source,
      train: task.train,
      val: task.val,
      permutation: {
        ends: task.test.ends,
        labels: task.test.labels,
        featureNames: ["sig", "echo", "n1", "n2"],
        repeats: 1,
        seed: 5,
      },
    });
    const perm = res.permutation!;
    expect(perm.map((p) => p.name)).toEqual(["sig", "echo", "n1", "n2"]);
    const best = perm.reduce((a, b) => (b.value > a.value ? b : a));
    expect(best.name).toBe("sig");
    expect(best.value).toBeGreaterThan(0.1);
  });
});
