import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { parseTimeCell } from "./csv";
import { FileImportError } from "./errors";
import { importCandleFile, importCandleFiles } from "./import";
import { inferFromFileName, inferInterval } from "./infer";

const H = 3_600_000;
const T0 = Date.UTC(2023, 2, 24, 10); // 2023-03-24 10:00 UTC

/** Binance 12-column kline line; `scale` 1000 writes µs times like 2025+ dumps. */
function kline(
  openTime: number,
  close: number,
  opts: { volume?: number; closeTime?: number; scale?: number } = {},
): string {
  const s = opts.scale ?? 1;
  const v = opts.volume ?? 10;
  return [
    openTime * s,
    close - 1,
    close + 2,
    close - 3,
    close,
    v,
    (opts.closeTime ?? openTime + H - 1) * s,
    v * close,
    v === 0 ? 0 : 100,
    v / 2,
    (v / 2) * close,
    0,
  ].join(",");
}

const HEADER =
  "Open time,Open,High,Low,Close,Volume,Close time,Quote asset volume,Number of trades,Taker buy base asset volume,Taker buy quote asset volume,Ignore";
const file = (name: string, text: string) => ({ name, data: strToU8(text) });

// The real 2023-03-24 artefacts: 12:00 is a zero-volume placeholder with an odd close time, 13:00 is missing.
const outageRows = [
  kline(T0, 28000),
  kline(T0 + H, 28050),
  kline(T0 + 2 * H, 28080, { volume: 0, closeTime: T0 + 2 * H + 2_381_646 }),
  kline(T0 + 4 * H, 28100),
  kline(T0 + 5 * H, 28120),
];

