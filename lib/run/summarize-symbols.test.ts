import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { buildMultiSymbolDataset, testPositionsBySymbol } from "@/lib/core/multi-symbol";
import { mulberry32 } from "@/lib/core/random";
import { fixtureMarket } from "@/test/market";
import { runSummarySchema } from "./schema";
import { labelsAt, summarizeRun } from "./summarize";
import type { ModelOutcome } from "./types";

const sym = (symbol: string, seed: number) => {
  const m = fixtureMarket(4 * 24 * 60, seed);
  return { symbol, candles: m.candles, synthetic: true };
};
const { dataset: ds } = buildMultiSymbolDataset({ symbols: [sym("AAA", 1), sym("BBB", 2)], window: 24, createdAt: 0 });

/** Probabilities leaning to the true class on `hit` of the rows (seeded), else to another class. */
function probsFor(labels: Uint8Array, hit: number, seed: number): Float32Array {
  const r = mulberry32(seed);
  const out = new Float32Array(labels.length * 4).fill(0.1);
  for (let i = 0; i < labels.length; i++) out[i * 4 + (r() < hit ? labels[i] : (labels[i] + 1) % 4)] = 0.7;
  return out;
}
const outcome = (id: "transformer" | "lstm", seed: number): ModelOutcome => ({
  id,
  params: {},
  valProbs: probsFor(labelsAt(ds, ds.split.val), 0.5, seed),
  testProbs: probsFor(labelsAt(ds, ds.split.test), 0.5, seed + 1),
  seconds: 1,
});

describe("per-symbol figures of a multi-symbol run", () => {
  const { summary, metrics } = summarizeRun(ds, [outcome("transformer", 1), outcome("lstm", 3)], {
    fingerprint: "0123456789abcdef",
    createdAt: 0,
  });
  const pos = testPositionsBySymbol(ds)!;

  it("scores every result on each symbol's test samples: the pooled accuracy is their weighted mean", () => {
    expect(summary.perSymbol!.map((p) => [p.symbol, p.samples])).toEqual([
      ["AAA", pos[0].length],
      ["BBB", pos[1].length],
    ]);
    expect(pos[0].length + pos[1].length).toBe(ds.split.test.length);
    for (const r of summary.results) {
      const per = summary.perSymbol!.map((p) => p.results.find((x) => x.id === r.id)!.accuracy);
      const weighted = (per[0] * pos[0].length + per[1] * pos[1].length) / ds.split.test.length;
      expect(weighted).toBeCloseTo(r.metrics.accuracy, 12);
    }
  });

  it("backtests each symbol on its own rows; the run's backtest trades the first symbol", () => {
    expect(summary.backtest!.symbol).toBe("AAA");
    expect(summary.perSymbol![0].backtest!.totalReturn).toBeCloseTo(summary.backtest!.totalReturn, 12);
    expect(summary.perSymbol![0].backtest!.model).toBe("ensemble");
    expect(metrics.ensemble.backtest).toBeDefined();
    // The equity curve covers the first symbol's test rows only, not the rows between blocks.
    const aTest = ds.split.test.filter((t) => ds.rowSymbol![t] === 0);
    expect(summary.backtest!.equity.length).toBe(aTest[aTest.length - 1] + ds.labelSpec.horizon - aTest[0] + 1);
    expect(v.safeParse(runSummarySchema, summary).issues).toBeUndefined();
  });
});
