/** Binance spot's request-weight budget per minute per IP (REQUEST_WEIGHT, 1 MINUTE). */
export const DEFAULT_WEIGHT_LIMIT = 6000;

/**
 * Tracks the request weight Binance reports in `X-MBX-USED-WEIGHT-1M` and says how long to pause
 * before the next request so we stay under the limit instead of collecting 429s (repeated 429s
 * lead to an IP ban, HTTP 418). Binance's window is the calendar minute, so the count resets at
 * each minute boundary.
 */
export class WeightTracker {
  /** Last weight reported by the server for the current minute (0 when unknown). */
  used = 0;
  /** Local time (ms) of that report. */
  updatedAt = 0;

  constructor(
    readonly limit = DEFAULT_WEIGHT_LIMIT,
    /** Above this share of the limit, requests are spread over the rest of the minute. */
    readonly softRatio = 0.8,
    /** Above this share, wait for the next minute. */
    readonly hardRatio = 0.95,
  ) {}

  /** Reads `X-MBX-USED-WEIGHT-1M` (any case) from a response's headers. */
  update(headers: Headers, now = Date.now()): void {
    const raw = headers.get("x-mbx-used-weight-1m");
    const v = raw === null ? NaN : Number(raw);
    if (Number.isFinite(v)) {
      this.used = v;
      this.updatedAt = now;
    }
  }

  /** Weight used in the current minute as far as we know (0 after the minute has rolled). */
  current(now = Date.now()): number {
    return Math.floor(now / 60_000) === Math.floor(this.updatedAt / 60_000) ? this.used : 0;
  }

  /** Milliseconds to wait before sending a request of `weight`. */
  delayBefore(weight: number, now = Date.now()): number {
    const used = this.current(now);
    const toMinuteEnd = 60_000 - (now % 60_000);
    const hard = this.limit * this.hardRatio;
    const soft = this.limit * this.softRatio;
    if (used + weight > hard) return toMinuteEnd + 250;
    if (used <= soft) return 0;
    const requestsLeft = Math.max(1, (hard - used) / Math.max(1, weight));
    return Math.ceil(toMinuteEnd / requestsLeft);
  }
}

const trackers = new Map<string, WeightTracker>();

/** The shared tracker for one server (keyed by origin), so every call to it shares one budget. */
export function weightTrackerFor(baseUrl: string): WeightTracker {
  let key = baseUrl;
  try {
    key = new URL(baseUrl).origin;
  } catch {
    // Keep the raw string; the request itself will report the bad URL.
  }
  let t = trackers.get(key);
  if (!t) {
    t = new WeightTracker();
    trackers.set(key, t);
  }
  return t;
}
