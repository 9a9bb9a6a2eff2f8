import { describe, expect, it } from "vitest";
import { droppedRowsText } from "./quality";

describe("droppedRowsText", () => {
  it("formats the counts and explains a large unaligned drop (the 30m file with a 1h file of other dates)", () => {
    const t = droppedRowsText({ rows: 8_000, dropped: { warmup: 199, unaligned: 26_674, nonFinite: 0 } })!;
    expect(t.line).toBe("Dropped rows: 199 warm-up, 26,674 without aligned candles, 0 non-finite.");
    expect(t.explanation).toContain("26,674 of 34,674 rows (76.9%) had no closed candle of another timeframe");
    expect(t.explanation).toContain("Aggregating the timeframes from the base series");
  });
  it("explains a warm-up far longer than indicators need (a timeframe's series starting later)", () => {
    const t = droppedRowsText({ rows: 8_000, dropped: { warmup: 9_000, unaligned: 0, nonFinite: 0 } })!;
    expect(t.explanation).toMatch(
      /^9,000 of 17,000 rows \(52\.9%\) came before the first row with every feature known/,
    );
    // A short dataset's ordinary warm-up is not explained away.
    expect(droppedRowsText({ rows: 800, dropped: { warmup: 135, unaligned: 0, nonFinite: 0 } })!.explanation).toBe(
      null,
    );
  });
  it("says nothing more about a small drop, and nothing without figures", () => {
    expect(droppedRowsText({ rows: 10_000, dropped: { warmup: 199, unaligned: 12, nonFinite: 3 } })!.explanation).toBe(
      null,
    );
    expect(droppedRowsText({ rows: 10 })).toBe(null);
  });
});
