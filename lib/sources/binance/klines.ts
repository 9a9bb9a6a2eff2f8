import {
  emptyColumns,
  mergeColumns,
  screenCandles,
  sliceColumns,
  type CandleColumns,
  type CandleRowReport,
} from "../../core/candles";
import { intervalMs, type Interval } from "../../core/intervals";
import { BinanceError, abortedError } from "./errors";
import { buildUrl, getJson, type RequestOptions } from "./http";
import { weightTrackerFor } from "./weight";

/** Binance's page size cap for /api/v3/klines. */
export const MAX_KLINES_LIMIT = 1000;

/**
 * Parses Binance kline rows (`[openTime, open, high, low, close, volume, closeTime,
 * quoteVolume, trades, takerBuyBase, takerBuyQuote, ignore]`, numbers or numeric strings) into
 * columns, in the order given. Throws a "bad-response" BinanceError on a malformed row (not an
 * array, or a field that is not a number). Values are not checked here: an infinite price (JSON
 * `1e400`) or high < low parses, and screenCandles rejects it (fetchKlinePages).
 */
export function parseKlineRows(rows: unknown): CandleColumns {
  if (!Array.isArray(rows))
    throw new BinanceError(
      "bad-response",
      "The server's kline answer is not a list; is the base URL a Binance-compatible API?",
    );
  const out = emptyColumns(rows.length);
  const num = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as unknown;
    if (!Array.isArray(r) || r.length < 10)
      throw new BinanceError(
        "bad-response",
        `Kline ${i} from the server is malformed (expected an array of 12 fields).`,
      );
    const vals = [num(r[0]), num(r[1]), num(r[2]), num(r[3]), num(r[4]), num(r[5]), num(r[7]), num(r[8]), num(r[9])];
    // Taker-buy volume may be blank from mirrors fed by OHLCV-only data: keep it NaN (unknown).
    // Prices and volume may be ±Infinity (row rejected later, see candleRowProblem), never NaN.
    const malformed = (v: number, k: number) => (k >= 1 && k <= 5 ? Number.isNaN(v) : !Number.isFinite(v));
    if (vals.slice(0, 8).some(malformed) || (Number.isNaN(vals[8]) && r[9] !== "" && r[9] !== null))
      throw new BinanceError("bad-response", `Kline ${i} from the server has a non-numeric field.`);
    out.openTime[i] = vals[0];
    out.open[i] = vals[1];
    out.high[i] = vals[2];
    out.low[i] = vals[3];
    out.close[i] = vals[4];
    out.volume[i] = vals[5];
    out.quoteVolume[i] = vals[6];
    out.trades[i] = vals[7];
    out.takerBuyBase[i] = vals[8];
  }
  return out;
}

export interface FetchKlinesOptions extends RequestOptions {
  /** e.g. https://api.binance.com (see BINANCE_BASE_URLS) or the mock server's url. */
  baseUrl: string;
  /** Upper-case pair, e.g. "BTCUSDT". */
  symbol: string;
  interval: Interval;
  /** First open time wanted (UTC ms, inclusive). */
  startTime: number;
  /** Last open time wanted (UTC ms, inclusive). */
  endTime: number;
  /** Candles per request, 1..1000 (default 1000). */
  limit?: number;
  /**
   * Ends every page at a multiple of this span (ms) when given: the first page is shortened to
   * the next boundary, so each later page fills exactly one storage chunk instead of touching two.
   */
  alignTo?: number;
  /** Clock for dropping the still-forming candle (default Date.now). */
  now?: () => number;
  /** Called with each page as it arrives, awaited before the next request (store it here). */
  onPage?: (page: KlinePage) => void | Promise<void>;
}

/** One page of klines as received (only closed, valid candles inside [startTime, endTime], each open time once). */
export interface KlinePage {
  candles: CandleColumns;
  /** Rows of this page left out of `candles`: invalid (candleRowProblem) or an open time repeated with other values. */
  report: CandleRowReport;
  /** The startTime this page was requested with (UTC ms). */
  requestedFrom: number;
  /** Where a next request should start: last openTime + interval, or the requested start when the page is empty (resume point). */
  nextStart: number;
  /** Weight used in the last minute after the request: the larger of the local count and the server's header. */
  usedWeight: number;
  /** True on the final page. */
  done: boolean;
}

