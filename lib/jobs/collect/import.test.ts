import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { columnsLength, concatColumns, type SeriesKey } from "../../core/candles";
import { getSeries, readSeries } from "../../db/candles";
import type { StudioDb } from "../../db/schema";
import { freshDb, makeCandles } from "@/test/db";
import { importSeries, storeSyntheticSeries } from "./import";

const H = 3_600_000;
const T0 = Date.UTC(2022, 5, 1);
const KEY: SeriesKey = { source: "file", symbol: "ETHUSDT", interval: "1h" };

let db: StudioDb;
afterEach(async () => {
  await db?.delete();
});

describe("importSeries", () => {
  it("stores unordered input in batches, records a gap across a batch boundary and skips duplicates", async () => {
    db = freshDb();
    // 0..99 and 103..199: the 3-candle hole falls between two batches of 100.
    const skip = new Set([100, 101, 102].map((i) => T0 + i * H));
    const c = makeCandles(T0, 200, H, skip);
    const reversed = concatColumns([makeCandles(T0 + 103 * H, 97, H), makeCandles(T0, 100, H)]);
    const progress: number[] = [];
    const r = await importSeries({
      db,
      key: KEY,
      candles: reversed,
      batchCandles: 100,
      onProgress: (p) => progress.push(p.done),
    });
    expect(r.added).toBe(197);
    expect(progress).toEqual([100, 197]);
    expect(r.gaps).toEqual([{ from: T0 + 100 * H, to: T0 + 102 * H, missing: 3 }]);
    expect(await readSeries(db, KEY)).toEqual(c);
    const again = await importSeries({ db, key: KEY, candles: makeCandles(T0 + 150 * H, 100, H) });
    expect(again.added).toBe(50);
    expect(again.duplicates).toBe(50);
    expect((await getSeries(db, KEY))?.count).toBe(247);
  });

  it("drops rows off the interval grid and repeated rows, and says how many", async () => {
    db = freshDb();
    const c = makeCandles(T0, 4, H);
    c.openTime[1] = T0 + 30 * 60_000; // half an hour: not a 1h open time
    c.openTime[3] = c.openTime[2];
    const r = await importSeries({ db, key: KEY, candles: c });
    expect(r.misaligned).toBe(1);
    expect(r.repeated).toBe(1);
    expect(r.added).toBe(2);
  });

  it("stores a synthetic series flagged synthetic, replacing the previous one", async () => {
    db = freshDb();
    await storeSyntheticSeries({ db, symbol: "SYN", interval: "1h", candles: makeCandles(T0, 50, H) });
    const r = await storeSyntheticSeries({
      db,
      symbol: "SYN",
      interval: "1h",
      candles: makeCandles(T0 + 1000 * H, 10, H),
    });
    expect(r.series?.synthetic).toBe(true);
    expect(r.series?.count).toBe(10);
    expect(columnsLength(await readSeries(db, { source: "synthetic", symbol: "SYN", interval: "1h" }))).toBe(10);
  });
});
