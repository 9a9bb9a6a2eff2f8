import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { predictProba } from "./predict";
import { TINY_MODELS, toyTask } from "@/test/toy-task";
import { trainModel } from "./trainer";
import { buildModel } from "./build";

const WINDOW = 8;
const FEATURES = 3;
const task = toyTask(900, FEATURES, WINDOW, 7, 1);

const tiny = TINY_MODELS;

beforeAll(async () => {
  await tf.setBackend("cpu");
  await tf.ready();
});

describe.each(["transformer", "lstm"] as const)("%s", (kind) => {
  it("outputs [B, 4] probabilities that sum to 1", async () => {
    const model = buildModel(kind, tiny[kind], WINDOW, FEATURES);
    const p = await predictProba(model, task.source, task.test.ends, 40);
    expect(p.length).toBe(task.test.ends.length * 4);
    for (let i = 0; i < task.test.ends.length; i++) {
      const s = p[4 * i] + p[4 * i + 1] + p[4 * i + 2] + p[4 * i + 3];
      expect(s).toBeCloseTo(1, 5);
    }
    expect(model.outputs[0].shape).toEqual([null, 4]);
    model.dispose();
  });

  it("learns: validation loss falls well below chance and accuracy rises", async () => {
    const progress: number[] = [];
    const r = await trainModel({
      kind,
      config: tiny[kind],
      source: task.source,
      train: task.train,
      val: task.val,
      onProgress: (p) => progress.push(p.loss),
    });
    expect(r.history.length).toBeGreaterThan(1);
    expect(progress.length).toBe(r.history.length * Math.ceil(task.train.ends.length / 32));
    const first = r.history[0];
    const bestVal = Math.min(...r.history.map((h) => h.valLoss));
    expect(bestVal).toBeLessThan(first.valLoss);
    expect(bestVal).toBeLessThan(Math.log(4) * 0.85);
    const p = await predictProba(r.model, task.source, task.test.ends);
    let correct = 0;
    for (let i = 0; i < task.test.ends.length; i++) {
      const row = Array.from(p.subarray(4 * i, 4 * i + 4));
      if (row.indexOf(Math.max(...row)) === task.test.labels[i]) correct++;
    }
    expect(correct / task.test.ends.length).toBeGreaterThan(0.4); // chance is 0.25
    r.model.dispose();
  });
});

describe("trainer", () => {
  it("same seed gives the same initial and trained weights; another seed differs", async () => {
    const cfg = { ...tiny.transformer, epochs: 1 };
    const a = buildModel("transformer", cfg, WINDOW, FEATURES);
    const b = buildModel("transformer", cfg, WINDOW, FEATURES);
    const c = buildModel("transformer", { ...cfg, seed: 43 }, WINDOW, FEATURES);
    const wa = a.getWeights().map((w) => Array.from(w.dataSync()));
    expect(b.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(wa);
    expect(c.getWeights().map((w) => Array.from(w.dataSync()))).not.toEqual(wa);
    [a, b, c].forEach((m) => m.dispose());
    const r1 = await trainModel({
      kind: "lstm",
      config: { ...tiny.lstm, epochs: 1 },
      source: task.source,
      train: task.train,
      val: task.val,
    });
    const r2 = await trainModel({
      kind: "lstm",
      config: { ...tiny.lstm, epochs: 1 },
      source: task.source,
      train: task.train,
      val: task.val,
    });
    expect(r2.model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(
      r1.model.getWeights().map((w) => Array.from(w.dataSync())),
    );
    expect(r2.history[0].loss).toBe(r1.history[0].loss);
    r1.model.dispose();
    r2.model.dispose();
  });

  it("early stopping ends the run and restores the best epoch's weights", async () => {
    // A learning rate this high makes validation loss worse after the first epochs.
    const checkpoints: { epoch: number; bestEpoch: number }[] = [];
    const cfg = { ...tiny.lstm, epochs: 30, patience: 2, learningRate: 0.08, classWeights: false };
    const r = await trainModel({
      kind: "lstm",
      config: cfg,
      source: task.source,
      train: task.train,
      val: task.val,
      onCheckpoint: (c) => void checkpoints.push({ epoch: c.epoch, bestEpoch: c.bestEpoch }),
    });
    expect(r.stopReason).toBe("early-stopped");
    expect(r.history.length).toBe(r.bestEpoch + 2);
    expect(checkpoints.length).toBe(r.history.length);
    // The returned model reproduces the best epoch's validation loss.
    const p = await predictProba(r.model, task.source, task.val.ends);
    let loss = 0;
    for (let i = 0; i < task.val.ends.length; i++) loss -= Math.log(Math.max(1e-7, p[4 * i + task.val.labels[i]]));
    expect(loss / task.val.ends.length).toBeCloseTo(r.history[r.bestEpoch - 1].valLoss, 4);
    r.model.dispose();
  });

  it("a NaN loss stops cleanly with a message and finite weights", async () => {
    const bad = { ...task.source, matrix: task.source.matrix.slice() };
    bad.matrix[task.train.ends[task.train.ends.length - 1] * FEATURES] = NaN; // poisons one training window
    const r = await trainModel({
      kind: "transformer",
      config: { ...tiny.transformer, epochs: 3 },
      source: bad,
      train: task.train,
      val: task.val,
    });
    expect(r.stopReason).toBe("nan");
    expect(r.message).toMatch(/NaN/);
    for (const w of r.model.getWeights()) expect(Array.from(w.dataSync()).every(Number.isFinite)).toBe(true);
    r.model.dispose();
  });

  it("abort stops between batches and returns a usable model", async () => {
    const ctrl = new AbortController();
    let batches = 0;
    const r = await trainModel({
      kind: "lstm",
      config: { ...tiny.lstm, epochs: 5 },
      source: task.source,
      train: task.train,
      val: task.val,
      signal: ctrl.signal,
      onProgress: (p) => {
        batches++;
        if (p.epoch === 2 && p.batch === 3) ctrl.abort();
      },
    });
    expect(r.stopReason).toBe("aborted");
    expect(r.history.length).toBe(1);
    expect(batches).toBe(Math.ceil(task.train.ends.length / 32) + 3);
    expect(r.bestEpoch).toBe(1);
    r.model.dispose();
  });

  it("resuming from a checkpoint reproduces the uninterrupted run", async () => {
    const cfg = { ...tiny.transformer, epochs: 3, patience: 10 };
    const full = await trainModel({
      kind: "transformer",
      config: cfg,
      source: task.source,
      train: task.train,
      val: task.val,
    });
    let saved: import("./types").TrainCheckpoint | undefined;
    const first = await trainModel({
      kind: "transformer",
      config: { ...cfg, epochs: 2 },
      source: task.source,
      train: task.train,
      val: task.val,
      onCheckpoint: (c) => void (saved = c),
    });
    first.model.dispose();
    expect(saved?.epoch).toBe(2);
    const resumed = await trainModel({
      kind: "transformer",
      config: cfg,
      source: task.source,
      train: task.train,
      val: task.val,
      resume: saved,
    });
    expect(resumed.history.length).toBe(3);
    expect(resumed.history[2].valLoss).toBeCloseTo(full.history[2].valLoss, 4);
    full.model.dispose();
    resumed.model.dispose();
  });
});
