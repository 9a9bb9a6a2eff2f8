import { describe, expect, it } from "vitest";
import { aggregateColumns } from "../../core/aggregate";
import { CANDLE_FIELDS, findGaps } from "../../core/candles";
import { syntheticFearGreed, syntheticFundingRates } from "./alt";
import {
  SYNTHETIC_REGIMES,
  generateSyntheticMarket,
  generateSyntheticMarketWithRegimes,
  syntheticSeries,
} from "./market";

const start = Date.UTC(2023, 0, 1);
const end = Date.UTC(2025, 0, 1); // two years of 15m
const opts = { seed: 7, symbol: "BTCUSDT", start, end };

/** Exact element-wise equality (vitest's deep equal is slow on 70k-element typed arrays). */
function same(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function kurtosis(x: number[]): number {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  const v = x.reduce((a, b) => a + (b - m) ** 2, 0) / x.length;
  return x.reduce((a, b) => a + (b - m) ** 4, 0) / x.length / (v * v);
}

describe("synthetic market", () => {
  const market = generateSyntheticMarketWithRegimes(opts);
  const c = market.candles;

  it("is deterministic per seed and differs across seeds and symbols", () => {
    const again = generateSyntheticMarket(opts);
    for (const f of CANDLE_FIELDS) expect(same(again[f], c[f])).toBe(true);
    const other = generateSyntheticMarket({ ...opts, seed: 8 });
    expect(same(other.close, c.close)).toBe(false);
    const eth = generateSyntheticMarket({ ...opts, symbol: "ETHUSDT" });
    expect(eth.close[0]).not.toBe(c.close[0]);
  });

  it("is prefix-stable: a later end only appends", () => {
    const shorter = generateSyntheticMarket({ ...opts, end: start + 10 * 86_400_000 });
    expect(shorter.close.length).toBe(960);
    expect(Array.from(shorter.close)).toEqual(Array.from(c.close.subarray(0, 960)));
  });

  it("produces valid, gapless 15m candles over the whole range", () => {
    expect(c.openTime.length).toBe((end - start) / 900_000);
    expect(c.openTime[0]).toBe(start);
    expect(findGaps(c.openTime, 900_000)).toEqual([]);
    for (let i = 0; i < c.openTime.length; i++) {
      if (!(
        c.high[i] >= Math.max(c.open[i], c.close[i]) &&
        c.low[i] <= Math.min(c.open[i], c.close[i]) &&
        c.low[i] > 0
      ))
        throw new Error(`bad candle ${i}`);
      if (!(c.volume[i] > 0 && c.trades[i] >= 1 && c.takerBuyBase[i] > 0 && c.takerBuyBase[i] < c.volume[i]))
        throw new Error(`bad volume ${i}`);
      if (i > 0 && c.open[i] !== c.close[i - 1]) throw new Error(`open != previous close at ${i}`);
    }
  });

  it("visits every regime and has fat-tailed, clustered returns tied to volume", () => {
    const counts = SYNTHETIC_REGIMES.map((_, k) => market.regime.filter((r) => r === k).length);
    for (const n of counts) expect(n).toBeGreaterThan(c.openTime.length * 0.02);
    const r: number[] = [];
    for (let i = 1; i < c.close.length; i++) r.push(Math.log(c.close[i] / c.close[i - 1]));
    expect(kurtosis(r)).toBeGreaterThan(4);
    // Volatility clustering: |r| autocorrelated.
    const a = r.map(Math.abs);
    const m = a.reduce((s, v) => s + v, 0) / a.length;
    let num = 0;
    let den = 0;
    for (let i = 0; i < a.length; i++) {
      den += (a[i] - m) ** 2;
      if (i > 0) num += (a[i] - m) * (a[i - 1] - m);
    }
    expect(num / den).toBeGreaterThan(0.1);
    // High-volatility regime trades more volume than range.
    const meanVol = (k: number) => {
      let s = 0;
      let n = 0;
      for (let i = 0; i < c.volume.length; i++) {
        if (market.regime[i] !== k) continue;
        s += c.volume[i];
        n++;
      }
      return s / n;
    };
    expect(meanVol(3)).toBeGreaterThan(1.5 * meanVol(2));
  });

  it("aggregates exactly to coarser intervals", () => {
    const h4 = syntheticSeries(opts, "4h");
    expect(h4.openTime.length).toBe((end - start) / 14_400_000);
    expect(h4.open[1]).toBe(c.open[16]);
    expect(h4.close[1]).toBe(c.close[31]);
    expect(h4.high[1]).toBe(Math.max(...c.high.subarray(16, 32)));
    expect(h4.volume[1]).toBeCloseTo(
      c.volume.subarray(16, 32).reduce((s, v) => s + v, 0),
      6,
    );
    expect(Array.from(syntheticSeries(opts, "1d").close)).toEqual(Array.from(aggregateColumns(h4, "4h", "1d").close));
    expect(() => syntheticSeries(opts, "5m")).toThrow(/15m/);
  });

  it("is fast: two years of 15m well under a second", () => {
    const t = performance.now();
    generateSyntheticMarket({ ...opts, seed: 99 });
    expect(performance.now() - t).toBeLessThan(1000);
  });
});

describe("synthetic alternative data", () => {
  const o = { seed: 3, symbol: "BTCUSDT", start: Date.UTC(2024, 0, 1), end: Date.UTC(2024, 3, 1) };

  it("funding every 8h, deterministic, bounded", () => {
    const f = syntheticFundingRates(o);
    expect(f.time.length).toBe(91 * 3);
    expect(f.time[1] - f.time[0]).toBe(8 * 3_600_000);
    expect(f.time[0] % (8 * 3_600_000)).toBe(0);
    expect(syntheticFundingRates(o).value).toEqual(f.value);
    expect(syntheticFundingRates({ ...o, seed: 4 }).value).not.toEqual(f.value);
    for (const v of f.value) expect(Math.abs(v)).toBeLessThanOrEqual(0.0075);
    expect(new Set(f.value).size).toBeGreaterThan(100);
  });

  it("fear & greed daily, integers in 0..100, moving", () => {
    const g = syntheticFearGreed(o);
    expect(g.time.length).toBe(92);
    expect(g.time[1] - g.time[0]).toBe(86_400_000);
    for (const v of g.value) expect(Number.isInteger(v) && v >= 0 && v <= 100).toBe(true);
    expect(Math.max(...g.value) - Math.min(...g.value)).toBeGreaterThan(15);
    expect(syntheticFearGreed(o).value).toEqual(g.value);
  });
});
