import { intervalMs, type Interval } from "../../core/intervals";

/** Base URLs offered in settings: any Binance-compatible mirror may be typed in instead. */
export const BINANCE_BASE_URLS = [
  "https://api.binance.com",
  "https://data-api.binance.vision",
  "https://api.binance.us",
] as const;

export const DEFAULT_BINANCE_BASE_URL = BINANCE_BASE_URLS[0];

/** Binance spot's first candles (BTCUSDT, 2017-08-17); earlier starts only waste requests. */
export const BINANCE_EPOCH_MS = Date.UTC(2017, 7, 17);

/** Trims and upper-cases what a user typed as a symbol ("btcusdt " → "BTCUSDT"). */
export function normalizeSymbol(input: string): string {
  return input.trim().toUpperCase();
}

/** Returns a message users see when `symbol` cannot be a Binance pair, else null. */
export function validateSymbol(symbol: string): string | null {
  const s = symbol.trim();
  if (s === "") return "Enter a symbol, e.g. BTCUSDT.";
  if (/[\s/\-_]/.test(s))
    return `"${s}" is not a Binance symbol: write the pair without separators, e.g. BTCUSDT (not BTC/USDT).`;
  if (!/^[A-Za-z0-9]{5,20}$/.test(s))
    return `"${s}" is not a Binance symbol: use 5 to 20 letters or digits, e.g. BTCUSDT.`;
  return null;
}

/**
 * Checks a requested date range (UTC ms). Returns a user-facing message, or null when fine.
 * `now` defaults to Date.now().
 */
export function validateRange(startTime: number, endTime: number, interval: Interval, now = Date.now()): string | null {
  if (!Number.isFinite(startTime)) return "Choose a start date.";
  if (!Number.isFinite(endTime)) return "Choose an end date.";
  if (startTime >= endTime) return "The start date must be before the end date.";
  if (startTime > now) return "The start date is in the future: there are no candles yet.";
  if (endTime > now + intervalMs(interval))
    return "The end date is in the future: candles are collected up to now; choose an end date up to today.";
  if (endTime - startTime < intervalMs(interval)) return `The range is shorter than one ${interval} candle.`;
  return null;
}

/** Checks a base URL typed in settings. Returns a user-facing message, or null when fine. */
export function validateBaseUrl(input: string): string | null {
  let u: URL;
  try {
    u = new URL(input.trim());
  } catch {
    return `"${input}" is not a URL; e.g. ${DEFAULT_BINANCE_BASE_URL}.`;
  }
  if (u.protocol !== "https:" && u.protocol !== "http:")
    return "The base URL must start with https:// (or http:// for a local mirror).";
  // The studio's Content-Security-Policy (scripts/csp.mjs) allows plain http only on loopback,
  // so a LAN mirror over http would fail later with a bare "could not reach".
  if (u.protocol === "http:" && !["localhost", "127.0.0.1", "[::1]"].includes(u.hostname))
    return `http:// works only for a mirror on this computer (localhost or 127.0.0.1); use https:// for ${u.hostname}.`;
  if (u.search || u.hash) return "The base URL must not contain ? or #.";
  return null;
}
