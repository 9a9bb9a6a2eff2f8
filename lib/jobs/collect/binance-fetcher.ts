/** Adapter: the Binance client's page walk as the collector's PageFetcher. */
import { intervalMs } from "@/lib/core/intervals";
import { chunkSpanMs } from "@/lib/db/chunk-layout";
import { fetchKlinePages } from "../../sources/binance/klines";
import type { RequestOptions } from "../../sources/binance/http";
import type { PageFetcher } from "./types";

export interface BinanceFetcherOptions extends Omit<RequestOptions, "signal"> {
  /** REST base URL (settings: api.binance.com, a mirror, or the loopback mock in tests). */
  baseUrl: string;
  /** Clock used to drop the still-forming candle (default Date.now). */
  now?: () => number;
}

/** PageFetcher over GET /api/v3/klines (pages of up to 1000 closed candles, retrying, cancellable). */
export function binancePageFetcher(opts: BinanceFetcherOptions): PageFetcher {
  return async function* (req) {
    const pages = fetchKlinePages({
      ...opts,
      symbol: req.symbol,
      interval: req.interval,
      startTime: req.startTime,
      endTime: req.endTime,
      signal: req.signal,
      // Pages that match storage chunks are written once each (see lib/db/chunk-layout).
      alignTo: chunkSpanMs(intervalMs(req.interval)),
    });
    for await (const page of pages) {
      req.onRowReport?.(page.report);
      yield page.candles;
    }
  };
}
