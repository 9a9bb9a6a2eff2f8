import { describe, expect, it } from "vitest";
import {
  addRowReports,
  candleRowProblem,
  columnsFromCandles,
  describeRowReport,
  emptyRowReport,
  screenCandles,
  type Candle,
} from "./candles";

const H = 3_600_000;
const good = { open: 100, high: 102, low: 99, close: 101, volume: 5 };
const candle = (openTime: number, patch: Partial<Candle> = {}): Candle => ({
  openTime,
  ...good,
  quoteVolume: 500,
  trades: 7,
  takerBuyBase: NaN,
  ...patch,
});

describe("candleRowProblem", () => {
  it("accepts a sound candle, including zero volume and a flat one", () => {
    expect(candleRowProblem(good)).toBeNull();
    expect(candleRowProblem({ ...good, volume: 0 })).toBeNull();
    expect(candleRowProblem({ open: 5, high: 5, low: 5, close: 5, volume: 0 })).toBeNull();
  });

  it("names the field and value of what is wrong", () => {
    const cases: [Partial<typeof good>, string][] = [
      [{ open: -1 }, "open -1 is not above 0."],
      [{ low: 0 }, "low 0 is not above 0."],
      [{ close: Infinity }, "close Infinity is not a finite number."],
      [{ high: NaN }, "high NaN is not a finite number."],
      [{ volume: -3 }, "volume -3 is negative."],
      [{ high: 98, low: 99 }, "high 98 is below low 99."],
      [{ high: 100.5 }, "high 100.5 is below close 101."],
      [{ open: 103, high: 102.5 }, "high 102.5 is below open 103."],
      [{ low: 100.5 }, "low 100.5 is above open 100."],
      [{ open: 101.5, low: 101.2 }, "low 101.2 is above close 101."],
    ];
    for (const [patch, message] of cases) expect(candleRowProblem({ ...good, ...patch })).toBe(message);
  });
});

describe("screenCandles", () => {
  it("keeps sound rows in order, drops invalid rows and repeats, and counts conflicting repeats", () => {
    const c = columnsFromCandles([
      candle(0),
      candle(H, { high: 90, low: 95 }),
      candle(2 * H),
      candle(2 * H), // exact repeat: silent
      candle(2 * H, { close: 100.5 }), // other values: a conflict, the first is kept
      candle(3 * H, { volume: -1 }),
      candle(4 * H, { close: 101.5 }),
      candle(4 * H, { close: 100.2 }),
    ]);
    const { candles, report } = screenCandles(c);
    expect(Array.from(candles.openTime)).toEqual([0, 2 * H, 4 * H]);
    expect(Array.from(candles.close)).toEqual([101, 101, 101.5]);
    expect(report).toEqual({
      rejected: 2,
      firstRejected: { openTime: H, problem: "high 90 is below low 95." },
      conflicts: 2,
      firstConflict: 2 * H,
      rejectedTimes: [H, 3 * H],
    });
  });

  it("returns the same columns when nothing is dropped", () => {
    const c = columnsFromCandles([candle(0), candle(H)]);
    expect(screenCandles(c)).toEqual({ candles: c, report: emptyRowReport() });
    expect(screenCandles(c).candles).toBe(c);
  });

  it("adds reports keeping the earliest examples, and says what was dropped in one sentence", () => {
    const a = screenCandles(columnsFromCandles([candle(0, { open: -2 })])).report;
    const b = screenCandles(
      columnsFromCandles([candle(H, { volume: -1 }), candle(2 * H), candle(2 * H, { close: 100 })]),
    ).report;
    const sum = addRowReports(a, b);
    expect(sum).toEqual({
      rejected: 2,
      firstRejected: { openTime: 0, problem: "open -2 is not above 0." },
      conflicts: 1,
      firstConflict: 2 * H,
    });
    expect(describeRowReport(sum)).toBe(
      "2 candles rejected as invalid and not stored (first at 1970-01-01 00:00 UTC: open -2 is not above 0); " +
        "1 candle sent again with different values; the first version was kept (first at 1970-01-01 02:00 UTC).",
    );
    expect(describeRowReport(emptyRowReport())).toBeNull();
  });
});
