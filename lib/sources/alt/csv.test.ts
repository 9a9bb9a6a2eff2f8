import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FileImportError } from "../files/errors";
import { AltCsvReader, MARKET_WIDE_SYMBOL, readAltFile, readAltStream, symbolFromAltFileName } from "./csv";

const fixture = (name: string) => ({
  name,
  data: new Uint8Array(readFileSync(path.join(__dirname, "../../../test/alt", name))),
});
const bytes = (text: string) => new TextEncoder().encode(text);
const H = 3_600_000;

describe("alternative-data CSVs", () => {
  it("reads Binance's funding-rate export, rounding the 1 ms jitter away", () => {
    const r = readAltFile(fixture("BTCUSDT-funding-rate.csv"));
    expect(r.kind).toBe("funding");
    expect(r.symbol).toBe("BTCUSDT");
    expect(r.rowsRead).toBe(8);
    expect(r.time[0]).toBe(Date.UTC(2019, 8, 14, 8));
    expect(r.time[1]).toBe(Date.UTC(2019, 8, 14, 16)); // "16:00:00.001000+00:00"
    for (let i = 1; i < r.time.length; i++) expect(r.time[i] % H).toBe(0);
    expect(Array.from(r.value)).toEqual(new Array(8).fill(0.0001));
  });

  it("reads alternative.me's Fear & Greed export as day starts, market-wide", () => {
    const r = readAltFile(fixture("fear-greed-index.csv"));
    expect(r.kind).toBe("fearGreed");
    expect(r.symbol).toBe(MARKET_WIDE_SYMBOL);
    expect(r.time[0]).toBe(Date.UTC(2018, 3, 10));
    expect(r.time[4]).toBe(Date.UTC(2018, 3, 17));
    expect(Array.from(r.value.slice(0, 3))).toEqual([18, 20, 18]);
  });

  it("reads the data-dump funding layout and DD-MM-YYYY dates, symbol from the name", () => {
    const f = readAltFile({
      name: "ETHUSDT-fundingRate-2024-01.csv",
      data: bytes(
        "calc_time,funding_interval_hours,last_funding_rate\n1704096000000,8,0.00010000\n1704067200000,8,-0.0002\n",
      ),
    });
    expect(f.symbol).toBe("ETHUSDT");
    expect(Array.from(f.time)).toEqual([1704067200000, 1704096000000]); // sorted
    expect(Array.from(f.value)).toEqual([-0.0002, 0.0001]);
    const g = readAltFile({ name: "fng.csv", data: bytes("fng_value,fng_classification,date\n40,Fear,02-01-2024\n") });
    expect(g.time[0]).toBe(Date.UTC(2024, 0, 2));
  });

  it("keeps the first of repeated times and counts the rest", () => {
    const r = readAltFile({
      name: "BTCUSDT-funding.csv",
      data: bytes("fundingTime,fundingRate\n1704067200000,0.0001\n1704067200001,0.0005\n"),
    });
    expect(r.time.length).toBe(1);
    expect(r.value[0]).toBe(0.0001);
    expect(r.repeated).toBe(1);
  });

  it("is the same whatever the chunk borders (streaming)", () => {
    const data = fixture("BTCUSDT-funding-rate.csv").data;
    const whole = readAltFile({ name: "BTCUSDT-funding-rate.csv", data });
    const reader = new AltCsvReader("BTCUSDT-funding-rate.csv");
    for (let i = 0; i < data.length; i += 7) reader.push(data.subarray(i, i + 7));
    expect(reader.end()).toEqual(whole);
  });

  it("names the file and line of a bad row", () => {
    const bad =
      (text: string, name = "BTCUSDT-funding.csv") =>
      () =>
        readAltFile({ name, data: bytes(text) });
    expect(bad("fundingTime,fundingRate\n1704067200000,0.0001\n1704067200000,abc\n")).toThrow(
      /^BTCUSDT-funding\.csv, line 3: the value "abc" is not a number/,
    );
    expect(bad("fundingTime,fundingRate\n1704067200000,0.01\nnope,0.01\n")).toThrow(/line 3: the time "nope"/);
    expect(bad("fundingTime,fundingRate\n1704067200000,1.5\n")).toThrow(/line 2: .*not percents/);
    expect(bad("symbol,fundingTime,fundingRate\nETHUSDT,1704067200000,0.0001\n")).toThrow(
      /line 2: the symbol "ETHUSDT" differs from BTCUSDT/,
    );
    expect(bad("date,fng_value\n2024-01-01,140\n", "fng.csv")).toThrow(/^fng\.csv, line 2: the index "140" is outside/);
    expect(bad("open_time,open,close\n1,2,3\n", "x.csv")).toThrow(/^x\.csv, line 1: the header .* is neither/);
    expect(bad("", "x.csv")).toThrow(FileImportError);
  });

  it("applies the line and row limits", () => {
    const many = "fundingTime,fundingRate\n" + "1704067200000,0.0001\n".repeat(5);
    expect(() => readAltFile({ name: "BTCUSDT-funding.csv", data: bytes(many) }, { limits: { maxRows: 3 } })).toThrow(
      /line 5: more than 3 rows/,
    );
    expect(() =>
      readAltFile({ name: "a.csv", data: bytes("x".repeat(100)) }, { limits: { maxLineChars: 50 } }),
    ).toThrow(/^a\.csv, line 1: the line is longer than 50/);
  });

  it("reads symbols from funding file names only", () => {
    expect(symbolFromAltFileName("dl/BTCUSDT-funding-rate.csv")).toBe("BTCUSDT");
    expect(symbolFromAltFileName("fear-greed-index.csv")).toBeNull();
  });
});

describe("streamed alternative-data files", () => {
  it("reads a stream in its own chunks, as a File's stream delivers them", async () => {
    const data = fixture("fear-greed-index.csv").data;
    const stream = () =>
      new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < data.length; i += 11) c.enqueue(data.slice(i, i + 11));
          c.close();
        },
      });
    const r = await readAltStream({ name: "fear-greed-index.csv", size: data.length, stream });
    expect(r).toEqual(readAltFile(fixture("fear-greed-index.csv")));
  });

  it("refuses a file over the size limit before reading it", async () => {
    const stream = () => {
      throw new Error("read");
    };
    await expect(
      readAltStream({ name: "huge.csv", size: 2048, stream }, { limits: { maxCsvBytes: 1024 } }),
    ).rejects.toThrow(/^huge\.csv: the file is 2\.0 KB, over the 1\.0 KB limit/);
  });
});
