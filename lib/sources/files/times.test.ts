/** Time units and the plausible date range (issue 17 item 10: ns times were read as µs, year 55969). */
import { describe, expect, it } from "vitest";
import { candleCsv } from "../../../test/fuzz/files-fixtures";
import { parseTimeCell } from "./csv";
import { importCandleFile } from "./import";

const T = Date.UTC(2024, 0, 2, 3, 4, 5);
const rowAt = (time: string) => `${time},100,102,99,101,10,0,1000,5,5,500,0`;
const csvFile = (name: string, text: string) => ({ name, data: new TextEncoder().encode(text) });

describe("time cells", () => {
  it("tells s, ms, µs and ns apart by magnitude", () => {
    expect(parseTimeCell(String(T / 1000))).toBe(T);
    expect(parseTimeCell(String(T))).toBe(T);
    expect(parseTimeCell(String(T * 1000))).toBe(T);
    expect(parseTimeCell(`${T}000000`)).toBe(T); // ns: read as µs this was year 55969
    expect(parseTimeCell(`${T}123456`)).toBe(T); // sub-ms digits are dropped, not rounded up
  });

  it("imports ns times as the same candles as ms times", () => {
    const ms = candleCsv(24, "binance");
    const ns = ms
      .trim()
      .split("\n")
      .map((line) => line.replace(/^(\d+),/, "$1000000,"))
      .join("\n");
    const a = importCandleFile(csvFile("BTCUSDT-1h-2023-03.csv", ms));
    const b = importCandleFile(csvFile("BTCUSDT-1h-2023-03.csv", ns));
    expect(Array.from(b.candles.openTime)).toEqual(Array.from(a.candles.openTime));
  });

  it("refuses a time before 2009 or after tomorrow, naming file and line", () => {
    const now = Date.UTC(2025, 5, 1);
    const good = rowAt(String(Date.UTC(2025, 4, 31)));
    const cases: [string, RegExp][] = [
      ["0", /line 2: the time "0" reads as 1970-01-01, outside 2009-01-01 \.\. tomorrow/],
      ["1970-01-02", /reads as 1970-01-02/],
      [String(Date.UTC(2008, 11, 31)), /reads as 2008-12-31/],
      [String(now + 2 * 86_400_000), /reads as 2025-06-03/],
      ["999999999999999999999999999999", /reads as a date out of range/],
    ];
    for (const [cell, message] of cases) {
      expect(() => importCandleFile(csvFile("BTCUSDT-1h.csv", `${good}\n${rowAt(cell)}\n`), { now })).toThrow(message);
    }
    // An hour ahead of the clock is skew, not a unit error.
    const soon = rowAt(String(Date.UTC(2025, 5, 1, 1)));
    expect(importCandleFile(csvFile("BTCUSDT-1h.csv", `${good}\n${soon}\n`), { now }).candles.openTime.length).toBe(2);
  });
});
