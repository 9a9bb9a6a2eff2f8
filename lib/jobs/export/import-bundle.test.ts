import "fake-indexeddb/auto";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildBundle, type BundleInput } from "@/lib/export/bundle/build";
import { readBundle, type ReadBundle } from "@/lib/export/bundle/read";
import { bundleFixture } from "@/test/bundle";
import { goldenChecks, importBundle } from "./import-bundle";
import { inProcessPredictors } from "@/test/stored-run";

describe("bundle import", () => {
  let input: BundleInput;
  beforeAll(async () => {
    await tf.setBackend("cpu");
    ({ input } = await bundleFixture());
  });

  it("reproduces every model's and the ensemble's golden probabilities from the bundle alone", async () => {
    const r = readBundle(buildBundle(input));
    if (!r.ok) throw new Error(r.error);
    const checks = await goldenChecks(r.bundle, inProcessPredictors);
    expect(checks.map((c) => c.model).sort()).toEqual(["ensemble", "forest", "lstm", "transformer"]);
    for (const c of checks) {
      expect(c.cases).toBe(12);
      expect(c.maxAbsDiff).toBeLessThan(1e-5);
    }
  });

  it("notices a model that no longer computes what golden.json says", async () => {
    const r = readBundle(buildBundle(input));
    if (!r.ok) throw new Error(r.error);
    const forest = r.bundle.forest!;
    // Reverse the class probabilities of every leaf: same structure, different function.
    const trees = forest.trees.map((t) => {
      const value = t.value.slice();
      for (let i = 0; i + 3 < value.length; i += 4) value.set([value[i + 3], value[i + 2], value[i + 1], value[i]], i);
      return { ...t, value };
    });
    const tampered: ReadBundle = { ...r.bundle, forest: { ...forest, trees } };
    const checks = await goldenChecks(tampered, inProcessPredictors);
    expect(checks.find((c) => c.model === "forest")!.maxAbsDiff).toBeGreaterThan(1e-3);
    expect(checks.find((c) => c.model === "lstm")!.maxAbsDiff).toBeLessThan(1e-5);
  });

  it("imports: golden vectors checked; without the training data here it says how to evaluate again", async () => {
    const res = await importBundle(buildBundle(input), inProcessPredictors, "bundle.zip");
    expect(res.runId).toBeUndefined();
    expect(res.reproduced).toBe(true);
    expect(res.golden.every((c) => c.maxAbsDiff < 1e-4)).toBe(true);
    expect(res.message).toMatch(
      /Golden vectors reproduced .* build the dataset they were trained on \(BTCUSDT, 15m\/1h\/4h, 80 rows\)/,
    );
  });

  it("refuses a damaged file with the reader's message", async () => {
    await expect(importBundle(new Uint8Array([1, 2, 3]), inProcessPredictors)).rejects.toThrow(/not a readable ZIP/);
  });
});
