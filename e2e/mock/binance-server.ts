/**
 * Mock Binance on loopback for Playwright journeys, the collect benchmark and unit tests.
 * Serves /api/v3/klines, /api/v3/exchangeInfo, /fapi/v1/fundingRate and /fng/ with Binance's
 * semantics, plus keyed Glassnode-like (/v1/metrics/market/mvrv_z_score, `api_key`) and
 * LunarCrush-like (/api4/public/coins/:coin/time-series/v2, `key`) endpoints answering 401
 * without the right key. The rest with Binance's
 * semantics (startTime/endTime/limit, only closed candles, X-MBX-USED-WEIGHT-1M, a per-minute
 * weight limit answered with 429 + Retry-After, error bodies), CORS + CORP headers (the studio
 * page is cross-origin isolated), and fault injection that tests flip in process (setFaults) or
 * over HTTP (POST /__control, GET /__stats, POST /__reset).
 *
 * The rate headers (X-MBX-USED-WEIGHT-1M, Retry-After) are always sent; whether a page may read
 * them is the Access-Control-Expose-Headers list, which the `hideRateHeaders` fault empties, as
 * servers that expose nothing do. Node's fetch ignores CORS: tests that need a page's view wrap
 * it (test/cors-fetch.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { intervalMs, isInterval } from "../../lib/core/intervals";
import { MockMarket, type MockGap } from "./data";

export type { MockGap } from "./data";

/** Faults to inject; counts are consumed one per API request (not /__ control routes or OPTIONS). */
export interface MockFaults {
  /** The next `count` requests get HTTP 429, with `Retry-After: retryAfterS` when given (none otherwise). */
  rateLimit?: { count: number; retryAfterS?: number };
  /** The next `count` requests get HTTP 418 (IP ban), with `Retry-After: retryAfterS` when given (none otherwise). */
  ban?: { count: number; retryAfterS?: number };
  /** True: Access-Control-Expose-Headers lists nothing, so a page cannot read the rate headers. */
  hideRateHeaders?: boolean;
  /** Kline rows to corrupt on the wire, matched by open time (any symbol and interval). */
  tamper?: MockTamper[];
  /** The next `count` requests get HTTP `status` (default 500). */
  serverError?: { count: number; status?: number };
  /** The next `count` requests have their connection destroyed without a response. */
  drop?: { count: number };
  /** Every API response is delayed by this many ms. */
  delayMs?: number;
  /** Candle ranges that do not exist (a gap); applied to the finest series, so coarser candles touching it vanish too. */
  gaps?: MockGap[];
  /** "Now" for the closed-candle rule (UTC ms); null/undefined = real time. */
  now?: number | null;
  /**
   * A misbehaving mirror: klines whose open time lies in [from, to] are served with open time
   * + offsetMs (e.g. 1 ms off the interval grid). Filtering and paging still use the true times.
   */
  misalign?: { from: number; to: number; offsetMs: number };
}

type KlineValues = Partial<Record<"open" | "high" | "low" | "close" | "volume", string | number>>;

/** A corrupted kline row: `set` overwrites fields as sent; `repeatWith` sends the row again with these fields changed. */
export interface MockTamper {
  openTime: number;
  set?: KlineValues;
  repeatWith?: KlineValues;
}

const KLINE_FIELD_INDEX = { open: 1, high: 2, low: 3, close: 4, volume: 5 } as const;

export interface MockBinanceOptions {
  /** 0 (default) = random free port. */
  port?: number;
  /** Folder of CSV/ZIP candle files (and optional funding / fear-greed CSVs) instead of the synthetic market. */
  dataDir?: string;
  /** Synthetic symbols (default BTCUSDT, ETHUSDT), each with its own seed. */
  symbols?: string[];
  /** Start of the synthetic history (UTC ms; default 2021-01-01). */
  syntheticOrigin?: number;
  faults?: MockFaults;
  /** Host to bind (default 127.0.0.1). */
  host?: string;
  /** Request weight allowed per calendar minute; a request beyond it gets HTTP 429 (default 6000, Binance spot's). */
  weightLimit?: number;
  /** Clock of the weight minutes (UTC ms; default Date.now): tests share a fake one with the client. */
  clock?: () => number;
  /** Keys the keyed endpoints accept (default MOCK_API_KEYS). */
  apiKeys?: { glassnode: string; lunarcrush: string };
}

