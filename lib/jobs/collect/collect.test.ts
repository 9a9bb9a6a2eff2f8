import "fake-indexeddb/auto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { columnsLength, findGaps, type SeriesKey } from "../../core/candles";
import { getSeries, readSeries } from "../../db/candles";
import { getJob, listResumableJobs } from "../../db/jobs";
import type { StudioDb } from "../../db/schema";
import { freshDb, makeCandles } from "@/test/db";
import { STORAGE_FULL_MESSAGE, StorageFullError } from "../../db/errors";
import { collectSeries } from "./collect";
import { CollectLockedError, LOCK_HELD_MESSAGE, type LockManagerLike } from "./lock";
import { fakeExchange } from "@/test/fake-exchange";
import type { CollectProgress } from "./types";

const H = 3_600_000;
const KEY: SeriesKey = { source: "binance", symbol: "BTCUSDT", interval: "1h" };
const T0 = 1_600_000_000_000 - (1_600_000_000_000 % H) + 123 * H; // not chunk-aligned on purpose
const NOW = () => T0 + 100_000 * H;

let db: StudioDb;
afterEach(async () => {
  await db?.delete();
});

function assertUniqueSorted(t: Float64Array) {
  for (let i = 1; i < t.length; i++) expect(t[i]).toBeGreaterThan(t[i - 1]);
}

