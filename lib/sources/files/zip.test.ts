/**
 * ZIP archives read as a stream, within stated limits (issue 17 item 4: a 0.58 MB ZIP holding a
 * 600 MB CSV threw V8's raw "Cannot create a string longer than…" naming no file), and hostile
 * archives refused by name.
 */
import { Zip, ZipDeflate, strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { candleCsv, dumpName, klineRows, repeatedCsvZip, zipOf } from "../../../test/fuzz/files-fixtures";
import { FileImportError } from "./errors";
import { concat } from "@/test/fuzz/mutate-bytes";
import { importCandleFile, importCandleSeries } from "./import";

/** A ZIP written by fflate's streaming Zip: sizes in data descriptors after the data, as macOS writes them. */
function streamedZip(name: string, chunks: Iterable<Uint8Array>): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    parts.push(data);
  });
  const entry = new ZipDeflate(name, { level: 6 });
  zip.add(entry);
  for (const c of chunks) entry.push(c);
  entry.push(new Uint8Array(0), true);
  zip.end();
  return concat(...parts);
}

const rows = (n: number) => [...klineRows(n, "binance")].join("\n") + "\n";

describe("limits", () => {
  it("refuses a small ZIP holding a huge CSV by archive and entry name, never one huge string", async () => {
    // The attack scaled down 20x with the limit (0.58 MB held 600 MB of CSV). `npm run fuzz -- zip-600mb-csv`
    // runs it at full size against the default limit.
    const row = strToU8([...klineRows(1, "binance")][0] + "\n");
    const block = new Uint8Array(row.length * 8000).map((_, i) => row[i % row.length]);
    const bomb = await repeatedCsvZip("BTCUSDT-1h-2023-01.csv", block, 30e6);
    expect(bomb.length).toBeLessThan(0.2e6);
    const run = () =>
      importCandleFile({ name: "BTCUSDT-1h-2023-01.zip", data: bomb }, { limits: { maxCsvBytes: 4e6 } });
    expect(run).toThrow(FileImportError);
    expect(run).toThrow(/^BTCUSDT-1h-2023-01\.zip\/BTCUSDT-1h-2023-01\.csv: larger than 3\.8 MB of text/);
  });

  it("refuses an entry past the byte limit before parsing any row", () => {
    const text = rows(12_000); // 1.6 MB, 0.7 MB zipped
    const data = zipOf({ "BTCUSDT-1h-2023-01.csv": text });
    expect(() => importCandleFile({ name: "a.zip", data }, { limits: { maxCsvBytes: 1 << 20 } })).toThrow(
      /^a\.zip\/BTCUSDT-1h-2023-01\.csv: larger than 1\.0 MB of text/,
    );
    const plain = { name: "big.csv", data: strToU8(text) };
    expect(() => importCandleFile(plain, { limits: { maxCsvBytes: 1 << 20 } })).toThrow(
      /^big\.csv: the file is 1\.\d MB, over the 1\.0 MB limit/,
    );
  });

  it("counts rows across every entry of an import", () => {
    const data = zipOf({
      [dumpName("BTCUSDT", "1h", 1)]: candleCsv(60, "binance", { start: Date.UTC(2023, 0, 1) }),
      [dumpName("BTCUSDT", "1h", 2)]: candleCsv(60, "binance", { start: Date.UTC(2023, 1, 1) }),
    });
    const run = () => importCandleSeries([{ name: "x.zip", data }], { limits: { maxRows: 100 } });
    expect(run).toThrow(/^x\.zip\/BTCUSDT-1h-2023-02\.csv, line 41: more than 100 candle rows in one import/);
    expect(importCandleSeries([{ name: "x.zip", data }], { limits: { maxRows: 120 } })[0].rowsRead).toBe(120);
  });

  it("refuses an archive of more entries than the limit", () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 50; i++) files[`n${i}.txt`] = new Uint8Array(0);
    files[dumpName("BTCUSDT", "1h", 1)] = strToU8(rows(30));
    const data = zipSync(files);
    expect(() => importCandleFile({ name: "many.zip", data }, { limits: { maxZipEntries: 20 } })).toThrow(
      /^many\.zip: the archive holds more than 20 entries/,
    );
    expect(importCandleFile({ name: "many.zip", data }).rowsRead).toBe(30);
  });
});

