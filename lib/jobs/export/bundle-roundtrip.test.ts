import "fake-indexeddb/auto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Dataset } from "@/lib/core/dataset";
import { unzipSync } from "fflate";
import { deleteDataset, getStudioDb, saveDataset, StorageFullError } from "@/lib/db";
import { inspectTflite } from "@/lib/export/tflite/inspect";
import { runBundle, runTflite } from "./export-run";
import { float16Effect } from "./float16-effect";
import { importBundle } from "./import-bundle";
import { inProcessPredictors, storeRunFixture } from "@/test/stored-run";
import type { RunEvaluation } from "../../run/types";

/**
 * A stored run (dataset, three models, evaluation) exported as a bundle and imported again in
 * the same storage, as a second machine with the same data would: the figures must be identical.
 */
describe("bundle export → import round trip", () => {
  const runId = "run-roundtrip";
  let ds: Dataset;
  let evaluation: RunEvaluation;

  beforeAll(async () => {
    ({ dataset: ds, evaluation } = await storeRunFixture(runId));
  });

  it("imports a float32 bundle with every test accuracy equal to the bundle's", async () => {
    const bytes = await runBundle(runId, ds.id, evaluation, { float16: false, onnx: false });
    const res = await importBundle(bytes, inProcessPredictors, "bundle.zip");
    expect(res.reproduced).toBe(true);
    expect(res.runId).toBeDefined();
    expect(res.comparison!.map((c) => c.model).sort()).toEqual([
      "ensemble",
      "ensemble-learned",
      "forest",
      "lstm",
      "transformer",
    ]);
    for (const c of res.comparison!) expect(c.accuracy).toBe(c.bundleAccuracy);
    expect(res.message).toMatch(/every test accuracy equals the bundle's/);
  });

  it("states what float16 weights cost: half the weight bytes, small probability and accuracy changes, the forest unchanged", async () => {
    const bytes = await runBundle(runId, ds.id, evaluation, { float16: true, onnx: false });
    const effect = await float16Effect(bytes, ds, evaluation, inProcessPredictors);
    expect(effect.float32WeightBytes).toBe(2 * effect.weightBytes);
    expect(effect.maxGoldenDiff).toBeGreaterThan(0);
    expect(effect.maxGoldenDiff).toBeLessThan(5e-3);
    const byModel = Object.fromEntries(effect.accuracy.map((a) => [a.model, a]));
    expect(Object.keys(byModel).sort()).toEqual(["ensemble", "ensemble-learned", "forest", "lstm", "transformer"]);
    expect(byModel.forest.float16).toBe(byModel.forest.float32);
    for (const a of effect.accuracy) expect(Math.abs(a.float16 - a.float32)).toBeLessThan(0.05);
  });

  it("a quota error while storing the imported run leaves no model record behind (one transaction)", async () => {
    const bytes = await runBundle(runId, ds.id, evaluation, { float16: false, onnx: false });
    const db = getStudioDb();
    const models = await db.models.count();
    const runs = await db.runs.count();
    const spy = vi.spyOn(db.runs, "put").mockImplementation(() => {
      throw new DOMException("quota", "QuotaExceededError");
    });
    await expect(importBundle(bytes, inProcessPredictors, "bundle.zip")).rejects.toBeInstanceOf(StorageFullError);
    spy.mockRestore();
    expect(await db.runs.count()).toBe(runs);
    expect(await db.models.count()).toBe(models);
    const runIds = new Set((await db.runs.toArray()).map((r) => r.id));
    expect((await db.models.toArray()).filter((m) => !runIds.has(m.runId))).toEqual([]);
  });

  it("writes the run's TFLite files: the single download is the bundle's tflite/ file", async () => {
    const files = unzipSync(await runBundle(runId, ds.id, evaluation, { float16: false, onnx: false, tflite: true }));
    for (const id of ["transformer", "lstm"] as const) {
      const single = await runTflite(runId, ds.id, id, false);
      expect(Buffer.from(files[`tflite/${id}_model.tflite`]).equals(Buffer.from(single))).toBe(true);
      expect(inspectTflite(single).input.shape).toEqual([1, ds.window, ds.features.length]);
    }
    const half = inspectTflite(await runTflite(runId, ds.id, "lstm", true));
    expect(half.tensors.some((t) => t.type === "float16")).toBe(true);
  });

  it("refuses to re-evaluate on the same data split another way (it would score training rows)", async () => {
    const bytes = await runBundle(runId, ds.id, evaluation, { float16: false, onnx: false });
    const db = getStudioDb();
    // The same candles and features, but a later test part: only the split differs.
    const resplit: Dataset = {
      ...ds,
      id: "ds-resplit",
      name: "resplit",
      split: { ...ds.split, test: ds.split.test.subarray(10) },
    };
    await saveDataset(db, resplit);
    await deleteDataset(db, ds.id);
    const runs = await db.runs.count();
    try {
      const res = await importBundle(bytes, inProcessPredictors, "bundle.zip");
      expect(res.reproduced).toBe(true);
      expect(res.runId).toBeUndefined();
      expect(res.message).toMatch(
        /^Dataset "resplit" holds the data this bundle was trained on, but was built with another split/,
      );
      expect(await db.runs.count()).toBe(runs);
    } finally {
      await deleteDataset(db, resplit.id);
      await saveDataset(db, ds);
    }
  });
});
