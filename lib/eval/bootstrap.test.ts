import { describe, expect, it } from "vitest";
import { mulberry32 } from "../core/random";
import {
  autocorrelation,
  blockLengthFor,
  bootstrapPValue,
  percentileInterval,
  politisWhiteBlockLength,
  quantileSorted,
  stationaryBlocks,
} from "./bootstrap";

function ar1(n: number, phi: number, seed: number): Float64Array {
  const r = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const x = new Float64Array(n);
  for (let i = 1; i < n; i++) x[i] = phi * x[i - 1] + gauss();
  return x;
}

describe("block length from the measured autocorrelation", () => {
  it("autocorrelation of an AR(1) is φ^k", () => {
    const rho = autocorrelation(ar1(20_000, 0.6, 1), 3);
    [0.6, 0.36, 0.216].forEach((v, i) => expect(rho[i]).toBeCloseTo(v, 1));
    expect(Array.from(autocorrelation([2, 2, 2], 2))).toEqual([0, 0]);
  });

  it("Politis–White: near the AR(1) optimum (2φ/(1−φ²))^(2/3) n^(1/3), short for white noise", () => {
    // φ = 0.5, n = 10,000: (4/3)^(2/3) · 21.54 = 26.1 candles.
    const b = politisWhiteBlockLength(ar1(10_000, 0.5, 2));
    expect(b).toBeGreaterThan(18);
    expect(b).toBeLessThan(36);
    expect(politisWhiteBlockLength(ar1(10_000, 0, 3))).toBeLessThan(4);
    expect(politisWhiteBlockLength(ar1(10_000, 0.9, 4))).toBeGreaterThan(b);
    expect(politisWhiteBlockLength([1, 1, 1, 1, 1, 1])).toBe(1);
  });

  it("the studio's rule: the longest series decides, never shorter than the label horizon", () => {
    const white = ar1(5000, 0, 5);
    const sticky = ar1(5000, 0.8, 6);
    expect(blockLengthFor([white], 4)).toBe(4);
    const both = blockLengthFor([white, sticky], 4);
    expect(both).toBe(Math.ceil(politisWhiteBlockLength(sticky)));
    expect(both).toBeGreaterThan(4);
    expect(blockLengthFor([white.subarray(0, 3)], 10)).toBe(3); // capped at the series length
  });
});

describe("stationary bootstrap blocks", () => {
  it("draw exactly n positions in runs with geometric lengths of mean L", () => {
    const rand = mulberry32(7);
    let runs = 0;
    let blocks = 0;
    let total = 0;
    let bad = 0;
    const drawnPer: number[] = [];
    for (let b = 0; b < 500; b++) {
      let drawn = 0;
      let prevEnd = -1;
      stationaryBlocks(1000, 25, rand, (from, to) => {
        if (!(to > from && from >= 0 && to <= 1000)) bad++;
        if (!(from === 0 && prevEnd === 1000)) blocks++; // a wrapped block comes as two runs
        prevEnd = to;
        drawn += to - from;
        runs++;
      });
      drawnPer.push(drawn);
      total += drawn;
    }
    expect(bad).toBe(0);
    expect(new Set(drawnPer)).toEqual(new Set([1000]));
    // Mean block length ≈ 25 (the last block of each resample is cut short).
    expect(total / blocks).toBeGreaterThan(22);
    expect(total / blocks).toBeLessThan(26);
    expect(runs).toBeGreaterThanOrEqual(blocks);
  });
});

describe("percentile intervals and p-values", () => {
  it("quantiles interpolate between order statistics", () => {
    expect(quantileSorted([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantileSorted([1, 2, 3, 4, 5], 0.1)).toBeCloseTo(1.4, 12);
    const [lo, hi] = percentileInterval(
      Float64Array.from({ length: 101 }, (_, i) => 100 - i),
      0.9,
    );
    expect(lo).toBeCloseTo(5, 9);
    expect(hi).toBeCloseTo(95, 9);
    expect(percentileInterval([NaN, 1, 2, 3], 1)).toEqual([1, 3]);
  });
  it("two-sided p-value from the replicates' side of zero", () => {
    expect(bootstrapPValue(Float64Array.from({ length: 99 }, (_, i) => i + 1))).toBeCloseTo(2 / 100, 12);
    expect(bootstrapPValue([-1, 1, -2, 2])).toBe(1);
    expect(bootstrapPValue([])).toBe(1);
  });
});
