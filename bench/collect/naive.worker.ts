/**
 * Reference for the collect bench: the same Binance client walk, stored the naive way, one
 * IndexedDB record per candle (Dexie bulkPut of each page's rows). Bench-only, so it imports
 * Dexie itself (the studio keeps Dexie inside lib/db). Bundled as ./naive.worker.js.
 */
import * as Comlink from "comlink";
import { Dexie, type Table } from "dexie";
import type { Candle } from "../../lib/core/candles";
import type { Interval } from "../../lib/core/intervals";
import { fetchKlinePages } from "../../lib/sources/binance/klines";
import { NAIVE_DB_NAME, timedPages } from "./shared";

/** One IndexedDB record per candle: the reference layout. */
interface CandleRow extends Candle {
  seriesId: string;
}

class NaiveDb extends Dexie {
  candles!: Table<CandleRow, [string, number]>;
  constructor() {
    super(NAIVE_DB_NAME);
    this.version(1).stores({ candles: "[seriesId+openTime]" });
  }
}

const db = new NaiveDb();

const naive = {
  /** Walks [from, to] (open times, inclusive) and bulkPuts every candle as its own record. */
  async collect(args: { baseUrl: string; symbol: string; interval: Interval; from: number; to: number }) {
    const sid = `binance:${args.symbol}:${args.interval}`;
    const waited = { ms: 0, pages: 0 };
    let storeMs = 0;
    let candles = 0;
    const t0 = performance.now();
    for await (const page of timedPages(
      fetchKlinePages({
        baseUrl: args.baseUrl,
        symbol: args.symbol,
        interval: args.interval,
        startTime: args.from,
        endTime: args.to,
      }),
      waited,
    )) {
      const c = page.candles;
      const rows: CandleRow[] = new Array(c.openTime.length);
      for (let i = 0; i < rows.length; i++) {
        rows[i] = {
          seriesId: sid,
          openTime: c.openTime[i],
          open: c.open[i],
          high: c.high[i],
          low: c.low[i],
          close: c.close[i],
          volume: c.volume[i],
          quoteVolume: c.quoteVolume[i],
          trades: c.trades[i],
          takerBuyBase: c.takerBuyBase[i],
        };
      }
      const ts = performance.now();
      await db.candles.bulkPut(rows);
      storeMs += performance.now() - ts;
      candles += rows.length;
    }
    const wallMs = performance.now() - t0;
    const stored = await db.candles.where("[seriesId+openTime]").between([sid, -Infinity], [sid, Infinity]).count();
    return { wallMs, fetchMs: waited.ms, storeMs, pages: waited.pages, candles, stored };
  },
  /** Empties the table between repetitions. */
  async clear(): Promise<void> {
    await db.candles.clear();
  },
};

export type NaiveWorkerApi = typeof naive;

Comlink.expose(naive);
