import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { sliceColumns, type CandleColumns } from "./candles";
import { buildDataset, relabelDataset, sampleEnds } from "./build-dataset";
import { datasetSchema } from "./dataset-schema";
import type { Interval } from "./intervals";
import { buildMultiSymbolDataset, pooledSymbolLabel, type SymbolInput } from "./multi-symbol";
import { fitNormalization, normalizedSource } from "./normalize";
import { qualityReport } from "./quality";
import { fixtureMarket } from "@/test/market";

const H = 3_600_000;
/** A symbol of `days` days of 15m (with 1h and 4h) from `start`; alt data synthetic-free (fallbacks). */
function symbolOf(symbol: string, seed: number, days: number, start = Date.UTC(2023, 0, 1)): SymbolInput {
  const m = fixtureMarket(4 * 24 * days, seed, start);
  return { symbol, candles: m.candles, alt: { funding: m.funding, fearGreed: m.fearGreed }, synthetic: true };
}
/** The same symbol with its prices after `from` (ms) replaced by another walk (a different future). */
function withOtherFuture(s: SymbolInput, from: number, seed: number): SymbolInput {
  const other = fixtureMarket(s.candles["15m"]!.openTime.length, seed, s.candles["15m"]!.openTime[0]);
  const candles: Partial<Record<Interval, CandleColumns>> = {};
  for (const tf of ["15m", "1h", "4h"] as const) {
    const c = s.candles[tf]!;
    const k = c.openTime.findIndex((t) => t >= from);
    const o = other.candles[tf];
    const out = sliceColumns(c, 0, c.openTime.length);
    for (const key of Object.keys(out) as (keyof CandleColumns)[])
      if (key !== "openTime") out[key].set(o[key].subarray(k), k);
    candles[tf] = out;
  }
  return { ...s, candles };
}

const a = symbolOf("AAAUSDT", 1, 90);
const b = symbolOf("BBBUSDT", 2, 90);
const c = symbolOf("CCCUSDT", 3, 60, Date.UTC(2023, 0, 31)); // starts a month later
const opts = { window: 24, createdAt: 0 };

