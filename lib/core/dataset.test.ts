import { describe, expect, it } from "vitest";
import * as v from "valibot";
import { buildDataset, buildDatasetDetailed, relabelDataset, sampleEnds } from "./build-dataset";
import { NO_LABEL } from "./classes";
import { classBalance } from "./labels";
import { datasetSchema } from "./dataset-schema";
import { fitNormalization, normalizedSource } from "./normalize";
import { qualityReport } from "./quality";
import { fixtureMarket } from "@/test/market";
import { flatFeatureNames, flattenWindows, gatherWindows, lastSteps } from "./windows";

const m = fixtureMarket(4 * 24 * 120, 5); // 120 days of 15m -> 2,880 base rows
const input = {
  candles: m.candles,
  alt: { funding: m.funding, fearGreed: m.fearGreed },
  symbol: "TEST",
  synthetic: true,
  createdAt: 0,
};

describe("buildDataset", () => {
  const { dataset: ds, stats } = buildDatasetDetailed(input);
  const F = ds.features.length;

  it("drops warm-up rows, keeps a finite [T, F] matrix and labels", () => {
    expect(F).toBe(42);
    expect(stats.droppedWarmup).toBeGreaterThan(130);
    expect(ds.rows).toBe(stats.baseCandles - stats.droppedWarmup - stats.droppedUnaligned - stats.droppedNonFinite);
    expect(ds.matrix.length).toBe(ds.rows * F);
    expect(ds.matrix.every((v) => Number.isFinite(v))).toBe(true);
    expect(ds.times[0]).toBe(m.candles["1h"].openTime[stats.droppedWarmup]);
    expect(ds.fallbackFeatures).toEqual(["alt_onchain_score", "alt_sentiment_score"]);
    // labels agree with forward returns of the base candles
    const t = 500;
    const i = stats.droppedWarmup + t;
    const c = m.candles["1h"].close;
    expect(ds.forwardReturns[t]).toBeCloseTo(c[i + 4] / c[i] - 1, 6);
    expect(ds.labels[ds.rows - 1]).toBe(NO_LABEL); // no future yet
  });

  it("split parts are labelled, ordered and windows are full", () => {
    for (const part of [ds.split.train, ds.split.val, ds.split.test]) {
      expect(part.length).toBeGreaterThan(100);
      for (const t of part) {
        expect(t).toBeGreaterThanOrEqual(ds.window - 1);
        expect(ds.labels[t]).not.toBe(NO_LABEL);
      }
    }
    expect(ds.split.train[ds.split.train.length - 1] + 4).toBeLessThan(ds.split.val[0] - ds.window + 1);
  });

  it("normalisation statistics ignore validation and test data", () => {
    const tampered = ds.matrix.slice();
    const firstVal = ds.split.val[0] - ds.window + 1;
    for (let k = firstVal * F; k < tampered.length; k++) tampered[k] = tampered[k] * 3 + 7;
    const n2 = fitNormalization(tampered, ds.rows, F, ds.split.train, ds.window);
    expect(Array.from(n2.mean)).toEqual(Array.from(ds.normalization.mean));
    expect(Array.from(n2.std)).toEqual(Array.from(ds.normalization.std));
    const fb = ds.features.findIndex((f) => f.name === "alt_onchain_score");
    expect(ds.normalization.std[fb]).toBe(1); // constant -> std 1
    const src = normalizedSource(ds);
    // training rows are ~standardised
    let s = 0,
      n = 0;
    for (let r = 0; r <= ds.split.train[ds.split.train.length - 1]; r++, n++) s += src.matrix[r * F];
    expect(Math.abs(s / n)).toBeLessThan(0.05);
  });

  it("windows are views gathered on demand; flat names follow the guide", () => {
    const src = normalizedSource(ds);
    const ends = ds.split.val.subarray(0, 3);
    const x = gatherWindows(src, ends);
    expect(x.length).toBe(3 * ds.window * F);
    const t = ends[1];
    expect(x[1 * ds.window * F + (ds.window - 1) * F + 5]).toBe(src.matrix[t * F + 5]);
    expect(x[1 * ds.window * F + 0 * F + 2]).toBe(src.matrix[(t - ds.window + 1) * F + 2]);
    const flat = flattenWindows(src, ends, lastSteps(ds.window, 2));
    expect(flat.length).toBe(3 * 2 * F);
    expect(flat[2 * 2 * F + F + 7]).toBe(src.matrix[ends[2] * F + 7]);
    const names = flatFeatureNames(
      ds.features.map((f) => f.name),
      ds.window,
      lastSteps(ds.window, 1),
    );
    expect(names).toContain("feat_1h_rsi_t119");
    expect(names).toHaveLength(F);
    expect(() => gatherWindows(src, Int32Array.from([3]))).toThrow();
  });

  it("relabels with new thresholds without rebuilding features", () => {
    const ds2 = relabelDataset(ds, { strong: 0.03, weakZone: "exclude" });
    expect(ds2.matrix).toBe(ds.matrix);
    const b = classBalance(ds2.forwardReturns, ds2.labelSpec, sampleEnds(ds2));
    expect(b.excluded).toBe(0); // sampleEnds already excludes them
    expect(ds2.split.train.length).toBeLessThan(ds.split.train.length);
    const ds3 = relabelDataset(ds, { atrScaled: true });
    expect(ds3.labels.some((l, i) => l !== ds.labels[i])).toBe(true);
  });

  it("quality report: shape, counts, signs with remedies", () => {
    const q = qualityReport(ds, stats);
    expect(q.samples).toBe(sampleEnds(ds).length);
    expect(q.shape).toBe(`${q.samples.toLocaleString("en-US")} x 120 x 42`);
    expect(q.classCounts.overall.reduce((a, b) => a + b, 0)).toBe(q.samples);
    expect(q.classCounts.train.reduce((a, b) => a + b, 0)).toBe(ds.split.train.length);
    expect(q.nanCount + q.infCount).toBe(0);
    expect(q.constantFeatures).toEqual(expect.arrayContaining(["alt_onchain_score", "alt_sentiment_score"]));
    const samples = q.signs.find((s) => s.id === "samples")!;
    expect(samples.status).toBe("bad"); // < 5,000 samples here
    expect(samples.remedy).toMatch(/Collect more data/);
    const skewed = relabelDataset(ds, { strong: 0.5, weak: 0.4 });
    const q2 = qualityReport(skewed);
    expect(q2.signs.find((s) => s.id === "all-classes")!.status).toBe("bad");
    expect(q2.signs.find((s) => s.id === "all-classes")!.remedy).toMatch(/thresholds/);
  });

  it("is deterministic and fast enough (2 years of 1h in well under 1 s)", () => {
    const big = fixtureMarket(4 * 24 * 730, 9);
    const t0 = performance.now();
    const d = buildDataset({ ...input, candles: big.candles, alt: { funding: big.funding, fearGreed: big.fearGreed } });
    const ms = performance.now() - t0;
    expect(d.rows).toBeGreaterThan(17_000);
    expect(ms).toBeLessThan(1000);
    const again = buildDataset(input);
    expect(Array.from(again.matrix.subarray(0, 500))).toEqual(Array.from(ds.matrix.subarray(0, 500)));
  });
});