describe("importCandleFile", () => {
  it("reads headerless 12-column klines, keeps the placeholder bar and reports the missing one", () => {
    const r = importCandleFile(file("BTCUSDT-1h-2023-03.csv", outageRows.join("\n") + "\n"));
    expect(r.symbol).toBe("BTCUSDT");
    expect(r.interval).toBe("1h");
    expect(r.layouts).toEqual({ "BTCUSDT-1h-2023-03.csv": "binance" });
    expect(Array.from(r.candles.openTime)).toEqual([T0, T0 + H, T0 + 2 * H, T0 + 4 * H, T0 + 5 * H]);
    expect(r.candles.volume[2]).toBe(0);
    expect(r.candles.close[2]).toBe(28080);
    expect(r.candles.trades[0]).toBe(100);
    expect(r.candles.takerBuyBase[0]).toBe(5);
    expect(r.candles.quoteVolume[0]).toBe(280000);
    expect(r.gaps).toEqual([{ from: T0 + 3 * H, to: T0 + 3 * H, missing: 1 }]);
    expect(r.warnings.join(" ")).toMatch(/1 candle\(s\) missing/);
  });

  it("reads the header layout and microsecond times identically", () => {
    const ms = importCandleFile(file("a.csv", [HEADER, ...outageRows].join("\r\n")));
    const usRows = [
      kline(T0, 28000, { scale: 1000 }),
      kline(T0 + H, 28050, { scale: 1000 }),
      kline(T0 + 2 * H, 28080, { volume: 0, scale: 1000 }),
      kline(T0 + 4 * H, 28100, { scale: 1000 }),
      kline(T0 + 5 * H, 28120, { scale: 1000 }),
    ];
    expect(usRows[0].startsWith(String(T0 * 1000))).toBe(true);
    const us = importCandleFile(file("b.csv", usRows.join("\n")));
    expect(ms.layouts["a.csv"]).toBe("binance-header");
    expect(Array.from(us.candles.openTime)).toEqual(Array.from(ms.candles.openTime));
    expect(Array.from(us.candles.close)).toEqual(Array.from(ms.candles.close));
    expect(ms.symbol).toBeNull();
    expect(ms.warnings.join(" ")).toMatch(/symbol could not be read/);
    expect(importCandleFile(file("a.csv", [HEADER, ...outageRows].join("\n")), { symbol: "ethusdt" }).symbol).toBe(
      "ETHUSDT",
    );
  });

  it("reads OHLCV with text timestamps (UTC) and marks missing fields", () => {
    const text = [
      "timestamp,open,high,low,close,volume",
      "2022-01-01 04:00:00,2,3,1,2.5,7",
      "2022-01-01 00:00:00,1,2,0.5,1.5,5",
      "2022-01-01T08:00:00Z,2.5,3,2,2.9,6",
    ].join("\n");
    const r = importCandleFile(file("BTCUSDT-4h.csv", text));
    expect(r.interval).toBe("4h");
    expect(r.layouts["BTCUSDT-4h.csv"]).toBe("ohlcv-header");
    expect(Array.from(r.candles.openTime)).toEqual([
      Date.UTC(2022, 0, 1, 0),
      Date.UTC(2022, 0, 1, 4),
      Date.UTC(2022, 0, 1, 8),
    ]);
    expect(Array.from(r.candles.close)).toEqual([1.5, 2.5, 2.9]);
    expect(Array.from(r.candles.quoteVolume)).toEqual([0, 0, 0]);
    expect(Array.from(r.candles.trades)).toEqual([0, 0, 0]);
    expect(r.candles.takerBuyBase.every(Number.isNaN)).toBe(true);
  });

  it("unzips Binance dump archives and merges months, dropping duplicates", () => {
    const jan = zipSync({ "BTCUSDT-1h-2023-03.csv": strToU8(outageRows.slice(0, 3).join("\n")) });
    const feb = zipSync({ "BTCUSDT-1h-2023-03b.csv": strToU8(outageRows.slice(2).join("\n")) });
    const r = importCandleFiles([
      { name: "BTCUSDT-1h-2023-03.zip", data: jan },
      { name: "BTCUSDT-1h-2023-04.zip", data: feb },
    ]);
    expect(r.candles.openTime.length).toBe(5);
    expect(r.duplicates).toBe(1);
    expect(r.rowsRead).toBe(6);
    expect(Object.keys(r.layouts)).toEqual([
      "BTCUSDT-1h-2023-03.zip/BTCUSDT-1h-2023-03.csv",
      "BTCUSDT-1h-2023-04.zip/BTCUSDT-1h-2023-03b.csv",
    ]);
    expect(r.gaps.length).toBe(1);
  });

  it("names the file and line of a malformed row", () => {
    const bad = [HEADER, outageRows[0], outageRows[1].replace("28050,", "abc,")].join("\n");
    expect(() => importCandleFile(file("BTCUSDT-1h.csv", bad))).toThrow(FileImportError);
    expect(() => importCandleFile(file("BTCUSDT-1h.csv", bad))).toThrow(
      /^BTCUSDT-1h\.csv, line 3: "abc" in column close/,
    );
    expect(() => importCandleFile(file("x.csv", `${outageRows[0]}\n1,2,3`))).toThrow(
      /x\.csv, line 2: expected at least 10 columns/,
    );
    expect(() => importCandleFile(file("x.csv", "nonsense,foo\n1,2"))).toThrow(/x\.csv, line 1: the header lacks/);
    expect(() => importCandleFile(file("x.csv", ""))).toThrow(/x\.csv: the file is empty/);
    expect(() =>
      importCandleFile({ name: "broken.zip", data: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]) }),
    ).toThrow(/broken\.zip: not a readable ZIP/);
    expect(() =>
      importCandleFiles([file("BTCUSDT-1h.csv", outageRows.join("\n")), file("ETHUSDT-1h.csv", outageRows.join("\n"))]),
    ).toThrow(/several symbols/);
  });
});

describe("inference helpers", () => {
  it("reads symbol and interval from Binance file names", () => {
    expect(inferFromFileName("BTCUSDT-1h-2023-01.zip")).toEqual({ symbol: "BTCUSDT", interval: "1h" });
    expect(inferFromFileName("/tmp/ethusdt-15m-2024-03-05.csv")).toEqual({ symbol: "ETHUSDT", interval: "15m" });
    expect(inferFromFileName("my candles.csv")).toEqual({ symbol: null, interval: null });
  });

  it("uses the most common step, robust to gaps", () => {
    expect(inferInterval(Float64Array.from([0, 900_000, 1_800_000, 5_400_000, 6_300_000]))).toBe("15m");
    expect(inferInterval(Float64Array.from([0, 7 * 60_000]))).toBeNull();
    expect(inferInterval(Float64Array.from([0]))).toBeNull();
  });

  it("parses time cells in s, ms, µs and text", () => {
    const t = Date.UTC(2024, 0, 2, 3, 4, 5);
    expect(parseTimeCell(String(t))).toBe(t);
    expect(parseTimeCell(String(t * 1000))).toBe(t);
    expect(parseTimeCell(String(t / 1000))).toBe(t);
    expect(parseTimeCell("2024-01-02 03:04:05")).toBe(t);
    expect(parseTimeCell("2024-01-02T05:04:05+02:00")).toBe(t);
    expect(parseTimeCell("2024-01-02")).toBe(Date.UTC(2024, 0, 2));
  });
});
