import "fake-indexeddb/auto";
import { MessageChannel } from "node:worker_threads";
import * as Comlink from "comlink";
import { strToU8, zipSync } from "fflate";
import { afterEach, describe, expect, it } from "vitest";
import { columnsLength, type SeriesKey } from "../../core/candles";
import { getSeries, listSeries, readSeries } from "../../db/candles";
import { deleteStudioDb, StudioDb } from "../../db/schema";
import { makeCandles } from "@/test/db";
import { createCollectClient } from "./client";
import { createCollectApi } from "./api";
import { fakeExchange } from "@/test/fake-exchange";
import type { CollectProgress } from "./types";
import type { PageFetcher } from "./types";

const H = 3_600_000;
const T0 = Date.UTC(2023, 0, 1);
const NOW = () => T0 + 100_000 * H;
const KEY: SeriesKey = { source: "binance", symbol: "BTCUSDT", interval: "1h" };

let dbName = "";
const cleanups: (() => void)[] = [];
afterEach(async () => {
  cleanups.splice(0).forEach((f) => f());
  if (dbName) await deleteStudioDb(dbName);
});

/** A client whose "worker" is the API exposed over a MessageChannel (same structured cloning as a Worker). */
function clientOver(fetcher: PageFetcher, cancelGraceMs?: number) {
  dbName = `api-${Math.random().toString(36).slice(2)}`;
  let terminated = 0;
  const client = createCollectClient(
    () => {
      const { port1, port2 } = new MessageChannel();
      Comlink.expose(
        createCollectApi({ dbName, fetcherFor: () => fetcher, now: NOW, locks: null }),
        port1 as unknown as Comlink.Endpoint,
      );
      const close = () => {
        port1.close();
        port2.close();
      };
      cleanups.push(close);
      return Object.assign(port2 as unknown as Worker, {
        terminate: () => {
          terminated++;
          close();
        },
      });
    },
    { cancelGraceMs },
  );
  cleanups.push(() => client.terminate());
  return { client, terminated: () => terminated };
}

/** Binance dump CSV rows (12 columns, no header) for candles from t0. */
function binanceCsv(openTimes: number[]): string {
  return openTimes.map((t) => [t, 10, 12, 9, 11, 100, t + H - 1, 1000, 42, 50, 500, 0].join(",")).join("\n") + "\n";
}