describe("fit thresholds in a build", () => {
  const { dataset: ds } = buildDatasetDetailed({ ...input, labelSpec: { fitTarget: 0.15 } });
  it("labels with the thresholds fitted on the training part and saves them with the dataset", () => {
    const fit = ds.thresholdFit!;
    expect(fit).toBeDefined();
    expect(ds.labelSpec).toMatchObject({ strong: fit.strong, weak: fit.weak, fitTarget: 0.15 });
    expect(fit.reached).toBe(true);
    const train = classBalance(ds.forwardReturns, ds.labelSpec, ds.split.train);
    expect(Math.min(...train.fractions)).toBe(fit.rarest);
    expect(fit.rarest).toBeGreaterThanOrEqual(0.15);
    expect(v.safeParse(datasetSchema, ds).issues).toBeUndefined();
  });
  it("relabelling without a target drops the old fit; with one, refits", () => {
    const fixed = relabelDataset(ds, { fitTarget: undefined, strong: 0.015, weak: 0.005 });
    expect(fixed.thresholdFit).toBeUndefined();
    expect(fixed.labelSpec.strong).toBe(0.015);
    const again = relabelDataset(fixed, { fitTarget: 0.2 });
    expect(again.thresholdFit!.target).toBe(0.2);
    expect(again.thresholdFit!.strong).toBeLessThan(ds.thresholdFit!.strong);
  });
});
