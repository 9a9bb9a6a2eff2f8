import type { TimeSeries } from "../series";
import { seriesFromPoints } from "../series";
import { BinanceError, abortedError } from "./errors";
import { buildUrl, getJson, type RequestOptions } from "./http";

/** Default base URL of Binance USD-M futures (funding rates). */
export const DEFAULT_FUTURES_BASE_URL = "https://fapi.binance.com";
/** Default base URL of the Fear & Greed index (alternative.me). */
export const DEFAULT_FEAR_GREED_BASE_URL = "https://api.alternative.me";

const FUNDING_LIMIT = 1000;

/**
 * Weight counted locally for one /fapi/v1/fundingRate call. Binance documents no per-minute
 * weight for it (it shares a separate 500 requests / 5 min / IP limit with /fapi/v1/fundingInfo);
 * 1 keeps each call visible to the futures origin's tracker.
 */
export const FUNDING_RATE_WEIGHT = 1;

/** Weight counted locally for one alternative.me /fng/ call (not a Binance route; documents no weight). */
export const FEAR_GREED_WEIGHT = 1;

export interface FetchFundingOptions extends RequestOptions {
  /** USD-M futures base URL (default https://fapi.binance.com). */
  baseUrl?: string;
  symbol: string;
  /** UTC ms, inclusive. */
  startTime: number;
  /** UTC ms, inclusive. */
  endTime: number;
  /** Entries per request, 1..1000 (default 1000). */
  limit?: number;
}

/**
 * Funding rates of a USD-M perpetual from /fapi/v1/fundingRate, paged forward by fundingTime.
 * Returns `time` = funding time (UTC ms, as reported, may carry a few ms of jitter) and
 * `value` = funding rate as a fraction per 8h period (0.0001 = 0.01%).
 */
export async function fetchFundingRates(opts: FetchFundingOptions): Promise<TimeSeries> {
  const base = opts.baseUrl ?? DEFAULT_FUTURES_BASE_URL;
  const points: { time: number; value: number }[] = [];
  const limit = Math.max(1, Math.min(FUNDING_LIMIT, Math.floor(opts.limit ?? FUNDING_LIMIT)));
  let start = opts.startTime;
  while (start <= opts.endTime) {
    if (opts.signal?.aborted) throw abortedError();
    const url = buildUrl(base, "/fapi/v1/fundingRate", {
      symbol: opts.symbol,
      startTime: start,
      endTime: opts.endTime,
      limit,
    });
    const body = await getJson(url, FUNDING_RATE_WEIGHT, opts);
    if (!Array.isArray(body))
      throw new BinanceError("bad-response", "The funding-rate answer is not a list; is the futures base URL right?", {
        url,
      });
    let last = -Infinity;
    for (const row of body) {
      const r = row as { fundingTime?: unknown; fundingRate?: unknown };
      const time = Number(r.fundingTime);
      const value = Number(r.fundingRate);
      if (!Number.isFinite(time) || !Number.isFinite(value))
        throw new BinanceError("bad-response", "A funding-rate entry from the server is malformed.", { url });
      if (time > opts.endTime) continue;
      points.push({ time, value });
      if (time > last) last = time;
    }
    if (body.length < limit || last === -Infinity || last < start) break;
    start = last + 1;
  }
  return seriesFromPoints(points);
}

export interface FetchFearGreedOptions extends RequestOptions {
  /** alternative.me-style base URL (default https://api.alternative.me). */
  baseUrl?: string;
  /** Optional range filter (UTC ms, inclusive). */
  startTime?: number;
  endTime?: number;
}

/**
 * The daily Crypto Fear & Greed index from `/fng/?limit=0&format=json` (whole history in one
 * request). Returns `time` = day start (UTC ms) and `value` = index 0..100, ascending.
 */
export async function fetchFearGreed(opts: FetchFearGreedOptions = {}): Promise<TimeSeries> {
  const url = buildUrl(opts.baseUrl ?? DEFAULT_FEAR_GREED_BASE_URL, "/fng/", { limit: 0, format: "json" });
  const body = (await getJson(url, FEAR_GREED_WEIGHT, opts)) as { data?: unknown } | null;
  if (!body || !Array.isArray(body.data))
    throw new BinanceError("bad-response", "The Fear & Greed answer has no data list; is its base URL right?", { url });
  const points: { time: number; value: number }[] = [];
  for (const row of body.data) {
    const r = row as { timestamp?: unknown; value?: unknown };
    const ts = Number(r.timestamp);
    const value = Number(r.value);
    if (!Number.isFinite(ts) || !Number.isFinite(value))
      throw new BinanceError("bad-response", "A Fear & Greed entry from the server is malformed.", { url });
    // alternative.me reports seconds; accept ms too (a mirror might).
    const time = ts < 1e11 ? ts * 1000 : ts;
    if (opts.startTime !== undefined && time < opts.startTime) continue;
    if (opts.endTime !== undefined && time > opts.endTime) continue;
    points.push({ time, value });
  }
  return seriesFromPoints(points);
}