describe("collect worker API through Comlink", () => {
  it("collects with progress callbacks, cancels by signal and resumes to the exact count", async () => {
    const candles = makeCandles(T0, 3000, H);
    const ctrl = new AbortController();
    const ex = fakeExchange({ candles, limit: 500, beforePage: (n) => n === 3 && ctrl.abort() });
    const { client } = clientOver(ex);
    const seen: CollectProgress[] = [];
    const args = { key: KEY, range: { from: T0, to: T0 + 2999 * H }, baseUrl: "http://127.0.0.1:1" };
    // The abort reaches the worker through cancel(token); wait for the cancelled result.
    const first = await client.collect(args, { signal: ctrl.signal, onProgress: (p) => seen.push(p) });
    expect(first.state).toBe("cancelled");
    expect(first.progress.stored).toBeGreaterThanOrEqual(1000);
    expect(first.progress.stored).toBeLessThan(3000);
    expect(seen.length).toBeGreaterThan(1);

    const second = await client.collect({ ...args, jobId: first.jobId });
    expect(second.state).toBe("done");
    expect(second.progress.stored).toBe(3000);
    expect(second.progress.duplicates).toBe(0);
  });

  it("terminates a worker that does not stop after cancel", async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const hanging: PageFetcher = async function* () {
      started();
      await new Promise(() => {}); // never yields, ignores the signal
    };
    const { client, terminated } = clientOver(hanging, 50);
    const ctrl = new AbortController();
    const p = client.collect({ key: KEY, range: { from: T0, to: T0 + 10 * H }, baseUrl: "x" }, { signal: ctrl.signal });
    // Abort once the worker is fetching: an abort during start-up drops the call before it is
    // sent (nothing to terminate), which made this test flaky on a loaded machine.
    void running.then(() => ctrl.abort());
    await expect(p).rejects.toMatchObject({ name: "AbortError" });
    expect(terminated()).toBe(1);
  });

  it("keeps user-facing error names and messages across the worker boundary", async () => {
    const failing: PageFetcher = async function* () {
      yield* [];
      throw Object.assign(new Error("Binance says the symbol does not exist."), { name: "BinanceError" });
    };
    const { client } = clientOver(failing);
    await expect(
      client.collect({ key: KEY, range: { from: T0, to: T0 + 10 * H }, baseUrl: "x" }),
    ).rejects.toMatchObject({
      name: "BinanceError",
      message: "Binance says the symbol does not exist.",
    });
  });

  it("imports files, counting duplicates and recording gaps; a second import adds nothing", async () => {
    const { client } = clientOver(fakeExchange({ candles: makeCandles(T0, 1, H) }));
    const times = [0, 1, 2, 2, 5, 6].map((i) => T0 + i * H); // a repeated row and a 2-candle hole
    const data = new TextEncoder().encode(binanceCsv(times));
    const [r] = (await client.importFiles([{ name: "BTCUSDT-1h-2023-01.csv", data: data.buffer }])).series;
    expect(r.parsed.symbol).toBe("BTCUSDT");
    expect(r.parsed.duplicates).toBe(1);
    expect(r.stored.added).toBe(5);
    expect(r.stored.gaps).toEqual([{ from: T0 + 3 * H, to: T0 + 4 * H, missing: 2 }]);
    expect(r.stored.seriesId).toBe("file:BTCUSDT:1h");
    const [again] = (await client.importFiles([{ name: "BTCUSDT-1h-2023-01.csv", data }])).series;
    expect(again.stored.added).toBe(0);
    expect(again.stored.duplicates).toBe(5);
  });

  it("stores each series of a ZIP holding 1h and 4h entries; a refused ZIP stores nothing", async () => {
    const { client } = clientOver(fakeExchange({ candles: makeCandles(T0, 1, H) }));
    const h1 = binanceCsv([0, 1, 2, 3, 4, 5, 6, 7].map((i) => T0 + i * H));
    const h4 = binanceCsv([0, 1].map((i) => T0 + i * 4 * H));
    const mixed = zipSync({ "BTCUSDT-1h-2023-01.csv": strToU8(h1), "BTCUSDT-4h-2023-01.csv": strToU8(h4) });
    const r = await client.importFiles([{ name: "BTCUSDT-2023-01.zip", data: mixed }]);
    expect(r.series.map((s) => [s.stored.seriesId, s.stored.added])).toEqual([
      ["file:BTCUSDT:1h", 8],
      ["file:BTCUSDT:4h", 2],
    ]);
    // ETH prices inside a BTCUSDT archive: refused whole, nothing stored (it was stored as BTCUSDT).
    const db = new StudioDb(dbName);
    const before = (await listSeries(db)).map((s) => [s.id, s.count]);
    const eth = zipSync({ "BTCUSDT-1h-2023-02.csv": strToU8(h1), "ETHUSDT-1h-2023-02.csv": strToU8(h1) });
    await expect(client.importFiles([{ name: "BTCUSDT-1h-2023.zip", data: eth }])).rejects.toMatchObject({
      name: "FileImportError",
      message: expect.stringMatching(
        /ETHUSDT-1h-2023-02\.csv: the entry's name says ETHUSDT but the archive's name says BTCUSDT/,
      ),
    });
    expect((await listSeries(db)).map((s) => [s.id, s.count])).toEqual(before);
    db.close();
  });

  it("refuses a file over the size limit by name before reading it into memory", async () => {
    dbName = `api-${Math.random().toString(36).slice(2)}`;
    const api = createCollectApi({ dbName, locks: null });
    let read = false;
    const huge = {
      name: "BTCUSDT-1m-all.csv",
      size: 3 * 1024 ** 3,
      arrayBuffer: async () => {
        read = true;
        return new ArrayBuffer(0);
      },
    } as unknown as File;
    await expect(api.importFiles("t", [huge])).rejects.toThrow(
      /^BTCUSDT-1m-all\.csv: the file is 3\.0 GB, over the 512\.0 MB limit/,
    );
    expect(read).toBe(false);
  });

  it("generates a synthetic market stored per interval and flagged synthetic", async () => {
    const { client } = clientOver(fakeExchange({ candles: makeCandles(T0, 1, H) }));
    const args = {
      seed: 7,
      symbol: "BTCUSDT",
      start: T0,
      end: T0 + 10 * 24 * H,
      intervals: ["15m", "1h", "4h"] as const,
    };
    const r = await client.generateSynthetic({ ...args, intervals: [...args.intervals] });
    expect(r.map((s) => s.series?.count)).toEqual([960, 240, 60]);
    const { StudioDb } = await import("../../db/schema");
    const db = new StudioDb(dbName);
    const list = await listSeries(db);
    expect(list.every((s) => s.synthetic && s.source === "synthetic")).toBe(true);
    const before = await readSeries(db, { source: "synthetic", symbol: "BTCUSDT", interval: "1h" });
    // Same seed again replaces the series with identical candles.
    await client.generateSynthetic({ ...args, intervals: ["1h"] });
    expect(await readSeries(db, { source: "synthetic", symbol: "BTCUSDT", interval: "1h" })).toEqual(before);
    expect((await getSeries(db, { source: "synthetic", symbol: "BTCUSDT", interval: "1h" }))?.count).toBe(240);
    expect(columnsLength(before)).toBe(240);
    db.close();
  });
});
