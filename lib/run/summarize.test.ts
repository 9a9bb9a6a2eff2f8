import { describe, expect, it } from "vitest";
import { buildDataset } from "@/lib/core/build-dataset";
import { mulberry32 } from "@/lib/core/random";
import { decodeSharedRun, encodeSharedRun } from "@/lib/export/share";
import { fixtureMarket } from "@/test/market";
import { summarizeRun } from "./summarize";
import type { ModelOutcome } from "./types";

describe("the run's evaluation carries intervals and the paired verdict", () => {
  const m = fixtureMarket(4 * 24 * 90, 9);
  const dataset = buildDataset({ candles: m.candles, symbol: "T", window: 24, createdAt: 0 });
  const rand = mulberry32(4);
  // Label-blind predictions: no model has skill, so none may be called better.
  const probs = (n: number) => {
    const p = new Float32Array(n * 4);
    for (let i = 0; i < p.length; i++) p[i] = rand();
    return p;
  };
  const outcomes: ModelOutcome[] = (["transformer", "lstm", "forest"] as const).map((id) => ({
    id,
    params: {},
    valProbs: probs(dataset.split.val.length),
    testProbs: probs(dataset.split.test.length),
    seconds: 0,
  }));
  const ev = summarizeRun(dataset, outcomes, { fingerprint: "00", createdAt: 0, resamples: 500 });
  const s = ev.summary;

  it("every result has 95% intervals around its figures", () => {
    expect(s.results).toHaveLength(8);
    for (const r of s.results) {
      const ci = r.metrics.ci95!;
      expect(ci.accuracy[0]).toBeLessThanOrEqual(r.metrics.accuracy);
      expect(ci.accuracy[1]).toBeGreaterThanOrEqual(r.metrics.accuracy);
      expect(ci.balancedAccuracy[0]).toBeLessThanOrEqual(r.metrics.balancedAccuracy); // majority: exactly 1/4 in every resample
      expect(ci.balancedAccuracy[1]).toBeGreaterThanOrEqual(r.metrics.balancedAccuracy);
      if (r.metrics.logLoss !== null) expect(ci.logLoss![0]).toBeLessThan(ci.logLoss![1]);
    }
    expect(ev.metrics.ensemble.ci95!.test_accuracy).toEqual(
      s.results.find((r) => r.id === "ensemble")!.metrics.ci95!.accuracy,
    );
    expect(ev.metrics.lstm.ci95!.sharpe_ratio).toHaveLength(2);
    expect(s.uncertainty).toMatchObject({ method: "stationary-block-bootstrap", resamples: 500, alpha: 0.05 });
    expect(s.uncertainty!.blockLength).toBeGreaterThanOrEqual(dataset.labelSpec.horizon);
  });

  it("the verdict compares the five models and ensembles with the best baseline, Holm-corrected", () => {
    expect(s.verdict!.map((v) => [v.metric, v.method, v.comparisons])).toEqual([
      ["accuracy", "paired-block-bootstrap", 5],
      ["balancedAccuracy", "paired-block-bootstrap", 5],
    ]);
    for (const v of s.verdict!) {
      expect(v.rows.every((r) => !r.clear)).toBe(true);
      expect(Math.max(...v.rows.map((r) => r.level))).toBeCloseTo(1 - 0.05 / 5, 12);
    }
  });

  it("the traded backtest has intervals and a probabilistic Sharpe ratio", () => {
    const b = s.backtest!;
    expect(b.ci95!.totalReturn[0]).toBeLessThan(b.ci95!.totalReturn[1]);
    expect(b.ci95!.sharpe[0]).toBeLessThan(b.ci95!.sharpe[1]);
    expect(b.probabilisticSharpe).toBeGreaterThanOrEqual(0);
    expect(b.probabilisticSharpe).toBeLessThanOrEqual(1);
    // Deflated for every strategy backtested on the same candles: never above the PSR against 0
    // while the best-by-luck benchmark is above 0.
    const d = b.deflatedSharpe!;
    expect(d.trials).toBeGreaterThanOrEqual(3);
    expect(d.benchmarkSharpe).toBeGreaterThan(0);
    expect(d.dsr).toBeLessThanOrEqual(b.probabilisticSharpe!);
  });

  it("a share link carries the intervals and the verdict", () => {
    const shared = decodeSharedRun(encodeSharedRun(s));
    expect(shared.ok).toBe(true);
    if (!shared.ok) return;
    expect(shared.run.verdict!.map((v) => v.rows.length)).toEqual([5, 5]);
    expect(shared.run.results[0].metrics.ci95!.accuracy[0]).toBeCloseTo(s.results[0].metrics.ci95!.accuracy[0], 3);
    expect(shared.run.backtest!.ci95).toBeDefined();
    expect(shared.run.uncertainty).toEqual(s.uncertainty);
  });
});