/** The keys the mock's keyed endpoints accept by default (tests type them into the Data page). */
export const MOCK_API_KEYS = { glassnode: "mock-glassnode-key", lunarcrush: "mock-lunarcrush-key" } as const;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Most values one keyed answer holds (a 400 past it, so a runaway range shows). */
const MAX_KEYED_POINTS = 20_000;

/**
 * The keyed endpoints' values: deterministic waves (an MVRV Z-score about 0.5..3.5 over ~6
 * months, a sentiment 30..70 over ~4 days), stamped with the day's / hour's start, published
 * only once that period has ended (as the real sources do).
 */
function keyedRoute(
  p: string,
  q: URLSearchParams,
  now: number,
  keys: { glassnode: string; lunarcrush: string },
): [number, unknown] | null {
  const lunar = /^\/api4\/public\/coins\/([a-z0-9]+)\/time-series\/v2$/.exec(p);
  if (p !== "/v1/metrics/market/mvrv_z_score" && !lunar) return null;
  const glass = !lunar;
  const key = q.get(glass ? "api_key" : "key");
  if (key !== (glass ? keys.glassnode : keys.lunarcrush))
    return [401, { error: "Unauthorized: missing or wrong API key" }];
  const step = glass ? DAY_MS : HOUR_MS;
  const from = Math.ceil((Number(q.get(glass ? "s" : "start") ?? 0) * 1000) / step) * step;
  const until = Math.min(q.has(glass ? "u" : "end") ? Number(q.get(glass ? "u" : "end")) * 1000 : now, now - step);
  if (!Number.isFinite(from) || !Number.isFinite(until)) return [400, { error: "bad range" }];
  if ((until - from) / step > MAX_KEYED_POINTS) return [400, { error: "range too long" }];
  const rows: Record<string, number>[] = [];
  for (let t = from; t <= until; t += step) {
    const k = t / step;
    if (glass) rows.push({ t: t / 1000, v: Math.round((2 + 1.5 * Math.sin(k / 29)) * 1000) / 1000 });
    else rows.push({ time: t / 1000, sentiment: Math.round(50 + 20 * Math.sin(k / 15)) });
  }
  return [200, glass ? rows : { data: rows }];
}

export interface MockStats {
  /** API requests received (control routes and OPTIONS excluded). */
  total: number;
  byPath: Record<string, number>;
  /** Keyed by HTTP status, or "dropped". */
  byStatus: Record<string, number>;
  /** Keyed by `${path} ${status}`. */
  byPathStatus: Record<string, number>;
  /** Highest request weight counted in one calendar minute (what the limit is checked against). */
  peakWeight1m: number;
  /** OPTIONS requests received: CORS preflights, which the studio's requests should never need. */
  preflights: number;
}

export interface MockBinance {
  /** e.g. http://127.0.0.1:40123 (use as the client's base URL, spot, futures and F&G alike). */
  url: string;
  port: number;
  stats(): MockStats;
  /** Merges `f` into the current faults (a key set to undefined/null clears it). */
  setFaults(f: MockFaults): void;
  faults(): MockFaults;
  /** Clears faults, stats and the weight used this minute. */
  reset(): void;
  close(): Promise<void>;
}

const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
  "Access-Control-Allow-Headers": "*",
  "Access-Control-Expose-Headers": "X-MBX-USED-WEIGHT-1M, Retry-After",
  "Access-Control-Max-Age": "600",
  "Cross-Origin-Resource-Policy": "cross-origin",
};