/**
 * Request weight of one /api/v3/klines call. Binance's spot docs give "Weight: 2" for every
 * `limit` (1..1000); the limit-dependent table (1/2/5/10 for limit <100/<500/<=1000/>1000) is
 * the futures route's (/fapi/v1/klines), which this client does not call.
 */
export const KLINES_WEIGHT = 2;

/**
 * Walks /api/v3/klines forward from `startTime` in pages of up to `limit` candles, yielding
 * each page as it arrives, so callers can store pages incrementally and resume from
 * `nextStart`. Stops after `endTime`, or when a page comes back empty or short (no more data).
 * Candles that are not closed yet (openTime + interval > now) are dropped: Binance returns the
 * forming candle, which must never be stored as final. Missing candles (exchange outages) are
 * simply absent; callers find them with findGaps.
 *
 * Throws BinanceError (kind "invalid-symbol", "rate-limited", "network", "aborted", ...).
 */
export async function* fetchKlinePages(opts: FetchKlinesOptions): AsyncGenerator<KlinePage, void, void> {
  const step = intervalMs(opts.interval);
  const limit = Math.max(1, Math.min(MAX_KLINES_LIMIT, Math.floor(opts.limit ?? MAX_KLINES_LIMIT)));
  const now = opts.now ?? Date.now;
  // One tracker for the whole walk, so pacing sees every page's reported weight.
  const weight = opts.weight ?? weightTrackerFor(opts.baseUrl);
  const reqOpts = { ...opts, weight };
  let start = opts.startTime;
  while (start <= opts.endTime) {
    if (opts.signal?.aborted) throw abortedError();
    const url = buildUrl(opts.baseUrl, "/api/v3/klines", {
      symbol: opts.symbol,
      interval: opts.interval,
      startTime: start,
      endTime: opts.endTime,
      limit: pageLimit(start, limit, step, opts.alignTo),
    });
    const raw = await getJson(url, KLINES_WEIGHT, reqOpts);
    const received = parseKlineRows(raw);
    const n = received.openTime.length;
    // Keep rows inside the asked range and closed by now; a mirror may ignore endTime.
    const cutoff = now();
    let keep = 0;
    while (keep < n && received.openTime[keep] <= opts.endTime && received.openTime[keep] + step <= cutoff) keep++;
    // Paging follows the rows received; only the rows kept are screened (issue 17: candles with
    // negative prices or high < low from the API were stored unchecked, repeats dropped silently).
    const { candles, report } = screenCandles(keep === n ? received : sliceColumns(received, 0, keep));
    const last = keep > 0 ? received.openTime[keep - 1] : NaN;
    if (keep > 0 && last < start)
      throw new BinanceError(
        "bad-response",
        "The server returned candles older than requested; paging cannot continue.",
      );
    // A short page is not the end: a mirror may cap pages below `limit`, and stopping there
    // would mark the rest of the range as walked without its candles. Only an empty page, a
    // page cut by the range or by "now", the range's end, or a next candle that cannot have
    // closed yet stops the walk.
    const finished = keep < n || keep === 0 || last + step > opts.endTime || last + 2 * step > cutoff;
    // The cursor stays on the interval grid: after a row 1 ms off (a mirror's), `last + step`
    // would start the next request off the grid and skip one more candle each page.
    const nextStart = keep > 0 ? Math.floor(last / step) * step + step : start;
    const page: KlinePage = {
      candles,
      report,
      requestedFrom: start,
      nextStart,
      usedWeight: weight.current(),
      done: finished,
    };
    yield page;
    if (finished) return;
    start = nextStart;
  }
}

/** Candles to ask for from `start`: `limit`, or fewer so the page ends at the next multiple of `alignTo`. */
export function pageLimit(start: number, limit: number, step: number, alignTo?: number): number {
  if (!alignTo) return limit;
  const boundary = (Math.floor(start / alignTo) + 1) * alignTo;
  return Math.max(1, Math.min(limit, Math.ceil((boundary - start) / step)));
}

/**
 * Fetches all closed klines in [startTime, endTime] (see fetchKlinePages), calling `onPage` for
 * each page, and returns them merged (sorted, unique).
 */
export async function fetchKlines(opts: FetchKlinesOptions): Promise<CandleColumns> {
  const pages: CandleColumns[] = [];
  for await (const page of fetchKlinePages(opts)) {
    pages.push(page.candles);
    await opts.onPage?.(page);
  }
  return mergeColumns(pages);
}
