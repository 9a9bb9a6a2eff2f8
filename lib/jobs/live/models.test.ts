import "fake-indexeddb/auto";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { getStudioDb } from "@/lib/db";
import { storeRunFixture } from "@/test/stored-run";
import { createLiveApi } from "./api";
import type { LiveClient } from "./client";
import { loadLiveModel } from "./models";
import { normalizedSource } from "@/lib/core/normalize";

describe("a stored run in the live worker", () => {
  it("predicts a test window exactly as the run's evaluation did, each model read once at load, nothing left on the device per candle", async () => {
    const { dataset, outcomes } = await storeRunFixture("live-run");
    const api = createLiveApi(async () => tf.setBackend("cpu"));
    const client = { load: api.load, predict: api.predict } as unknown as LiveClient;
    const workerMs: number[] = [];
    const loaded = await loadLiveModel(getStudioDb(), "live-run", client, { onWorkerMs: (ms) => workerMs.push(ms) });
    expect(loaded.model.datasetId).toBe(dataset.id);
    expect(loaded.dataEnd).toBe(dataset.times[dataset.rows - 1]);
    const src = normalizedSource(dataset);
    const F = dataset.features.length;
    const tensors: number[] = [];
    for (const k of [0, 7]) {
      const t = dataset.split.test[k];
      const window = src.matrix.slice((t - dataset.window + 1) * F, (t + 1) * F);
      const probs = await loaded.model.predict(window);
      for (const o of outcomes) {
        const expected = Array.from(o.testProbs.subarray(k * 4, k * 4 + 4));
        const got = Array.from(probs[o.id]);
        for (let c = 0; c < 4; c++) expect(got[c]).toBeCloseTo(expected[c], 5);
      }
      tensors.push(tf.memory().numTensors);
    }
    expect(workerMs).toHaveLength(2);
    expect(tensors[1]).toBe(tensors[0]);
  });
});
