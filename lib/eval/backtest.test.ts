import { describe, expect, it } from "vitest";
import { barReturns, maxDrawdown, runBacktest, sharpeRatio, YEAR_MS } from "./backtest";
import { GUIDE_TARGETS, gradeAgainstTargets, gradeValue } from "./targets";

const H = 3_600_000;
const hours = (n: number) => Float64Array.from({ length: n }, (_, i) => i * H);
const row = (c: number, p = 1) => {
  const r = [0, 0, 0, 0].map(() => (1 - p) / 3);
  r[c] = p;
  return r;
};

describe("backtest, hand-computed", () => {
  // closes 100 110 99 108.9 90 120; ends 0..3; horizon 2; no fees; full size.
  // row0 BUY: long 0→2: equity 1, 1.1, 0.99 (trade -1%)
  // row1 ignored (trade open)
  // row2 SELL: short 2→4 from 0.99: 0.99-0.099=0.891, 0.99+0.09=1.08 (trade +0.09)
  // row3 ignored; row5 flat at 1.08
  const closes = Float64Array.from([100, 110, 99, 108.9, 90, 120]);
  const probs = Float32Array.from([...row(2), ...row(3), ...row(1), ...row(0)]);
  const res = runBacktest(closes, hours(6), Int32Array.from([0, 1, 2, 3]), probs, 2, {
    feeRate: 0,
    sizing: "full",
    minConfidence: 0,
  });

  it("equity curve, trades and buy-and-hold", () => {
    expect(res.startRow).toBe(0);
    expect(res.endRow).toBe(5);
    [1, 1.1, 0.99, 0.891, 1.08, 1.08].forEach((v, i) => expect(res.equity[i]).toBeCloseTo(v, 12));
    [1, 1.1, 0.99, 1.089, 0.9, 1.2].forEach((v, i) => expect(res.buyHold[i]).toBeCloseTo(v, 12));
    expect(res.trades.map((t) => [t.entryRow, t.exitRow, t.direction])).toEqual([
      [0, 2, 1],
      [2, 4, -1],
    ]);
    expect(res.trades[0].pnl).toBeCloseTo(-0.01, 12);
    expect(res.trades[1].pnl).toBeCloseTo(0.09, 12);
    expect(res.trades[1].return).toBeCloseTo(0.09 / 0.99, 12);
    expect(Array.from(res.inPosition)).toEqual([0, 1, 1, 1, 1, 0]);
  });
  it("metrics", () => {
    const m = res.metrics;
    expect(m.totalReturn).toBeCloseTo(0.08, 12);
    expect(m.trades).toBe(2);
    expect(m.winRate).toBe(0.5);
    expect(m.profitFactor).toBeCloseTo(9, 10);
    expect(m.exposure).toBeCloseTo(4 / 6, 12);
    expect(m.maxDrawdown).toBeCloseTo(1 - 0.891 / 1.1, 12); // 0.19
    // Per-bar returns 0, .1, -.1, -.1, 1.08/.891-1, 0 → mean/sd*sqrt(8760)
    const r = [0, 0.1, -0.1, -0.1, 1.08 / 0.891 - 1, 0];
    const mean = r.reduce((a, b) => a + b) / 6;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / 5);
    expect(m.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(8760), 9);
    expect(res.barMs).toBe(H);
    expect(res.buyHoldMetrics.totalReturn).toBeCloseTo(0.2, 12);
    expect(res.buyHoldMetrics.maxDrawdown).toBeCloseTo(1 - 0.9 / 1.1, 12);
  });
  it("fees are charged on entry and exit notional", () => {
    const long = runBacktest([100, 110], hours(2), [0], row(3), 1, { sizing: "full", minConfidence: 0 });
    expect(long.equity[0]).toBeCloseTo(0.999, 12);
    expect(long.equity[1]).toBeCloseTo(0.999 + 0.1 - 0.0011, 12); // exit notional 1.1
    expect(long.buyHold[1]).toBeCloseTo(1.0979, 12);
    const short = runBacktest([100, 90], hours(2), [0], row(0), 1, { sizing: "full", minConfidence: 0 });
    expect(short.equity[1]).toBeCloseTo(0.999 + 0.1 - 0.0009, 12);
    expect(short.metrics.winRate).toBe(1);
    expect(short.metrics.profitFactor).toBe(Infinity);
  });
  it("confidence sizing maps chance→0, certainty→1 and the threshold gates trades", () => {
    // p = 0.625 → size (0.625 - 0.25) / 0.75 = 0.5
    const half = runBacktest([100, 110], hours(2), [0], row(2, 0.625), 1, { feeRate: 0, minConfidence: 0.4 });
    expect(half.trades[0].size).toBeCloseTo(0.5, 6);
    expect(half.equity[1]).toBeCloseTo(1.05, 6);
    const gated = runBacktest([100, 110], hours(2), [0], row(2, 0.35), 1, { feeRate: 0, minConfidence: 0.4 });
    expect(gated.metrics.trades).toBe(0);
    expect(gated.metrics.totalReturn).toBe(0);
    expect(gated.metrics.winRate).toBeNaN();
    expect(gated.metrics.exposure).toBe(0);
    expect(gated.metrics.sharpe).toBe(0);
  });
  it("long-only leaves sell signals flat", () => {
    const r = runBacktest([100, 90, 80], hours(3), [0, 1], Float32Array.from([...row(0), ...row(3)]), 1, {
      longOnly: true,
      feeRate: 0,
      sizing: "full",
      minConfidence: 0,
    });
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0].entryRow).toBe(1);
    expect(r.metrics.totalReturn).toBeCloseTo(80 / 90 - 1, 12);
  });
  it("never trades past the data: the curve ends at min(T-1, last end + horizon)", () => {
    const r = runBacktest([100, 101, 102, 103], hours(4), [2, 3], Float32Array.from([...row(3), ...row(3)]), 4, {
      feeRate: 0,
      sizing: "full",
      minConfidence: 0,
    });
    expect(r.endRow).toBe(3);
    expect(r.trades).toHaveLength(0);
  });
  it("exits and per-bar returns follow candle times when a row is missing", () => {
    // Candle 3 (3h) is missing from the rows: row 3 is candle 4, row 4 candle 5.
    const times = Float64Array.from([0, 1, 2, 4, 5, 6].map((h) => h * H));
    const closes = Float64Array.from([100, 101, 102, 110, 120, 130]);
    const opts = { feeRate: 0, sizing: "full" as const, minConfidence: 0, barMs: H };
    // A BUY at row 2 (2h), horizon 2: exits at candle 4h (row 3, +7.8%), not at row 4 (5h, +17.6%).
    const r = runBacktest(closes, times, [2], row(3), 2, opts);
    expect(r.trades.map((t) => [t.exitRow, t.exitTime])).toEqual([[3, 4 * H]]);
    expect(r.metrics.totalReturn).toBeCloseTo(110 / 102 - 1, 12);
    // One point per candle: 2h, 3h (missing: last close kept), 4h.
    expect(Array.from(r.times)).toEqual([2 * H, 3 * H, 4 * H]);
    expect(Array.from(r.equity)).toEqual([1, 1, 110 / 102]);
    expect(r.endRow).toBe(3);
    // A BUY at row 1 (1h) would exit at 3h, a candle not in the data: no trade.
    const unpriced = runBacktest(closes, times, [1], row(3), 2, opts);
    expect(unpriced.trades).toHaveLength(0);
  });
  it("rejects bad inputs", () => {
    expect(() => runBacktest([1, 2], hours(2), [1, 0], new Float32Array(8), 1)).toThrow();
    expect(() => runBacktest([1, 2], hours(2), [0], new Float32Array(8), 1)).toThrow();
  });
});

