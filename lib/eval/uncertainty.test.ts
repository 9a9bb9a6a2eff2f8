import { describe, expect, it } from "vitest";
import { mulberry32 } from "../core/random";
import { barReturns, sharpeRatio } from "./backtest";
import { classificationMetrics } from "./metrics";
import { bootstrapIntervals, bootstrapTestSequence, type ProbSeries } from "./uncertainty";

/**
 * Labels that persist (as overlapping labels do) and results of varying skill whose right and
 * wrong spells persist too (as a model's do), so correctness is autocorrelated.
 */
function fixture(n: number, seed: number) {
  const r = mulberry32(seed);
  const labels = new Uint8Array(n);
  for (let i = 1; i < n; i++) labels[i] = r() < 0.2 ? Math.floor(r() * 4) : labels[i - 1];
  const result = (skill: number): Float32Array => {
    const p = new Float32Array(n * 4);
    let right = false;
    let guess = 0;
    for (let i = 0; i < n; i++) {
      if (r() < 0.1) {
        right = r() < skill;
        guess = Math.floor(r() * 4);
      }
      const c = right ? labels[i] : guess;
      for (let j = 0; j < 4; j++) p[i * 4 + j] = j === c ? 0.55 : 0.15;
    }
    return p;
  };
  return { labels, result };
}

describe("block bootstrap of the test sequence", () => {
  const n = 600;
  const { labels, result } = fixture(n, 1);
  const results: ProbSeries[] = [
    { id: "good", probs: result(0.5) },
    { id: "noise", probs: result(0) },
  ];

  it("a single block covering the sequence reproduces every observed figure exactly", () => {
    // Mean block 1e12: each resample is one rotation of the whole (circular) sequence.
    const returns = Float64Array.from({ length: n }, (_, i) => 0.01 * Math.sin(i));
    const boot = bootstrapTestSequence({ labels }, results, [{ id: "good", returns, periodsPerYear: 8760 }], {
      horizon: 4,
      resamples: 20,
      blockLength: 1e12,
    });
    for (const r of results) {
      const m = classificationMetrics(labels, r.probs);
      const rep = boot.classification[r.id];
      for (let b = 0; b < 20; b++) {
        expect(rep.accuracy[b]).toBeCloseTo(m.accuracy, 12);
        expect(rep.balancedAccuracy[b]).toBeCloseTo(m.balancedAccuracy, 12);
        expect(rep.logLoss[b]).toBeCloseTo(m.logLoss, 6); // float32 probabilities vs float64 sums
      }
    }
    const total = returns.reduce((e, x) => e * (1 + x), 1) - 1;
    for (let b = 0; b < 20; b++) {
      expect(boot.bars.good.totalReturn[b]).toBeCloseTo(total, 10);
      expect(boot.bars.good.sharpe[b]).toBeCloseTo(sharpeRatio(returns, 8760), 9);
    }
  });

  it("pairs: two ids with the same predictions differ by exactly 0 in every resample", () => {
    const boot = bootstrapTestSequence({ labels }, [...results, { id: "twin", probs: results[0].probs }], [], {
      horizon: 4,
      resamples: 200,
    });
    for (let b = 0; b < 200; b++)
      expect(boot.classification.twin.accuracy[b]).toBe(boot.classification.good.accuracy[b]);
    // The block is at least the horizon and follows the labels' persistence (runs of ~5).
    expect(boot.blockLength).toBeGreaterThanOrEqual(4);
  });

  it("95% intervals hold the observed figure and are wider than the independent-sample band", () => {
    const boot = bootstrapTestSequence({ labels }, results, [], { horizon: 4, resamples: 1000 });
    const ci = bootstrapIntervals(boot).classification.good;
    const m = classificationMetrics(labels, results[0].probs);
    expect(ci.accuracy[0]).toBeLessThan(m.accuracy);
    expect(ci.accuracy[1]).toBeGreaterThan(m.accuracy);
    expect(ci.balancedAccuracy[0]).toBeLessThan(m.balancedAccuracy);
    expect(ci.logLoss[1]).toBeGreaterThan(m.logLoss);
    const binomial = 2 * 1.96 * Math.sqrt((m.accuracy * (1 - m.accuracy)) / n);
    expect(ci.accuracy[1] - ci.accuracy[0]).toBeGreaterThan(binomial); // persistence widens it
  });

  it("positions on a candle grid: holes carry bar returns but no sample", () => {
    const equity = Float64Array.from([1, 1.01, 1.02, 1.0, 1.03, 1.05]);
    const boot = bootstrapTestSequence(
      { labels: Uint8Array.from([0, 1, 1]), positions: [0, 2, 5], gridLength: 6 },
      [{ id: "m", probs: Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]) }],
      [{ id: "m", returns: barReturns(equity), periodsPerYear: 8760 }],
      { horizon: 1, resamples: 10, blockLength: 1e12 },
    );
    expect(Array.from(boot.classification.m.accuracy)).toEqual(new Array(10).fill(2 / 3));
    expect(boot.bars.m.totalReturn[0]).toBeCloseTo(0.05, 12);
    expect(() =>
      bootstrapTestSequence({ labels: Uint8Array.from([0, 1]), positions: [3, 3] }, [], [], { horizon: 1 }),
    ).toThrow(/not increasing/);
  });

  it("6 results × 2,300 samples × 2,000 resamples in well under a second", () => {
    const big = fixture(2300, 2);
    const six = Array.from({ length: 6 }, (_, j) => ({ id: `r${j}`, probs: big.result(j / 10) }));
    const returns = Float64Array.from({ length: 2300 }, (_, i) => 0.001 * Math.cos(i / 7));
    bootstrapTestSequence({ labels: big.labels }, six, [], { horizon: 4, resamples: 50 }); // warm up the JIT
    const t0 = performance.now();
    const boot = bootstrapTestSequence({ labels: big.labels }, six, [{ id: "r0", returns, periodsPerYear: 8760 }], {
      horizon: 4,
      resamples: 2000,
    });
    const ms = performance.now() - t0;
    expect(boot.resamples).toBe(2000);
    expect(ms).toBeLessThan(500);
  });
});
