/**
 * Issue 17 item 6: a mirror serving open times 1 ms off the interval grid. Before the fix those
 * rows were dropped without a word while their range counted as walked, the next page started
 * 1 ms off the grid (one more candle skipped), the holes were listed as gaps "missing at the
 * source", and collecting again made 0 requests, so they were never filled.
 */
import "fake-indexeddb/auto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { columnsLength, type SeriesKey } from "@/lib/core/candles";
import { getSeries, readSeries } from "@/lib/db/candles";
import type { StudioDb } from "@/lib/db/schema";
import { WeightTracker } from "@/lib/sources/binance";
import { startMockBinance, type MockBinance } from "@/e2e/mock/binance-server";
import { freshDb } from "@/test/db";
import { binancePageFetcher } from "./binance-fetcher";
import { collectSeries } from "./collect";
import { rejectedNote } from "./progress";

const H = 3_600_000;
const ORIGIN = Date.UTC(2024, 0, 1);
const NOW = Date.UTC(2024, 0, 6, 0, 30);
const KEY: SeriesKey = { source: "binance", symbol: "BTCUSDT", interval: "1h" };
const RANGE = { from: ORIGIN, to: Date.UTC(2024, 0, 5, 23) }; // 120 candles
const OFF = { from: ORIGIN + 10 * H, to: ORIGIN + 12 * H, offsetMs: 1 }; // 3 candles 1 ms late

let mock: MockBinance;
let db: StudioDb;
beforeAll(async () => {
  mock = await startMockBinance({ syntheticOrigin: ORIGIN - 30 * 24 * H, faults: { now: NOW } });
});
afterAll(() => mock.close());
afterEach(() => db?.delete());

function collect(limit?: number) {
  const fetcher = binancePageFetcher({
    baseUrl: mock.url,
    now: () => NOW,
    weight: new WeightTracker(),
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
    ...(limit ? { limit } : {}),
  });
  return collectSeries({ db, key: KEY, range: RANGE, fetcher, now: () => NOW, locks: null });
}

describe("a mirror whose open times are 1 ms off the grid", () => {
  it("counts the rejected rows, never calls them gaps, and asks for them again", async () => {
    db = freshDb();
    mock.reset();
    mock.setFaults({ now: NOW, misalign: OFF });
    const first = await collect();
    expect(first.progress.rejected).toBe(3);
    expect(first.progress.rejectedExample).toBe(OFF.from + 1);
    expect(first.gaps).toEqual([]); // the exchange has those candles: not "missing at the source"
    expect(first.progress.stored).toBe(117);
    expect(first.progress.covered).toBe(117); // the 3 slots are not walked
    const series = await getSeries(db, KEY);
    expect(series?.gaps).toEqual([]);

    // The mirror mends itself: collecting again asks for exactly the rejected slots and fills them.
    mock.setFaults({ misalign: undefined });
    const before = mock.stats().total;
    const second = await collect();
    expect(mock.stats().total - before).toBeGreaterThan(0);
    expect(second.progress.rejected).toBe(0);
    expect(second.fetched).toEqual([{ from: OFF.from, to: OFF.to }]);
    expect(columnsLength(await readSeries(db, KEY))).toBe(120);
    expect(second.progress.fraction).toBe(1);
  });

  it("keeps page cursors on the grid, so no candle after an off-grid one is skipped", async () => {
    db = freshDb();
    mock.reset();
    // The last row of the first 10-candle page is off the grid; the next page must start on the grid.
    mock.setFaults({ now: NOW, misalign: { from: ORIGIN + 9 * H, to: ORIGIN + 9 * H, offsetMs: 1 } });
    const r = await collect(10);
    expect(r.progress.rejected).toBe(1);
    const t = (await readSeries(db, KEY)).openTime;
    expect(t.length).toBe(119);
    expect(Array.from(t)).toContain(ORIGIN + 10 * H); // the candle right after the off-grid one
  });
});

describe("rejectedNote", () => {
  it("says how many, why, the first one, and that they are asked for again", () => {
    expect(rejectedNote({ rejected: 0, rejectedExample: NaN }, "1h")).toBeNull();
    expect(rejectedNote({ rejected: 3, rejectedExample: Date.UTC(2024, 0, 1, 10, 0, 0, 1) }, "1h")).toBe(
      "3 candles were not stored: the source's open time is off the 1h grid (first: 2024-01-01T10:00:00.001Z). Those slots are not counted as collected; collecting again asks for them.",
    );
  });
});

describe("a source row refused as invalid", () => {
  it("leaves its slot unwalked (not a gap) and it is asked for again", async () => {
    db = freshDb();
    mock.reset();
    const bad = ORIGIN + 20 * H;
    mock.setFaults({ now: NOW, tamper: [{ openTime: bad, set: { high: 1 } }] });
    const first = await collect();
    expect(first.rows.rejected).toBe(1);
    expect(first.gaps).toEqual([]);
    mock.setFaults({ tamper: undefined });
    const second = await collect();
    expect(second.fetched).toEqual([{ from: bad, to: bad }]);
    expect((await readSeries(db, KEY)).openTime.length).toBe(120);
  });
});
