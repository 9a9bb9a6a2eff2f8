import { describe, expect, it } from "vitest";
import type { WindowSource } from "../core/dataset";
import {
  aggregateImportances,
  knownProbsFor,
  parseFeatureName,
  permutationImportance,
  rowsCoveredByWindows,
  topImportances,
} from "./importance";
import { mulberry32 } from "./random";

describe("permutation importance", () => {
  // T rows, 3 features: feature 0 decides the class (sign of the mean of the last 2 rows),
  // feature 1 is noise the model ignores, feature 2 is unused.
  const T = 400;
  const F = 3;
  const r = mulberry32(3);
  const matrix = new Float32Array(T * F).map(() => r() * 2 - 1);
  const source: WindowSource = { matrix, rows: T, features: F, window: 2 };
  const predict = (m: Float32Array, ends: Int32Array) => {
    const out = new Float32Array(ends.length * 4);
    ends.forEach((e, i) => {
      const v = m[e * F] + m[(e - 1) * F];
      out[i * 4 + (v > 0 ? 3 : 0)] = 0.9;
      out[i * 4 + (v > 0 ? 0 : 3)] = 0.1;
    });
    return out;
  };
  const ends = Int32Array.from({ length: 150 }, (_, i) => 200 + i);
  const labels = Uint8Array.from(
    predict(matrix, ends).filter((_, j) => j % 4 === 0),
    (p0) => (p0 > 0.5 ? 0 : 3),
  );

  it("finds the feature the model uses and leaves the source untouched", async () => {
    const before = matrix.slice();
    const res = await permutationImportance(source, ends, labels, predict, {
      repeats: 3,
      seed: 5,
      featureNames: ["1h_rsi", "1h_macd", "4h_adx"],
    });
    expect(res.baseline).toBe(1);
    const [f0, f1, f2] = res.features;
    expect(f0.name).toBe("1h_rsi");
    expect(f0.importance).toBeGreaterThan(0.3); // random sign → about half wrong
    expect(f1.importance).toBe(0);
    expect(f2.importance).toBe(0);
    expect(f0.repeats).toHaveLength(3);
    expect(matrix).toEqual(before);
  });
  it("is deterministic per seed and per feature, and supports log loss and async models", async () => {
    const a = await permutationImportance(source, ends, labels, predict, { seed: 9, features: [0, 1] });
    const b = await permutationImportance(source, ends, labels, async (m, e) => predict(m, e), {
      seed: 9,
      features: [0],
    });
    expect(b.features[0].repeats).toEqual(a.features[0].repeats);
    const ll = await permutationImportance(source, ends, labels, predict, { metric: "logLoss", features: [0, 1] });
    expect(ll.baseline).toBeCloseTo(-Math.log(0.9), 5);
    expect(ll.features[0].importance).toBeGreaterThan(0.3);
    expect(ll.features[1].importance).toBeCloseTo(0, 12);
  });
  it("reads its baseline from known probabilities instead of predicting again, with the same result", async () => {
    let calls = 0;
    const counted = (m: Float32Array, e: Int32Array) => (calls++, predict(m, e));
    const fresh = await permutationImportance(source, ends, labels, counted, { repeats: 2, seed: 4 });
    const freshCalls = calls;
    calls = 0;
    // The known sets cover the windows in two pieces and in another order.
    const a = ends.slice(100);
    const b = ends.slice(0, 100);
    const known = [
      { ends: a, probs: predict(matrix, a) },
      { ends: b, probs: predict(matrix, b) },
    ];
    const reused = await permutationImportance(source, ends, labels, counted, { repeats: 2, seed: 4, known });
    expect(reused).toEqual(fresh);
    expect(calls).toBe(freshCalls - 1);
    expect(knownProbsFor(ends, known)).toEqual(predict(matrix, ends));
    // A window the known sets lack: the baseline is predicted.
    expect(knownProbsFor(Int32Array.from([5]), known)).toBeUndefined();
  });
  it("aborts when asked", async () => {
    await expect(permutationImportance(source, ends, labels, predict, { signal: { aborted: true } })).rejects.toThrow(
      /aborted/,
    );
  });
  it("covers exactly the rows the windows read", () => {
    expect(Array.from(rowsCoveredByWindows([1, 5, 6], 3, 10))).toEqual([0, 1, 3, 4, 5, 6]);
  });
});

describe("aggregation by name", () => {
  it("parses feature and forest input names", () => {
    expect(parseFeatureName("feat_1h_rsi_t119")).toEqual({ base: "1h_rsi", timeframe: "1h", family: "rsi", lag: 119 });
    expect(parseFeatureName("4h_bb_width")).toEqual({
      base: "4h_bb_width",
      timeframe: "4h",
      family: "bb_width",
      lag: null,
    });
    expect(parseFeatureName("feat_alt_sentiment_score_t0")).toMatchObject({
      timeframe: "alt",
      family: "sentiment_score",
      lag: 0,
    });
    expect(parseFeatureName("regime_trend_up")).toMatchObject({ timeframe: "regime", family: "regime" });
  });
  it("sums per base, timeframe and family", () => {
    const names = [
      "feat_1h_rsi_t118",
      "feat_1h_rsi_t119",
      "feat_4h_rsi_t119",
      "feat_1h_macd_t119",
      "feat_regime_trend_up_t119",
      "feat_regime_range_t119",
    ];
    const vals = [0.1, 0.2, 0.3, 0.15, 0.05, 0.2];
    const tf = aggregateImportances(names, vals, "timeframe");
    expect(tf.map((g) => g.key)).toEqual(["1h", "4h", "regime"]);
    expect(tf[0].importance).toBeCloseTo(0.45, 12);
    expect(tf[0].count).toBe(3);
    const fam = aggregateImportances(names, vals, "family");
    expect(fam.map((g) => [g.key, +g.importance.toFixed(6)])).toEqual([
      ["rsi", 0.6],
      ["regime", 0.25],
      ["macd", 0.15],
    ]);
    const base = aggregateImportances(names, vals, "base");
    expect(base[0]).toEqual({ key: "1h_rsi", importance: expect.closeTo(0.3, 12), count: 2 });
    expect(topImportances(names, vals, 2).map((t) => t.name)).toEqual(["feat_4h_rsi_t119", "feat_1h_rsi_t119"]);
  });
});
