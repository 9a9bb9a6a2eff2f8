/** A fake in-memory exchange for collector tests (no network). */
import { columnsLength, sliceColumns, type CandleColumns } from "../lib/core/candles";
import { intervalMs } from "../lib/core/intervals";
import type { PageFetcher, PageRequest } from "../lib/jobs/collect/types";

export interface FakeExchangeOptions {
  /** All candles the exchange has (sorted, unique). */
  candles: CandleColumns;
  /** Candles per page (default 1000). */
  limit?: number;
  /**
   * "cursor": Binance-like, each page holds the next `limit` candles from the cursor (outages are
   * jumped over). "window": each page is a fixed time window of `limit` slots, so an outage
   * longer than a window yields empty pages in the middle of the range.
   */
  mode?: "cursor" | "window";
  /** Called before each page is yielded (tests abort from here). */
  beforePage?: (n: number, req: PageRequest) => void;
}

/** A PageFetcher over fixed data, with the requests it served. */
export function fakeExchange(opts: FakeExchangeOptions): PageFetcher & { requests: PageRequest[]; pages: number } {
  const limit = opts.limit ?? 1000;
  const t = opts.candles.openTime;
  const lowerBound = (x: number) => {
    let lo = 0;
    let hi = t.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (t[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const gen = async function* (req: PageRequest): AsyncGenerator<CandleColumns> {
    fetcher.requests.push(req);
    const step = intervalMs(req.interval);
    let cursor = req.startTime;
    while (cursor <= req.endTime) {
      if (req.signal?.aborted) throw new DOMException("aborted", "AbortError");
      await Promise.resolve();
      const a = lowerBound(cursor);
      let b: number;
      let next: number;
      if (opts.mode === "window") {
        const windowEnd = Math.min(req.endTime, cursor + (limit - 1) * step);
        b = lowerBound(windowEnd + 1);
        next = windowEnd + step;
      } else {
        b = Math.min(a + limit, lowerBound(req.endTime + 1));
        next = b > a ? t[b - 1] + step : req.endTime + step;
      }
      const page = sliceColumns(opts.candles, a, b);
      fetcher.pages++;
      opts.beforePage?.(fetcher.pages, req);
      if (req.signal?.aborted) throw new DOMException("aborted", "AbortError");
      yield page;
      if (opts.mode !== "window" && columnsLength(page) < limit) return;
      cursor = next;
    }
  };
  const fetcher = Object.assign(gen, { requests: [] as PageRequest[], pages: 0 });
  return fetcher;
}