describe("curve helpers", () => {
  it("returns, drawdown, Sharpe", () => {
    const r = barReturns([1.1, 0.99]);
    expect(r[0]).toBeCloseTo(0.1, 12);
    expect(r[1]).toBeCloseTo(-0.1, 12);
    expect(maxDrawdown([1.2, 0.6, 1.5, 0.75])).toBeCloseTo(0.5, 12);
    expect(maxDrawdown([0.8])).toBeCloseTo(0.2, 12);
    // returns 0.01, 0.03: mean .02, sd sqrt(.0002) → .02/.014142 * sqrt(365) per day
    expect(sharpeRatio([0.01, 0.03], YEAR_MS / 86_400_000)).toBeCloseTo((0.02 / Math.sqrt(0.0002)) * Math.sqrt(365), 9);
    expect(sharpeRatio([0.01, 0.01], 365)).toBe(0);
  });
});

describe("guide targets", () => {
  it("holds the guide's figures", () => {
    expect(GUIDE_TARGETS.accuracy).toMatchObject({ minimum: 0.55, good: [0.6, 0.7], exceptional: 0.7 });
    expect(GUIDE_TARGETS.sharpe).toMatchObject({ minimum: 0.5, good: [0.8, 1.2], exceptional: 1.5 });
    expect(GUIDE_TARGETS.winRate).toMatchObject({ minimum: 0.5, good: [0.55, 0.65], exceptional: 0.65 });
  });
  it("grades each figure and the worst overall", () => {
    expect(gradeValue("accuracy", 0.55)).toBe("below-minimum"); // "> 55%" is strict
    expect(gradeValue("accuracy", 0.57)).toBe("minimum");
    expect(gradeValue("accuracy", 0.7)).toBe("good");
    expect(gradeValue("accuracy", 0.71)).toBe("exceptional");
    expect(gradeValue("accuracy", 0.93)).toBe("implausible");
    expect(gradeValue("sharpe", 1.3)).toBe("good");
    expect(gradeValue("sharpe", 1.6)).toBe("exceptional");
    expect(gradeValue("winRate", 1)).toBe("implausible");
    const g = gradeAgainstTargets({ accuracy: 0.62, sharpe: 0.6, winRate: NaN });
    expect(g.perMetric.map((m) => m.grade)).toEqual(["good", "minimum"]);
    expect(g.overall).toBe("minimum");
    expect(g.perMetric[0].detail).toBe("accuracy 62.0%: good (60.0%-70.0%)");
    expect(gradeAgainstTargets({ accuracy: 0.95, sharpe: 0.1 }).overall).toBe("implausible");
    expect(gradeAgainstTargets({}).overall).toBeNull();
  });
});
