/**
 * Which series a CSV belongs to (issue 17 item 7: a ZIP's entries for other pairs or intervals
 * were merged silently; item 10: the form's symbol overrode the file names).
 */
import { describe, expect, it } from "vitest";
import { candleCsv, HOUR_MS, zipOf } from "../../../test/fuzz/files-fixtures";
import { FileImportError } from "./errors";
import { importCandleFile, importCandleFiles, importCandleSeries } from "./import";

const JAN = Date.UTC(2024, 0, 1);
const FEB = Date.UTC(2024, 1, 1);
const h1 = (start: number, seed = 1) => candleCsv(48, "binance", { start, seed });
const h4 = (start: number) => candleCsv(12, "binance", { start, stepMs: 4 * HOUR_MS, seed: 2 });

describe("each CSV's own name decides its series", () => {
  it("refuses BTCUSDT-1h-2024.zip holding ETHUSDT-1h-2024-02.csv, naming both (it was imported as BTCUSDT)", () => {
    const data = zipOf({ "BTCUSDT-1h-2024-01.csv": h1(JAN), "ETHUSDT-1h-2024-02.csv": h1(FEB, 3) });
    const run = () => importCandleSeries([{ name: "BTCUSDT-1h-2024.zip", data }]);
    expect(run).toThrow(FileImportError);
    expect(run).toThrow(
      /^BTCUSDT-1h-2024\.zip\/ETHUSDT-1h-2024-02\.csv: the entry's name says ETHUSDT but the archive's name says BTCUSDT/,
    );
  });

  it("refuses an entry naming another interval than its archive", () => {
    const data = zipOf({ "BTCUSDT-4h-2024-01.csv": h4(JAN) });
    expect(() => importCandleFile({ name: "BTCUSDT-1h-2024.zip", data })).toThrow(
      /BTCUSDT-4h-2024-01\.csv: the entry's name says 4h candles but the archive's name says 1h/,
    );
  });

  it("imports a ZIP of 1h and 4h entries as two series, 4h kept as 4h (they were stored as 1h or dropped)", () => {
    // The 4h times coincide with 1h times: merged, they were dropped as "repeated".
    const data = zipOf({ "BTCUSDT-1h-2024-01.csv": h1(JAN), "BTCUSDT-4h-2024-01.csv": h4(JAN) });
    const all = importCandleSeries([{ name: "BTCUSDT-2024.zip", data }]);
    expect(all.map((s) => [s.symbol, s.interval, s.candles.openTime.length, s.duplicates])).toEqual([
      ["BTCUSDT", "1h", 48, 0],
      ["BTCUSDT", "4h", 12, 0],
    ]);
    expect(Object.keys(all[1].layouts)).toEqual(["BTCUSDT-2024.zip/BTCUSDT-4h-2024-01.csv"]);
    expect(all[1].candles.openTime[1] - all[1].candles.openTime[0]).toBe(4 * HOUR_MS);
  });

  it("imports a ZIP of two pairs as two series, each from its own entries", () => {
    const eth = h1(JAN, 9);
    const data = zipOf({ "BTCUSDT-1h-2024-01.csv": h1(JAN), "ETHUSDT-1h-2024-01.csv": eth });
    const all = importCandleSeries([{ name: "klines.zip", data }]);
    expect(all.map((s) => s.symbol)).toEqual(["BTCUSDT", "ETHUSDT"]);
    const ethFirstClose = Number(eth.split("\n")[0].split(",")[4]);
    expect(all[1].candles.close[0]).toBe(ethFirstClose);
    expect(all[0].candles.close[0]).not.toBe(ethFirstClose);
    // The one-series entry point says why it cannot return one.
    expect(() => importCandleFiles([{ name: "klines.zip", data }])).toThrow(
      /klines\.zip: the files name several symbols \(BTCUSDT, ETHUSDT\)/,
    );
  });

  it("refuses a file whose rows contradict its name's interval, and one with no row on its grid", () => {
    // 4h rows named 1h: read by their step they became a 4h series beside the name; read by the
    // name, 3 of 4 candles would be gaps. Either way the user should know.
    const misnamed = { name: "BTCUSDT-1h-2024-01.csv", data: new TextEncoder().encode(h4(JAN)) };
    expect(() => importCandleFile(misnamed)).toThrow(
      /^BTCUSDT-1h-2024-01\.csv: the file name says 1h candles but the rows are 4h apart/,
    );
    // Unnamed rows 2h apart at odd hours: every row was dropped as off the 2h grid, and the
    // import "succeeded" with 0 candles.
    const odd = candleCsv(10, "binance", { start: JAN + HOUR_MS, stepMs: 2 * HOUR_MS });
    expect(() => importCandleFile({ name: "odd.csv", data: new TextEncoder().encode(odd) }, { symbol: "X" })).toThrow(
      /^odd\.csv: none of the 10 row\(s\) opens on the 2h grid/,
    );
  });

  it("an entry whose name says no interval joins the series its rows turn out to be", () => {
    const data = zipOf({ "BTCUSDT-1h-2024-01.csv": h1(JAN), "february.csv": h1(FEB) });
    const all = importCandleSeries([{ name: "klines.zip", data }], { symbol: "BTCUSDT" });
    expect(all.map((s) => [s.symbol, s.interval, s.rowsRead])).toEqual([["BTCUSDT", "1h", 96]]);
  });

  it("fills what an entry's name does not say from the archive's name", () => {
    const data = zipOf({ "january.csv": h1(JAN) });
    const r = importCandleFile({ name: "ETHUSDT-1h-2024.zip", data });
    expect([r.symbol, r.interval]).toEqual(["ETHUSDT", "1h"]);
  });
});

describe("the form's symbol applies only to files whose names say none", () => {
  it("a file name wins over the form, which used to override it; a disagreement is refused", () => {
    const file = { name: "BTCUSDT-1h-2024-01.csv", data: new TextEncoder().encode(h1(JAN)) };
    expect(importCandleFile(file, { symbol: "btcusdt" }).symbol).toBe("BTCUSDT");
    expect(() => importCandleFile(file, { symbol: "ETHUSDT" })).toThrow(
      /^BTCUSDT-1h-2024-01\.csv: the file name says BTCUSDT but the Symbol field says ETHUSDT/,
    );
  });

  it("an unnamed file takes the form's symbol; a ZIP entry of another pair is refused", () => {
    const plain = { name: "export.csv", data: new TextEncoder().encode(h1(JAN)) };
    expect(importCandleFile(plain, { symbol: " solusdt " }).symbol).toBe("SOLUSDT");
    const data = zipOf({ "ETHUSDT-1h-2024-01.csv": h1(JAN) });
    expect(() => importCandleFile({ name: "download.zip", data }, { symbol: "BTCUSDT" })).toThrow(
      /download\.zip\/ETHUSDT-1h-2024-01\.csv: the file name says ETHUSDT but the Symbol field says BTCUSDT/,
    );
  });
});