describe("collectSeries", () => {
  it("collects a range page by page with progress and a done job", async () => {
    db = freshDb();
    const ex = fakeExchange({ candles: makeCandles(T0, 3500, H) });
    const seen: CollectProgress[] = [];
    let tick = 0;
    const clock = () => NOW() + 1000 * tick++; // each clock read is 1 s later: ETA becomes measurable
    const r = await collectSeries({
      db,
      key: KEY,
      range: { from: T0, to: T0 + 3499 * H },
      fetcher: ex,
      now: clock,
      onProgress: (p) => seen.push(p),
    });
    expect(r.state).toBe("done");
    expect(r.progress.stored).toBe(3500);
    expect(r.progress.expected).toBe(3500);
    expect(r.progress.fraction).toBe(1);
    expect(r.progress.requests).toBe(4);
    expect(columnsLength(await readSeries(db, KEY))).toBe(3500);
    expect((await getJob(db, r.jobId))?.state).toBe("done");
    // Progress is monotone and ends complete.
    for (let i = 1; i < seen.length; i++) expect(seen[i].covered).toBeGreaterThanOrEqual(seen[i - 1].covered);
    expect(seen[seen.length - 1].covered).toBe(3500);
    const mid = seen.find((p) => p.covered > 0 && p.covered < 3500);
    expect(mid?.etaMs).toBeGreaterThan(0);
    expect(seen[0].etaMs).toBeNull();
    expect(seen[seen.length - 1].etaMs).toBe(0);
  });

  it("fetches nothing for a range already stored, and only the missing part of a wider one", async () => {
    db = freshDb();
    const ex = fakeExchange({ candles: makeCandles(T0, 5000, H) });
    await collectSeries({ db, key: KEY, range: { from: T0 + 1000 * H, to: T0 + 2999 * H }, fetcher: ex, now: NOW });
    const before = ex.requests.length;
    const again = await collectSeries({
      db,
      key: KEY,
      range: { from: T0 + 1200 * H, to: T0 + 2500 * H },
      fetcher: ex,
      now: NOW,
    });
    expect(ex.requests.length).toBe(before);
    expect(again.fetched).toEqual([]);
    expect(again.progress.requests).toBe(0);
    const wider = await collectSeries({ db, key: KEY, range: { from: T0, to: T0 + 4999 * H }, fetcher: ex, now: NOW });
    expect(wider.fetched).toEqual([
      { from: T0, to: T0 + 999 * H },
      { from: T0 + 3000 * H, to: T0 + 4999 * H },
    ]);
    expect(wider.progress.duplicates).toBe(0);
    const all = await readSeries(db, KEY);
    expect(columnsLength(all)).toBe(5000);
    assertUniqueSorted(all.openTime);
  });

  it("resumes after an interrupted collection with the exact count and no duplicates", async () => {
    db = freshDb();
    const candles = makeCandles(T0, 4200, H);
    const ctrl = new AbortController();
    const ex = fakeExchange({ candles, limit: 500, beforePage: (n) => n === 4 && ctrl.abort() });
    const range = { from: T0, to: T0 + 4199 * H };
    const first = await collectSeries({ db, key: KEY, range, fetcher: ex, now: NOW, signal: ctrl.signal });
    expect(first.state).toBe("cancelled");
    expect(first.progress.stored).toBe(1500);
    const [resumable] = await listResumableJobs(db);
    expect(resumable.id).toBe(first.jobId);
    expect(resumable.state).toBe("cancelled");
    expect(resumable.progress.stored).toBe(1500);

    const ex2 = fakeExchange({ candles, limit: 500 });
    const second = await collectSeries({
      db,
      key: resumable.key,
      range: resumable.range,
      jobId: resumable.id,
      fetcher: ex2,
      now: NOW,
    });
    expect(second.state).toBe("done");
    // The resumed walk starts right after the last stored candle.
    expect(ex2.requests[0].startTime).toBe(T0 + 1500 * H);
    expect(second.progress.added).toBe(4200);
    expect(second.progress.duplicates).toBe(0);
    const all = await readSeries(db, KEY);
    expect(columnsLength(all)).toBe(4200);
    assertUniqueSorted(all.openTime);
    expect(all).toEqual(candles);
    expect(await listResumableJobs(db)).toEqual([]);
  });

  it("records exchange outages as gaps, never invents candles, and walks past empty pages", async () => {
    db = freshDb();
    // A 3-candle outage and a 2500-candle outage (longer than a 1000-slot window: empty pages).
    const skip = new Set<number>();
    for (const i of [100, 101, 102]) skip.add(T0 + i * H);
    for (let i = 2000; i < 4500; i++) skip.add(T0 + i * H);
    const candles = makeCandles(T0, 6000, H, skip);
    const ex = fakeExchange({ candles, mode: "window" });
    const r = await collectSeries({ db, key: KEY, range: { from: T0, to: T0 + 5999 * H }, fetcher: ex, now: NOW });
    expect(r.state).toBe("done");
    expect(r.gaps).toEqual([
      { from: T0 + 100 * H, to: T0 + 102 * H, missing: 3 },
      { from: T0 + 2000 * H, to: T0 + 4499 * H, missing: 2500 },
    ]);
    expect(r.progress.stored).toBe(6000 - 2503);
    expect(r.progress.covered).toBe(6000);
    const all = await readSeries(db, KEY);
    expect(all).toEqual(candles);
    expect(findGaps(all.openTime, H)).toEqual(r.gaps);
    // The gaps are walked: asking again fetches nothing.
    const again = fakeExchange({ candles, mode: "window" });
    await collectSeries({ db, key: KEY, range: { from: T0, to: T0 + 5999 * H }, fetcher: again, now: NOW });
    expect(again.requests).toEqual([]);
  });

  it("clamps the range to the last closed candle", async () => {
    db = freshDb();
    const candles = makeCandles(T0, 100, H);
    const ex = fakeExchange({ candles });
    const now = () => T0 + 50 * H + 1234; // candle 50 is still forming
    const r = await collectSeries({ db, key: KEY, range: { from: T0, to: T0 + 99 * H }, fetcher: ex, now });
    expect(ex.requests[0].endTime).toBe(T0 + 49 * H);
    expect((await getSeries(db, KEY))?.last).toBe(T0 + 49 * H);
    expect(r.progress.expected).toBe(50);
  });

  it("marks the job as error with the fetcher's message, keeping stored pages", async () => {
    db = freshDb();
    const ex = fakeExchange({
      candles: makeCandles(T0, 3000, H),
      beforePage: (n) => {
        if (n === 2) throw new Error("Binance is unreachable.");
      },
    });
    const p = collectSeries({ db, key: KEY, range: { from: T0, to: T0 + 2999 * H }, fetcher: ex, now: NOW });
    await expect(p).rejects.toThrow("Binance is unreachable.");
    const [job] = await listResumableJobs(db);
    expect(job.state).toBe("error");
    expect(job.error).toBe("Binance is unreachable.");
    expect(columnsLength(await readSeries(db, KEY))).toBe(1000);
  });

  it("refuses to collect a series whose lock another tab holds", async () => {
    db = freshDb();
    const held = new Set<string>();
    const locks: LockManagerLike = {
      request: async (name, _opts, cb) => {
        if (held.has(name)) return cb(null);
        held.add(name);
        try {
          return await cb({ name });
        } finally {
          held.delete(name);
        }
      },
    };
    held.add("collect:binance:BTCUSDT:1h");
    const ex = fakeExchange({ candles: makeCandles(T0, 10, H) });
    const p = collectSeries({ db, key: KEY, range: { from: T0, to: T0 + 9 * H }, fetcher: ex, now: NOW, locks });
    await expect(p).rejects.toBeInstanceOf(CollectLockedError);
    await expect(p).rejects.toThrow(LOCK_HELD_MESSAGE);
    expect(ex.requests).toEqual([]);
    held.clear();
    const ok = await collectSeries({ db, key: KEY, range: { from: T0, to: T0 + 9 * H }, fetcher: ex, now: NOW, locks });
    expect(ok.progress.stored).toBe(10);
  });

  it("stops on a full storage with a clear message, keeps whole pages only, and resumes once space is back", async () => {
    db = freshDb();
    const candles = makeCandles(T0, 3000, H);
    const range = { from: T0, to: T0 + 2999 * H };
    let puts = 0;
    const real = db.chunks.put.bind(db.chunks);
    // T0 is not chunk-aligned, so each 1000-candle page spans two chunks: fail the second page's second put.
    const spy = vi.spyOn(db.chunks, "put").mockImplementation((...args: Parameters<typeof db.chunks.put>) => {
      if (++puts === 4) throw new DOMException("full", "QuotaExceededError");
      return real(...args);
    });
    const p = collectSeries({ db, key: KEY, range, fetcher: fakeExchange({ candles }), now: NOW });
    await expect(p).rejects.toBeInstanceOf(StorageFullError);
    await expect(p).rejects.toThrow(STORAGE_FULL_MESSAGE);
    spy.mockRestore();
    expect(columnsLength(await readSeries(db, KEY))).toBe(1000);
    const [job] = await listResumableJobs(db);
    expect(job.error).toBe(STORAGE_FULL_MESSAGE);
    expect(job.progress.stored).toBe(1000);
    const r = await collectSeries({ db, key: KEY, range, jobId: job.id, fetcher: fakeExchange({ candles }), now: NOW });
    expect(r.progress.stored).toBe(3000);
    expect(await readSeries(db, KEY)).toEqual(candles);
  });
});