/** CORS headers of a response: the rate headers exposed to pages, or not (`hideRateHeaders`). */
function corsHeaders(hideRateHeaders: boolean | undefined): Record<string, string> {
  if (!hideRateHeaders) return CORS_HEADERS;
  const { "Access-Control-Expose-Headers": _exposed, ...rest } = CORS_HEADERS;
  return rest;
}

/** The server's own weight table (Binance's docs), kept apart from the client's so that a wrong client table shows. */
const WEIGHTS: Record<string, number> = {
  "/api/v3/klines": 2,
  "/api/v3/exchangeInfo": 20,
  "/fapi/v1/fundingRate": 1,
  "/fng/": 1,
};

function emptyStats(): MockStats {
  return { total: 0, byPath: {}, byStatus: {}, byPathStatus: {}, peakWeight1m: 0, preflights: 0 };
}

/** Binance prints decimals as strings; 8 places like the real API. */
function dec(v: number): string {
  return Number.isFinite(v) ? v.toFixed(8) : "";
}

function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function fngClass(v: number): string {
  return v < 25 ? "Extreme Fear" : v < 46 ? "Fear" : v < 55 ? "Neutral" : v < 76 ? "Greed" : "Extreme Greed";
}

/** Starts the mock server; resolves once it listens. */
export async function startMockBinance(options: MockBinanceOptions = {}): Promise<MockBinance> {
  const market = new MockMarket({
    symbols: options.symbols ?? ["BTCUSDT", "ETHUSDT"],
    dataDir: options.dataDir,
    origin: options.syntheticOrigin,
  });
  let faults: MockFaults = {};
  let stats = emptyStats();
  let weightMinute = 0;
  let weightUsed = 0;
  const weightLimit = options.weightLimit ?? 6000;
  const clock = options.clock ?? Date.now;
  const sockets = new Set<Socket>();

  const setFaults = (f: MockFaults) => {
    const next: MockFaults = { ...faults };
    for (const [k, v] of Object.entries(f) as [keyof MockFaults, unknown][]) {
      if (v === undefined || v === null) delete next[k];
      else (next as Record<string, unknown>)[k] = v;
    }
    faults = next;
    market.setGaps(faults.gaps ?? []);
  };
  setFaults(options.faults ?? {});

  const now = () => faults.now ?? Date.now();

  const count = (p: string, status: string) => {
    stats.total++;
    stats.byPath[p] = (stats.byPath[p] ?? 0) + 1;
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    stats.byPathStatus[`${p} ${status}`] = (stats.byPathStatus[`${p} ${status}`] ?? 0) + 1;
  };

  const send = (res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}) => {
    if (res.destroyed) return;
    res.writeHead(status, { ...corsHeaders(faults.hideRateHeaders), "Content-Type": "application/json", ...extra });
    res.end(JSON.stringify(body));
  };

  const binanceError = (code: number, msg: string) => ({ code, msg });

  /** Answers one API request; returns [status, body]. */
  const route = (p: string, q: URLSearchParams): [number, unknown] => {
    const t = now();
    const keyed = keyedRoute(p, q, t, options.apiKeys ?? MOCK_API_KEYS);
    if (keyed) return keyed;
    if (p === "/api/v3/klines") {
      const symbol = q.get("symbol");
      const interval = q.get("interval") ?? "";
      if (!symbol)
        return [400, binanceError(-1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.")];
      if (!market.hasSymbol(symbol)) return [400, binanceError(-1121, "Invalid symbol.")];
      if (!isInterval(interval)) return [400, binanceError(-1120, "Invalid interval.")];
      const limit = q.has("limit") ? Number(q.get("limit")) : 500;
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        return [400, binanceError(-1130, "Data sent for parameter 'limit' is not valid.")];
      const c = market.candles(symbol, interval, t);
      if (!c) return [400, binanceError(-1120, "Invalid interval.")];
      const step = intervalMs(interval);
      // Only candles already closed at "now".
      const closedEnd = lowerBound(c.openTime, t - step + 1);
      const endTime = q.has("endTime") ? Number(q.get("endTime")) : Infinity;
      const endIdx = Math.min(closedEnd, lowerBound(c.openTime, endTime + 1));
      let from: number;
      let to: number;
      if (q.has("startTime")) {
        from = lowerBound(c.openTime, Number(q.get("startTime")));
        to = Math.min(endIdx, from + limit);
      } else {
        to = endIdx;
        from = Math.max(0, to - limit);
      }
      const rows: unknown[][] = [];
      const shift = faults.misalign;
      for (let i = from; i < to; i++) {
        const o =
          shift && c.openTime[i] >= shift.from && c.openTime[i] <= shift.to
            ? c.openTime[i] + shift.offsetMs
            : c.openTime[i];
        const vwap = c.volume[i] > 0 ? c.quoteVolume[i] / c.volume[i] : c.close[i];
        rows.push([
          o,
          dec(c.open[i]),
          dec(c.high[i]),
          dec(c.low[i]),
          dec(c.close[i]),
          dec(c.volume[i]),
          o + step - 1,
          dec(c.quoteVolume[i]),
          c.trades[i],
          dec(c.takerBuyBase[i]),
          dec(c.takerBuyBase[i] * vwap),
          "0",
        ]);
        const bad = faults.tamper?.find((x) => x.openTime === o);
        if (bad) {
          const patch = (r: unknown[], values: KlineValues) => {
            for (const [k, v] of Object.entries(values)) r[KLINE_FIELD_INDEX[k as keyof KlineValues]] = v;
            return r;
          };
          patch(rows[rows.length - 1], bad.set ?? {});
          if (bad.repeatWith) rows.push(patch([...rows[rows.length - 1]], bad.repeatWith));
        }
      }
      return [200, rows];
    }
    if (p === "/api/v3/exchangeInfo") {
      const one = q.get("symbol");
      const list = one === null ? market.symbols : market.hasSymbol(one) ? [one] : null;
      if (!list) return [400, binanceError(-1121, "Invalid symbol.")];
      return [
        200,
        {
          timezone: "UTC",
          serverTime: t,
          rateLimits: [{ rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: 6000 }],
          exchangeFilters: [],
          symbols: list.map((s) => ({
            symbol: s,
            status: "TRADING",
            baseAsset: s.replace(/(USDT|BUSD|USDC|BTC|ETH)$/, ""),
            quoteAsset: /(USDT|BUSD|USDC|BTC|ETH)$/.exec(s)?.[1] ?? "USDT",
          })),
        },
      ];
    }
    if (p === "/fapi/v1/fundingRate") {
      const symbol = q.get("symbol") ?? "";
      if (!market.hasSymbol(symbol)) return [400, binanceError(-1121, "Invalid symbol.")];
      const s = market.fundingRates(symbol, t);
      const limit = Math.min(1000, Math.max(1, Number(q.get("limit") ?? 100)));
      const endIdx = lowerBound(s.time, Math.min(t, q.has("endTime") ? Number(q.get("endTime")) : Infinity) + 1);
      const from = q.has("startTime") ? lowerBound(s.time, Number(q.get("startTime"))) : Math.max(0, endIdx - limit);
      const to = Math.min(endIdx, from + limit);
      const rows = [];
      for (let i = from; i < to; i++)
        rows.push({ symbol, fundingTime: s.time[i], fundingRate: s.value[i].toFixed(8), markPrice: "" });
      return [200, rows];
    }
    if (p === "/fng/" || p === "/fng") {
      const s = market.fearGreed(t);
      const limit = Number(q.get("limit") ?? 1);
      const endIdx = lowerBound(s.time, t + 1);
      const from = limit > 0 ? Math.max(0, endIdx - limit) : 0;
      const data = [];
      for (let i = endIdx - 1; i >= from; i--)
        data.push({
          value: String(s.value[i]),
          value_classification: fngClass(s.value[i]),
          timestamp: String(s.time[i] / 1000),
        });
      return [200, { name: "Fear and Greed Index", data, metadata: { error: null } }];
    }
    return [404, binanceError(-1000, `Unknown path ${p}`)];
  };

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      let s = "";
      req.setEncoding("utf8");
      req.on("data", (d: string) => (s += d));
      req.on("end", () => resolve(s));
      req.on("error", reject);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? "/", "http://mock");
    const p = u.pathname;
    if (req.method === "OPTIONS") {
      stats.preflights++;
      res.writeHead(204, corsHeaders(faults.hideRateHeaders));
      res.end();
      return;
    }
    if (p === "/__stats") return send(res, 200, stats);
    if (p === "/__reset" && req.method === "POST") {
      reset();
      return send(res, 200, { ok: true });
    }
    if (p === "/__control") {
      if (req.method === "POST") {
        try {
          setFaults(JSON.parse((await readBody(req)) || "{}") as MockFaults);
        } catch (e) {
          return send(res, 400, { error: `bad control body: ${e instanceof Error ? e.message : String(e)}` });
        }
      }
      return send(res, 200, faults);
    }

    // API request: faults first, in a fixed order.
    if (faults.drop && faults.drop.count > 0) {
      faults.drop = faults.drop.count > 1 ? { count: faults.drop.count - 1 } : undefined;
      count(p, "dropped");
      req.socket.destroy();
      return;
    }
    if (faults.delayMs && faults.delayMs > 0) {
      await new Promise((r) => setTimeout(r, faults.delayMs));
      if (res.destroyed || req.socket.destroyed) return;
    }
    const t = clock();
    const minute = Math.floor(t / 60_000);
    if (minute !== weightMinute) {
      weightMinute = minute;
      weightUsed = 0;
    }
    weightUsed += WEIGHTS[p] ?? 1;
    stats.peakWeight1m = Math.max(stats.peakWeight1m, weightUsed);
    const weightHeader = { "X-MBX-USED-WEIGHT-1M": String(weightUsed) };
    const tooMany = `Too many requests; current limit is ${weightLimit} request weight per 1 MINUTE.`;
    for (const kind of ["ban", "rateLimit"] as const) {
      const f = faults[kind];
      if (f && f.count > 0) {
        faults[kind] = f.count > 1 ? { ...f, count: f.count - 1 } : undefined;
        const status = kind === "ban" ? 418 : 429;
        count(p, String(status));
        const retryAfter: Record<string, string> =
          f.retryAfterS === undefined ? {} : { "Retry-After": String(f.retryAfterS) };
        return send(res, status, binanceError(-1003, kind === "ban" ? "Way too many requests; IP banned." : tooMany), {
          ...weightHeader,
          ...retryAfter,
        });
      }
    }
    if (weightUsed > weightLimit) {
      // Like Binance: over the minute's limit, 429 with the seconds left in the minute.
      count(p, "429");
      const retryAfterS = Math.ceil((60_000 - (t % 60_000)) / 1000);
      return send(res, 429, binanceError(-1003, tooMany), { ...weightHeader, "Retry-After": String(retryAfterS) });
    }
    if (faults.serverError && faults.serverError.count > 0) {
      const f = faults.serverError;
      faults.serverError = f.count > 1 ? { ...f, count: f.count - 1 } : undefined;
      const status = f.status ?? 500;
      count(p, String(status));
      return send(
        res,
        status,
        binanceError(-1001, "Internal error; unable to process your request. Please try again."),
        weightHeader,
      );
    }
    const [status, body] = route(p, u.searchParams);
    count(p, String(status));
    send(res, status, body, weightHeader);
  };

  function reset(): void {
    faults = {};
    market.setGaps([]);
    stats = emptyStats();
    weightUsed = 0;
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent)
        send(res, 500, { code: -1000, msg: `mock failure: ${e instanceof Error ? e.message : String(e)}` });
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    stats: () => structuredClone(stats),
    setFaults,
    faults: () => structuredClone(faults),
    reset,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
