import { describe, expect, it } from "vitest";
import { droppedRowsText } from "./quality";

describe("droppedRowsText", () => {
  it("formats the counts and explains a large unaligned drop (the 30m file with a 1h file of other dates)", () => {
    const t = droppedRowsText({ rows: 8_000, dropped: { warmup: 199, unaligned: 26_674, nonFinite: 0 } })!;
    expect(t.line).toBe("Dropped rows: 199 warm-up, 26,674 without aligned candles, 0 non-finite.");
    expect(t.explanation).toContain("26,674 of 34,674 rows (76.9%) had no closed candle of another timeframe");
    expect(t.explanation).toContain("Aggregating the timeframes from the base series");
  });
  it("says nothing more about a small drop, and nothing without figures", () => {
    expect(droppedRowsText({ rows: 10_000, dropped: { warmup: 199, unaligned: 12, nonFinite: 3 } })!.explanation).toBe(
      null,
    );
    expect(droppedRowsText({ rows: 10 })).toBe(null);
  });
});
