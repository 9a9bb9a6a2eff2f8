/**
 * Keyed alternative sources: an on-chain score from Glassnode and a social-sentiment score from
 * LunarCrush. The key goes in the query string (`api_key` for Glassnode, `key` for LunarCrush),
 * as both document: a header would make the browser send a CORS preflight (see REQUEST_HEADERS).
 * No error thrown from here carries the URL (it holds the key): messages name the host only.
 */
import type { TimeSeries } from "../series";
import { seriesFromPoints } from "../series";
import { BinanceError } from "../binance/errors";
import { buildUrl, getJson, type RequestOptions } from "../binance/http";

export const DEFAULT_GLASSNODE_BASE_URL = "https://api.glassnode.com";
export const DEFAULT_LUNARCRUSH_BASE_URL = "https://lunarcrush.com";

/** The Glassnode metric read: MVRV Z-score, daily (24h resolution), stamped with the day's start. */
export const GLASSNODE_METRIC_PATH = "/v1/metrics/market/mvrv_z_score";

export interface FetchKeyedOptions extends RequestOptions {
  baseUrl: string;
  apiKey: string;
  /** Pair or asset, e.g. "BTCUSDT" or "BTC" (the quote is dropped). */
  symbol: string;
  /** UTC ms, inclusive. */
  startTime: number;
  endTime: number;
}

const QUOTES = /(USDT|BUSD|USDC|FDUSD|TUSD|BTC|ETH|EUR|USD)$/;

/** The base asset of a pair ("BTCUSDT" → "BTC"); an asset is returned as is. */
export function baseAsset(symbol: string): string {
  const s = symbol.toUpperCase();
  const stripped = s.replace(QUOTES, "");
  return stripped.length >= 2 ? stripped : s;
}

/** Rethrows without the URL (it holds the key), keeping kind, status and message. */
function withoutUrl(e: unknown): never {
  if (e instanceof BinanceError)
    throw new BinanceError(e.kind, e.message, { status: e.status, code: e.code, retryAfterS: e.retryAfterS });
  throw e;
}

function refused(host: string, status: number | undefined): string | null {
  if (status === 401 || status === 403)
    return `${host} refused the API key (HTTP ${status}); check it on the Data page.`;
  return null;
}

/**
 * Glassnode's MVRV Z-score of the pair's base asset, mapped to -1..1 by tanh(z / 3) (z spans
 * about -1..8 over Bitcoin's history; 3 keeps the usual band away from saturation).
 * `time` = day start (UTC ms), `value` = score.
 */
export async function fetchOnchainScore(opts: FetchKeyedOptions): Promise<TimeSeries> {
  const url = buildUrl(opts.baseUrl, GLASSNODE_METRIC_PATH, {
    a: baseAsset(opts.symbol),
    i: "24h",
    s: Math.floor(opts.startTime / 1000),
    u: Math.floor(opts.endTime / 1000),
    api_key: opts.apiKey,
  });
  let body: unknown;
  try {
    body = await getJson(url, 1, opts);
  } catch (e) {
    const why = e instanceof BinanceError ? refused("Glassnode", e.status) : null;
    if (why) throw new BinanceError("http", why, { status: (e as BinanceError).status });
    withoutUrl(e);
  }
  if (!Array.isArray(body)) throw new BinanceError("bad-response", "The Glassnode answer is not a list.");
  const points = body.map((row) => {
    const r = row as { t?: unknown; v?: unknown };
    const t = Number(r.t);
    const v = Number(r.v);
    if (!Number.isFinite(t) || !Number.isFinite(v))
      throw new BinanceError("bad-response", "A Glassnode entry is malformed (expected {t, v}).");
    return { time: t * 1000, value: Math.tanh(v / 3) };
  });
  return seriesFromPoints(points.filter((p) => p.time >= opts.startTime && p.time <= opts.endTime));
}

/**
 * LunarCrush's hourly sentiment (share of positive posts, 0..100) of the pair's base asset,
 * mapped to -1..1 by (s - 50) / 50. `time` = hour start (UTC ms), `value` = score.
 */
export async function fetchSentimentScore(opts: FetchKeyedOptions): Promise<TimeSeries> {
  const coin = baseAsset(opts.symbol).toLowerCase();
  const url = buildUrl(opts.baseUrl, `/api4/public/coins/${encodeURIComponent(coin)}/time-series/v2`, {
    bucket: "hour",
    start: Math.floor(opts.startTime / 1000),
    end: Math.floor(opts.endTime / 1000),
    key: opts.apiKey,
  });
  let body: unknown;
  try {
    body = await getJson(url, 1, opts);
  } catch (e) {
    const why = e instanceof BinanceError ? refused("LunarCrush", e.status) : null;
    if (why) throw new BinanceError("http", why, { status: (e as BinanceError).status });
    withoutUrl(e);
  }
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new BinanceError("bad-response", "The LunarCrush answer has no data list.");
  const points = data.map((row) => {
    const r = row as { time?: unknown; sentiment?: unknown };
    const t = Number(r.time);
    const s = Number(r.sentiment);
    if (!Number.isFinite(t) || !Number.isFinite(s))
      throw new BinanceError("bad-response", "A LunarCrush entry is malformed (expected {time, sentiment}).");
    return { time: t * 1000, value: (s - 50) / 50 };
  });
  return seriesFromPoints(points.filter((p) => p.time >= opts.startTime && p.time <= opts.endTime));
}
