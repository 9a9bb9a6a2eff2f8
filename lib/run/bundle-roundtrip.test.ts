import "fake-indexeddb/auto";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildDataset } from "@/lib/core/build-dataset";
import type { Dataset } from "@/lib/core/dataset";
import { normalizedSource } from "@/lib/core/normalize";
import { fixtureMarket } from "@/lib/core/testing/market-fixture";
import { getStudioDb, saveDataset, saveModel, type TfjsArtifacts } from "@/lib/db";
import { randomForest } from "@/lib/export/forest-fixture";
import { dataFingerprint } from "@/lib/export/hash";
import { mulberry32 } from "@/lib/core/random";
import { buildModel } from "@/lib/models/build";
import { defaultConfig } from "@/lib/models/config";
import { predictProbaView } from "@/lib/models/forest";
import { predictProba } from "@/lib/models/predict";
import { modelToArtifacts } from "@/lib/models/serialize";
import { runBundle } from "./export-run";
import { float16Effect } from "./float16-effect";
import { importBundle } from "./import-bundle";
import { summarizeRun } from "./summarize";
import { inProcessPredictors } from "./testing";
import type { ModelOutcome, RunEvaluation } from "./types";

/**
 * A stored run (dataset, three models, evaluation) exported as a bundle and imported again in
 * the same storage, as a second machine with the same data would: the figures must be identical.
 */
describe("bundle export → import round trip", () => {
  const runId = "run-roundtrip";
  let ds: Dataset;
  let evaluation: RunEvaluation;

  beforeAll(async () => {
    await tf.setBackend("cpu");
    ds = buildDataset({ candles: fixtureMarket(4 * 24 * 40, 3).candles, symbol: "T", window: 24, createdAt: 0 });
    const W = ds.window;
    const F = ds.features.length;
    const db = getStudioDb();
    await saveDataset(db, ds);
    const source = normalizedSource(ds);
    const sets = { val: ds.split.val, test: ds.split.test };
    const transformer = buildModel("transformer", { ...defaultConfig("transformer"), dModel: 8, heads: 2, blocks: 1, ff: 8, patch: 4 }, W, F);
    const lstm = buildModel("lstm", { ...defaultConfig("lstm"), units: 6, layers: 1, patch: 4 }, W, F);
    const forest = { ...randomForest(mulberry32(2), { trees: 6, depth: 5, features: W * F, classes: 4 }), view: { kind: "flat" as const, window: W, features: F } };
    const outcomes: ModelOutcome[] = [];
    for (const [id, model] of [["transformer", transformer], ["lstm", lstm]] as const) {
      const outcome: ModelOutcome = { id, params: {}, valProbs: await predictProba(model, source, sets.val), testProbs: await predictProba(model, source, sets.test), seconds: 1 };
      await saveModel(db, { runId, name: id, kind: id, createdAt: 0, tfjs: (await modelToArtifacts(model)) as unknown as TfjsArtifacts, meta: { outcome } });
      outcomes.push(outcome);
    }
    const forestOutcome: ModelOutcome = { id: "forest", params: {}, valProbs: predictProbaView(forest, source, sets.val), testProbs: predictProbaView(forest, source, sets.test), seconds: 1 };
    await saveModel(db, { runId, name: "forest", kind: "random-forest", createdAt: 0, forest, meta: { outcome: forestOutcome } });
    outcomes.push(forestOutcome);
    evaluation = summarizeRun(ds, outcomes, { title: "round trip", fingerprint: dataFingerprint(ds.matrix, ds.labels) });
  });

  it("imports a float32 bundle with every test accuracy equal to the bundle's", async () => {
    const bytes = await runBundle(runId, ds.id, evaluation, { float16: false, onnx: false });
    const res = await importBundle(bytes, inProcessPredictors, "bundle.zip");
    expect(res.reproduced).toBe(true);
    expect(res.runId).toBeDefined();
    expect(res.comparison!.map((c) => c.model).sort()).toEqual(["ensemble", "ensemble-learned", "forest", "lstm", "transformer"]);
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
});
