import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { describeRowReport, type SeriesKey } from "../../core/candles";
import { readSeries } from "../../db/candles";
import type { StudioDb } from "../../db/schema";
import { freshDb } from "@/test/db";
import { WeightTracker } from "../../sources/binance/weight";
import { binancePageFetcher } from "./binance-fetcher";
import { collectSeries } from "./collect";

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const KEY: SeriesKey = { source: "binance", symbol: "BTCUSDT", interval: "1h" };
const row = (t: number, high = "2", close = "1.5") => [
  t,
  "1",
  high,
  "0.5",
  close,
  "3",
  t + H - 1,
  "3",
  1,
  "1",
  "1",
  "0",
];

let db: StudioDb;
afterEach(async () => {
  await db?.delete();
});

describe("binancePageFetcher in a collect", () => {
  it("hands the collector what the API sent but was not stored (issue 17)", async () => {
    db = freshDb();
    const body = [row(T0), row(T0 + H, "0.4"), row(T0 + 2 * H), row(T0 + 2 * H, "2", "1.9"), row(T0 + 3 * H)];
    const fetchImpl = (async () => new Response(JSON.stringify(body))) as unknown as typeof fetch;
    const fetcher = binancePageFetcher({
      baseUrl: "http://x",
      fetchImpl,
      weight: new WeightTracker(),
      now: () => T0 + 100 * H,
    });
    const r = await collectSeries({
      db,
      key: KEY,
      range: { from: T0, to: T0 + 3 * H },
      fetcher,
      now: () => T0 + 100 * H,
      locks: null,
    });
    expect(Array.from((await readSeries(db, KEY)).openTime)).toEqual([T0, T0 + 2 * H, T0 + 3 * H]);
    expect((await readSeries(db, KEY)).close[1]).toBe(1.5);
    expect(r.rows).toEqual({
      rejected: 1,
      firstRejected: { openTime: T0 + H, problem: "high 0.4 is below low 0.5." },
      conflicts: 1,
      firstConflict: T0 + 2 * H,
    });
    expect(describeRowReport(r.rows)).toMatch(/^1 candle rejected as invalid/);
  });
});
