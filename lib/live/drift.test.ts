import { describe, expect, it } from "vitest";
import { binOf, binShares, featureDrift, fitBinEdges, psiFromShares, psiLevel, retrainAdvice } from "./drift";

const DAY = 24 * 3600 * 1000;

describe("PSI drift", () => {
  it("matches a hand-computed two-bin case", () => {
    // (0.25 - 0.5) ln(0.25/0.5) + (0.75 - 0.5) ln(0.75/0.5) = 0.25 ln 2 + 0.25 ln 1.5 = 0.274653
    expect(psiFromShares([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(0.25 * Math.LN2 + 0.25 * Math.log(1.5), 12);
    expect(psiFromShares([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(0.274653, 6);
    expect(psiFromShares([0.2, 0.3, 0.5], [0.2, 0.3, 0.5])).toBe(0);
  });

  it("floors an empty bin's share so the value stays finite", () => {
    // (1e-4 - 0.5) ln(1e-4 / 0.5) + (1 - 0.5) ln(1 / 0.5) = 0.4999 · ln(5000) + 0.5 ln 2
    const expected = 0.4999 * Math.log(5000) + 0.5 * Math.LN2;
    expect(psiFromShares([0.5, 0.5], [0, 1])).toBeCloseTo(expected, 10);
  });

  it("fits quantile cut points on the training values, one cut for a one-hot column", () => {
    expect(fitBinEdges([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(fitBinEdges([4, 1, 3, 2], 2)).toEqual([2]);
    expect(fitBinEdges([0, 0, 0, 0, 0, 0, 0, 1, 1, 1], 10)).toEqual([0]);
    expect(fitBinEdges([NaN, 5, 5, 5], 4)).toEqual([]);
    expect([0, 0.5, 1, 2, 3].map((x) => binOf(x, [1, 2]))).toEqual([0, 0, 0, 1, 2]);
    expect(binShares([0, 1, 1, 5, NaN], [0])).toEqual([0.25, 0.75]);
  });

  it("computes each feature's PSI over training rows only, with bins fitted there", () => {
    // Feature a: training values 1,2,3,4 (2 bins cut at 2); recent 3,4,4,4 → shares [0, 1]
    // against [0.5, 0.5]: the empty-bin case above. Feature b: the same distribution → 0.
    // Row 4 (value 100) is outside the training mask and must not move the cut point.
    const training = Float32Array.from([1, 10, 2, 20, 3, 10, 4, 20, 100, 10]);
    const mask = Uint8Array.from([1, 1, 1, 1, 0]);
    const recent = Float32Array.from([3, 20, 4, 10, 4, 10, 4, 20]);
    const d = featureDrift(["a", "b"], training, mask, recent, 2);
    expect(d[0].psi).toBeCloseTo(0.4999 * Math.log(5000) + 0.5 * Math.LN2, 6);
    expect(d[0].level).toBe("drifted");
    expect(d[1]).toEqual({ name: "b", psi: 0, level: "stable" });
  });

  it("reads levels and refuses mismatched shapes", () => {
    expect([0.05, 0.1, 0.25, 0.26].map(psiLevel)).toEqual(["stable", "moderate", "moderate", "drifted"]);
    expect(() => featureDrift(["a"], new Float32Array(3), new Uint8Array(2), new Float32Array(1))).toThrow(
      /expected 2 rows/,
    );
  });

  it("recommends a retrain when drifted or older than the cadence, saying why", () => {
    const t0 = Date.UTC(2025, 0, 1);
    expect(retrainAdvice([], t0, t0 + 29 * DAY)).toEqual({ recommended: false, ageDays: 29, reasons: [] });
    const old = retrainAdvice([], t0, t0 + 31 * DAY);
    expect(old.recommended).toBe(true);
    expect(old.reasons[0]).toMatch(/31 days old, past the 30-day retrain cadence/);
    const drifted = retrainAdvice([{ name: "1h_rsi", psi: 0.4, level: "drifted" }], t0, t0 + DAY, 30);
    expect(drifted.reasons).toEqual(["1 feature drifted (PSI > 0.25): 1h_rsi 0.40"]);
  });
});