describe("multi-symbol datasets", () => {
  const { dataset: ds, stats } = buildMultiSymbolDataset({ symbols: [a, b, c], ...opts });
  const rowsOf = (s: number) => ds.rowSymbol!.filter((x) => x === s).length;

  it("stacks each symbol's rows as one block, with the symbol's own features and returns", () => {
    const single = buildDataset({ ...b, ...opts });
    expect(ds.symbols).toEqual(["AAAUSDT", "BBBUSDT", "CCCUSDT"]);
    expect(ds.symbol).toBe(pooledSymbolLabel(ds.symbols!));
    expect(ds.rows).toBe(stats.perSymbol.reduce((n, p) => n + (p.stats.baseCandles - p.stats.droppedWarmup), 0));
    expect(rowsOf(1)).toBe(single.rows);
    const off = rowsOf(0);
    expect(Array.from(ds.matrix.subarray(off * 42, (off + 5) * 42))).toEqual(
      Array.from(single.matrix.subarray(0, 5 * 42)),
    );
    expect(Array.from(ds.forwardReturns.subarray(off, off + single.rows))).toEqual(Array.from(single.forwardReturns));
    expect(v.safeParse(datasetSchema, ds).issues).toBeUndefined();
  });

  it("no window crosses a symbol boundary, including the full sample set", () => {
    for (const t of sampleEnds(ds)) expect(ds.rowSymbol![t - ds.window + 1]).toBe(ds.rowSymbol![t]);
  });

  it("one split by time: every symbol tests in the same period, after every symbol's training labels", () => {
    const timeOf = (ends: Int32Array) => Array.from(ends, (t) => ds.times[t]);
    const trainEnd = Math.max(...timeOf(ds.split.train)) + ds.labelSpec.horizon * H; // last label's candle
    const valStart = Math.min(...timeOf(ds.split.val)) - (ds.window - 1) * H; // first window's first row
    const testStart = Math.min(...timeOf(ds.split.test)) - (ds.window - 1) * H;
    const valEnd = Math.max(...timeOf(ds.split.val)) + ds.labelSpec.horizon * H;
    expect(trainEnd).toBeLessThan(valStart);
    expect(valEnd).toBeLessThan(testStart);
    for (let s = 0; s < 3; s++) {
      const test = ds.split.test.filter((t) => ds.rowSymbol![t] === s);
      expect(test.length).toBeGreaterThan(50);
      expect(Math.min(...timeOf(test))).toBeLessThan(testStart + (ds.window + 2) * H); // each starts at the boundary
    }
  });

  it("no symbol's future informs another's training: a different later B leaves training, fits and normalisation unchanged", () => {
    const fitted = { ...opts, labelSpec: { fitTarget: 0.15, atrScaled: true } };
    const before = buildMultiSymbolDataset({ symbols: [a, b, c], ...fitted, normalization: "per-symbol" }).dataset;
    const valStart = Math.min(...Array.from(before.split.val, (t) => before.times[t])) - (before.window - 1) * H;
    const changed = withOtherFuture(b, valStart, 99);
    const after = buildMultiSymbolDataset({ symbols: [a, changed, c], ...fitted, normalization: "per-symbol" }).dataset;
    expect(Array.from(after.split.train)).toEqual(Array.from(before.split.train));
    expect(after.thresholdFit).toEqual(before.thresholdFit);
    expect(Array.from(after.normalization.mean)).toEqual(Array.from(before.normalization.mean));
    expect(Array.from(after.symbolNormalization!.std)).toEqual(Array.from(before.symbolNormalization!.std));
    // ... and the change is real: B's last rows (its test part) differ.
    const endB = rowsOf(0) + rowsOf(1);
    const lastB = (d: typeof before) => Array.from(d.matrix.subarray((endB - 100) * 42, endB * 42));
    expect(lastB(after)).not.toEqual(lastB(before));
  });

  it("normalisation pooled or per symbol, fitted on the training part; one-hot columns stay 0/1", () => {
    const per = buildMultiSymbolDataset({
      symbols: [a, b, c],
      ...opts,
      normalization: "per-symbol",
      symbolOneHot: true,
    }).dataset;
    const F = per.features.length;
    expect(F).toBe(45);
    expect(per.features.slice(42).map((f) => f.name)).toEqual(["symbol_AAAUSDT", "symbol_BBBUSDT", "symbol_CCCUSDT"]);
    const trainB = per.split.train.filter((t) => per.rowSymbol![t] === 1);
    const own = fitNormalization(per.matrix, per.rows, F, trainB, per.window);
    expect(Array.from(per.symbolNormalization!.mean.subarray(F, F + 42))).toEqual(Array.from(own.mean.subarray(0, 42)));
    expect(Array.from(per.symbolNormalization!.mean.subarray(F + 42, 2 * F))).toEqual([0, 0, 0]);
    const src = normalizedSource(per);
    const r = per.split.test[per.split.test.length - 1]; // a C row
    expect(Array.from(src.matrix.subarray(r * F + 42, r * F + 45))).toEqual([0, 0, 1]);
    expect(src.matrix[r * F]).toBeCloseTo(
      (per.matrix[r * F] - per.symbolNormalization!.mean[2 * F]) / per.symbolNormalization!.std[2 * F],
      5,
    );
    const pooled = fitNormalization(ds.matrix, ds.rows, 42, ds.split.train, ds.window);
    expect(Array.from(ds.normalization.mean)).toEqual(Array.from(pooled.mean));
    expect(ds.symbolNormalization).toBeUndefined();
    expect(v.safeParse(datasetSchema, per).issues).toBeUndefined();
  });

  it("relabelling keeps the time split and the per-symbol normalisation", () => {
    const per = buildMultiSymbolDataset({ symbols: [a, b, c], ...opts, normalization: "per-symbol" }).dataset;
    const re = relabelDataset(per, { horizon: 6 });
    for (const t of sampleEnds(re)) expect(re.rowSymbol![t - re.window + 1]).toBe(re.rowSymbol![t]);
    const lastA = rowsOf(0) - 1;
    expect(Number.isNaN(re.forwardReturns[lastA - 2])).toBe(true); // no return reaching into B's prices
    expect(re.symbolNormalization).toBeDefined();
  });

  it("the quality report has a part per symbol", () => {
    const q = qualityReport(ds, stats.pooled);
    expect(q.perSymbol!.map((p) => p.symbol)).toEqual(ds.symbols);
    expect(q.perSymbol!.reduce((n, p) => n + p.samples, 0)).toBe(q.samples);
    expect(q.perSymbol!.map((p) => p.rows)).toEqual([rowsOf(0), rowsOf(1), rowsOf(2)]);
  });

  it("refuses one symbol, a repeated one, and a schema-breaking rowSymbol", () => {
    expect(() => buildMultiSymbolDataset({ symbols: [a] })).toThrow("pools 2..32 symbols, not 1");
    expect(() => buildMultiSymbolDataset({ symbols: [a, a] })).toThrow("Symbol AAAUSDT is given twice");
    const broken = { ...ds, rowSymbol: Uint8Array.from(ds.rowSymbol!, (s, i) => (i === 5 ? 2 : s)) };
    expect(v.safeParse(datasetSchema, broken).issues?.[0].message).toMatch(/rows of symbol .* are not one block/);
  });
});