describe("archives", () => {
  const good = zipOf({ [dumpName("BTCUSDT", "1h", 3)]: candleCsv(200, "binance") });

  it("reads data-descriptor ZIPs and skips macOS resource forks", () => {
    const r = importCandleFile({
      name: "BTCUSDT-1h-2023-03.zip",
      data: streamedZip("BTCUSDT-1h-2023-03.csv", [strToU8(rows(50))]),
    });
    expect(r.rowsRead).toBe(50);
    const mac = zipSync({
      "BTCUSDT-1h-2023-03.csv": strToU8(rows(5)),
      "__MACOSX/._BTCUSDT-1h-2023-03.csv": new Uint8Array([0, 5, 22, 7]),
    });
    expect(importCandleFile({ name: "m.zip", data: mac }).rowsRead).toBe(5);
  });

  it("refuses a ZIP cut off anywhere, by name (never fewer months in silence)", () => {
    const two = zipOf({
      [dumpName("BTCUSDT", "1h", 1)]: candleCsv(100, "binance", { start: Date.UTC(2023, 0, 1) }),
      [dumpName("BTCUSDT", "1h", 2)]: candleCsv(100, "binance", { start: Date.UTC(2023, 1, 1) }),
    });
    for (let cut = 4; cut < two.length; cut += Math.max(1, Math.floor(two.length / 97))) {
      expect(() => importCandleFile({ name: "cut.zip", data: two.subarray(0, cut) })).toThrow(
        /^cut\.zip: not a readable ZIP archive/,
      );
    }
  });

  it("refuses a local header declaring more compressed bytes than it has (it would swallow the next entries)", () => {
    const bad = good.slice();
    new DataView(bad.buffer).setUint32(18, 0x7fffffff, true);
    expect(() => importCandleFile({ name: "big-claim.zip", data: bad })).toThrow(
      /^big-claim\.zip: not a readable ZIP archive/,
    );
    const two = zipSync({ "a.csv": strToU8(rows(10)), "b.csv": strToU8(rows(10)) }, { level: 0 });
    const swallow = two.slice();
    const firstSize = new DataView(swallow.buffer).getUint32(18, true);
    new DataView(swallow.buffer).setUint32(18, firstSize + 30 + "b.csv".length, true); // b's header becomes a's data
    expect(() => importCandleFile({ name: "s.zip", data: swallow })).toThrow(FileImportError);
  });

  it("ignores a lying uncompressed size: the bytes that arrive are counted", () => {
    const lie = good.slice();
    new DataView(lie.buffer).setUint32(22, 1, true);
    expect(importCandleFile({ name: "BTCUSDT-1h-2023-03.zip", data: lie }).rowsRead).toBe(200);
  });

  it("shows hostile entry names safely and reads nothing outside the archive", () => {
    const names = ["../../BTCUSDT-1h-2023-01.csv", "/etc/BTCUSDT-1h-2023-01.csv", "C:\\x\\BTCUSDT-1h-2023-01.csv"];
    for (const name of names) {
      const data = zipSync({ [name]: strToU8(rows(10)) });
      const r = importCandleFile({ name: "h.zip", data });
      expect([r.symbol, r.rowsRead]).toEqual(["BTCUSDT", 10]);
    }
    const nul = zipSync({ "a\u0000b.csv": strToU8("garbage\n") });
    const long = zipSync({ [`${"x".repeat(5000)}.csv`]: strToU8("garbage\n") });
    for (const data of [nul, long]) {
      let message = "";
      try {
        importCandleFile({ name: "h.zip", data });
      } catch (e) {
        expect(e).toBeInstanceOf(FileImportError);
        message = (e as Error).message;
      }
      expect(message).toMatch(/^h\.zip\/.*the header lacks/);
      expect(message).not.toContain("\u0000");
      expect(message.length).toBeLessThan(400);
    }
  });

  it("refuses an archive whose directory disagrees with its entries", () => {
    const bad = good.slice();
    const end = bad.length - 22; // end-of-central-directory record (no comment)
    new DataView(bad.buffer).setUint16(end + 10, 3, true);
    expect(() => importCandleFile({ name: "d.zip", data: bad })).toThrow(
      /^d\.zip: not a readable ZIP archive \(its directory lists 3 entries, but 1 were found\)/,
    );
  });
});
