import "fake-indexeddb/auto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { columnsLength, type SeriesKey } from "../core/candles";
import { getSeries, listSeries, readSeries, storeCandles, deleteSeries } from "./candles";
import { STORAGE_FULL_MESSAGE, StorageFullError } from "./errors";
import { RestoreError } from "./restore";
import type { StudioDb } from "./schema";
import { freshDb, makeCandles } from "@/test/db";
import { startJob, getJob } from "./jobs";

const H = 3_600_000;
const KEY: SeriesKey = { source: "binance", symbol: "BTCUSDT", interval: "1h" };
const T0 = 1_700_000_000_000 - (1_700_000_000_000 % H);

let db: StudioDb;
afterEach(async () => {
  await db?.delete();
});

describe("candle storage", () => {
  it("round-trips candles across several chunks with exact metadata", async () => {
    db = freshDb();
    const c = makeCandles(T0, 2500, H);
    const r = await storeCandles(db, { key: KEY, candles: c });
    expect(r.added).toBe(2500);
    expect(r.duplicates).toBe(0);
    const back = await readSeries(db, KEY);
    expect(back).toEqual(c);
    const meta = await getSeries(db, KEY);
    expect(meta?.count).toBe(2500);
    expect(meta?.first).toBe(T0);
    expect(meta?.last).toBe(T0 + 2499 * H);
    expect(meta?.chunks).toBe(await db.chunks.count());
    expect(meta?.bytes).toBe(2500 * 9 * 8);
    expect(meta?.gaps).toEqual([]);
    // A sub-range read returns exactly the candles inside [from, to].
    const part = await readSeries(db, KEY, T0 + 10 * H, T0 + 1500 * H);
    expect(columnsLength(part)).toBe(1491);
    expect(part.openTime[0]).toBe(T0 + 10 * H);
    expect(part.openTime[1490]).toBe(T0 + 1500 * H);
  });

  it("never duplicates a candle when the same or an overlapping page arrives again", async () => {
    db = freshDb();
    const page = makeCandles(T0, 1000, H);
    await storeCandles(db, { key: KEY, candles: page });
    const chunksBefore = await db.chunks.count();
    const again = await storeCandles(db, { key: KEY, candles: page });
    expect(again.added).toBe(0);
    expect(again.duplicates).toBe(1000);
    const overlap = await storeCandles(db, { key: KEY, candles: makeCandles(T0 + 500 * H, 1000, H) });
    expect(overlap.added).toBe(500);
    expect(overlap.duplicates).toBe(500);
    const back = await readSeries(db, KEY);
    expect(columnsLength(back)).toBe(1500);
    for (let i = 1; i < back.openTime.length; i++) expect(back.openTime[i] - back.openTime[i - 1]).toBe(H);
    expect((await getSeries(db, KEY))?.count).toBe(1500);
    expect(await db.chunks.count()).toBeGreaterThanOrEqual(chunksBefore);
  });

  it("records holes inside a covered range as gaps, and not holes between separate writes", async () => {
    db = freshDb();
    const skip = new Set([T0 + 5 * H, T0 + 6 * H]);
    await storeCandles(db, { key: KEY, candles: makeCandles(T0, 10, H, skip), covered: { from: T0, to: T0 + 9 * H } });
    await storeCandles(db, { key: KEY, candles: makeCandles(T0 + 20 * H, 5, H) });
    const meta = await getSeries(db, KEY);
    expect(meta?.count).toBe(13);
    expect(meta?.gaps).toEqual([{ from: T0 + 5 * H, to: T0 + 6 * H, missing: 2 }]);
    expect(meta?.covered).toEqual([
      { from: T0, to: T0 + 9 * H },
      { from: T0 + 20 * H, to: T0 + 24 * H },
    ]);
  });

  it("a quota error leaves nothing half-written and says what to do", async () => {
    db = freshDb();
    await storeCandles(db, { key: KEY, candles: makeCandles(T0, 10, H) });
    const job = await startJob(db, { key: KEY, range: { from: T0, to: T0 + 2999 * H } });
    const spy = vi.spyOn(db.series, "put").mockImplementation(() => {
      throw new DOMException("quota", "QuotaExceededError");
    });
    const write = storeCandles(db, {
      key: KEY,
      candles: makeCandles(T0, 3000, H),
      job: { id: job.id, update: (j, r) => ({ ...j, progress: { ...j.progress, added: j.progress.added + r.added } }) },
    });
    await expect(write).rejects.toBeInstanceOf(StorageFullError);
    await expect(write).rejects.toThrow(STORAGE_FULL_MESSAGE);
    spy.mockRestore();
    // Chunks written before the failing metadata put were rolled back with it.
    expect(columnsLength(await readSeries(db, KEY))).toBe(10);
    expect(await db.chunks.count()).toBe(1);
    expect((await getSeries(db, KEY))?.count).toBe(10);
    expect((await getJob(db, job.id))?.progress.added).toBe(0);
  });

  it("restore rejects corrupt records instead of returning them", async () => {
    db = freshDb();
    await storeCandles(db, { key: KEY, candles: makeCandles(T0, 10, H) });
    const [raw] = await db.chunks.toArray();
    await db.chunks.put({ ...raw, cols: raw.cols.subarray(0, 80) });
    await expect(readSeries(db, KEY)).rejects.toBeInstanceOf(RestoreError);
    const bad = new Float64Array(raw.cols);
    bad[1] = bad[0]; // open times no longer increasing
    await db.chunks.put({ ...raw, cols: bad });
    await expect(readSeries(db, KEY)).rejects.toThrow(/strictly increasing/);
    await db.series.put({ ...(await db.series.toArray())[0], interval: "7x" as "1h" });
    await expect(getSeries(db, KEY)).rejects.toBeInstanceOf(RestoreError);
    expect((await listSeries(db)).corrupt).toEqual(["binance:BTCUSDT:1h"]);
  });

  it("deletes a series with its chunks and jobs", async () => {
    db = freshDb();
    await storeCandles(db, { key: KEY, candles: makeCandles(T0, 1500, H) });
    const other: SeriesKey = { ...KEY, symbol: "ETHUSDT" };
    await storeCandles(db, { key: other, candles: makeCandles(T0, 5, H) });
    await startJob(db, { key: KEY, range: { from: T0, to: T0 + H } });
    await deleteSeries(db, KEY);
    expect(await getSeries(db, KEY)).toBeUndefined();
    expect(await db.jobs.count()).toBe(0);
    expect((await listSeries(db)).map((s) => s.id)).toEqual(["binance:ETHUSDT:1h"]);
    expect(columnsLength(await readSeries(db, other))).toBe(5);
  });
});
