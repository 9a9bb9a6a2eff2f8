/**
 * Encodings (issue 17 item 10: a UTF-16 CSV got "header lacks column(s)" with no hint) and the
 * streaming path: the same rows whatever the chunk borders.
 */
import { describe, expect, it } from "vitest";
import { candleCsv } from "../../../test/fuzz/files-fixtures";
import { CandleCsvReader } from "./csv";
import { CsvEntryReader, LineCounter } from "./entry";
import { importCandleFile } from "./import";
import { LineSplitter } from "./lines";

function utf16(text: string, order: "le" | "be", bom: boolean): Uint8Array {
  const out = new Uint8Array((text.length + (bom ? 1 : 0)) * 2);
  const put = (i: number, code: number) => {
    out[2 * i + (order === "le" ? 0 : 1)] = code & 0xff;
    out[2 * i + (order === "le" ? 1 : 0)] = code >> 8;
  };
  if (bom) put(0, 0xfeff);
  for (let i = 0; i < text.length; i++) put(i + (bom ? 1 : 0), text.charCodeAt(i));
  return out;
}

const text = candleCsv(30, "binance-header");
const NAME = "BTCUSDT-1h-2023-03.csv";
const reference = importCandleFile({ name: NAME, data: new TextEncoder().encode(text) });

describe("encodings", () => {
  it("reads UTF-16 (LE and BE, with or without a byte-order mark) as the same candles as UTF-8", () => {
    for (const order of ["le", "be"] as const) {
      for (const bom of [true, false]) {
        const r = importCandleFile({ name: NAME, data: utf16(text, order, bom) });
        expect(r.layouts[NAME]).toBe("binance-header");
        expect(Array.from(r.candles.close)).toEqual(Array.from(reference.candles.close));
      }
    }
  });

  it("reads UTF-8 with a byte-order mark", () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
    expect(importCandleFile({ name: NAME, data: bom }).candles.openTime.length).toBe(30);
  });

  it("refuses binary data by name", () => {
    const junk = Uint8Array.from({ length: 200 }, (_, i) => ((i * 37) % 7 === 0 ? 0 : (i * 91) & 0xff));
    expect(() => importCandleFile({ name: "photo.csv", data: junk })).toThrow(
      /^photo\.csv: this is binary data, not a CSV text file/,
    );
  });
});

describe("streaming", () => {
  it("gives the same rows at every chunk border, \\r\\n and multi-byte characters included", () => {
    const crlf = new TextEncoder().encode(
      candleCsv(5, "ohlcv-iso")
        .replace("\n", "\n\n\n") // a run of blank lines after the header
        .replace(/\n/g, "\r\n")
        .replace("timestamp", "timestamp\u00a0"),
    );
    const whole = new CsvEntryReader("a.csv");
    whole.push(crlf);
    whole.end();
    for (let cut = 1; cut < crlf.length; cut += 7) {
      const parts = new CsvEntryReader("a.csv");
      parts.push(crlf.subarray(0, cut));
      parts.push(crlf.subarray(cut));
      parts.end();
      expect(parts.result()).toEqual(whole.result());
    }
    expect(whole.result().candles.openTime.length).toBe(5);
    // Line numbers survive the skipped blank lines: line 5 is the 2nd row.
    const bad = new TextDecoder().decode(crlf).split("\r\n");
    bad[4] = bad[4].replace(/,[^,]*$/, ",x");
    expect(() =>
      importCandleFile({ name: "b.csv", data: new TextEncoder().encode(bad.join("\r\n")) }, { symbol: "X" }),
    ).toThrow(/^b\.csv, line 5: "x" in column volume/);
  });

  it("bounds the rows by the lines with content, whatever the chunk borders (blank lines do not count)", () => {
    const texts = ["a\nb\n", "\n\n\n\n", "a\r\n\r\nb", "\r\n\r\nx\r\n", "x", "", "1,2\n\n\n3,4\n\n"];
    const contentLines = (t: string) => t.split(/\r?\n/).filter((l) => l !== "").length;
    for (const t of texts) {
      const bytes = new TextEncoder().encode(t);
      const whole = new LineCounter();
      whole.push(bytes);
      expect(whole.rowsAtMost).toBeGreaterThanOrEqual(contentLines(t));
      expect(whole.rowsAtMost).toBeLessThanOrEqual(contentLines(t) + 1);
      for (let cut = 0; cut <= bytes.length; cut++) {
        const parts = new LineCounter();
        parts.push(bytes.subarray(0, cut));
        parts.push(bytes.subarray(cut));
        expect(parts.rowsAtMost).toBe(whole.rowsAtMost);
      }
    }
  });

  it("refuses a line past the limit by number, without holding it", () => {
    const reader = new CandleCsvReader("x.csv");
    const lines = new LineSplitter("x.csv", 200, (line, n) => reader.line(line, n));
    lines.push(candleCsv(1, "binance") + "9".repeat(150)); // row 1, then 150 characters of line 2
    expect(() => lines.push("9".repeat(60))).toThrow(/^x\.csv, line 2: the line is longer than 200 characters/);
    expect(() => new LineSplitter("y.csv", 100, () => {}).push("1".repeat(101) + "\n")).toThrow(/y\.csv, line 1/);
  });
});
