import { describe, expect, it } from "vitest";
import { aggregateColumns } from "./aggregate";
import { candleAt, columnsFromCandles, type Candle } from "./candles";

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1); // aligned to 4h and 1d

function candle(openTime: number, i: number): Candle {
  return {
    openTime,
    open: 100 + i,
    high: 110 + i * 2,
    low: 90 - i,
    close: 101 + i,
    volume: 1 + i,
    quoteVolume: 10 * (1 + i),
    trades: 3 + i,
    takerBuyBase: 0.5 + i,
  };
}

describe("aggregateColumns", () => {
  it("builds exact 4h candles from 1h candles", () => {
    const rows = Array.from({ length: 8 }, (_, i) => candle(T0 + i * H, i));
    const out = aggregateColumns(columnsFromCandles(rows), "1h", "4h");
    expect(out.openTime.length).toBe(2);
    expect(candleAt(out, 0)).toEqual({
      openTime: T0,
      open: 100,
      high: 116,
      low: 87,
      close: 104,
      volume: 1 + 2 + 3 + 4,
      quoteVolume: 100,
      trades: 3 + 4 + 5 + 6,
      takerBuyBase: 0.5 + 1.5 + 2.5 + 3.5,
    });
    expect(candleAt(out, 1).openTime).toBe(T0 + 4 * H);
    expect(candleAt(out, 1).open).toBe(104);
    expect(candleAt(out, 1).close).toBe(108);
    expect(candleAt(out, 1).high).toBe(124);
    expect(candleAt(out, 1).low).toBe(83);
  });

  it("skips incomplete buckets (gap inside, partial first and last)", () => {
    // Starts at 02:00 (partial first bucket), misses 09:00 (gap in second full bucket), ends at 13:00 (partial last).
    const times = [2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13].map((h) => T0 + h * H);
    const out = aggregateColumns(columnsFromCandles(times.map((t, i) => candle(t, i))), "1h", "4h");
    expect(Array.from(out.openTime)).toEqual([T0 + 4 * H]);
  });

  it("keeps NaN taker volume as NaN and copies when intervals are equal", () => {
    const rows = Array.from({ length: 4 }, (_, i) => ({ ...candle(T0 + i * H, i), takerBuyBase: i === 2 ? NaN : 1 }));
    const c = columnsFromCandles(rows);
    expect(Number.isNaN(aggregateColumns(c, "1h", "4h").takerBuyBase[0])).toBe(true);
    const same = aggregateColumns(c, "1h", "1h");
    expect(Array.from(same.close)).toEqual(Array.from(c.close));
    expect(same.close).not.toBe(c.close);
  });

  it("rejects a target that is not a multiple", () => {
    expect(() => aggregateColumns(columnsFromCandles([]), "4h", "1h")).toThrow(/multiple/);
    expect(() => aggregateColumns(columnsFromCandles([]), "1h", "1h")).not.toThrow();
  });

  it("aggregating in two steps equals one step", () => {
    const rows = Array.from({ length: 96 }, (_, i) => candle(T0 + i * 900_000, i % 17));
    const c = columnsFromCandles(rows);
    const direct = aggregateColumns(c, "15m", "4h");
    const twoStep = aggregateColumns(aggregateColumns(c, "15m", "1h"), "1h", "4h");
    expect(direct.openTime.length).toBe(6);
    for (const k of ["openTime", "open", "high", "low", "close", "volume", "trades"] as const) {
      expect(Array.from(twoStep[k])).toEqual(Array.from(direct[k]));
    }
  });
});
