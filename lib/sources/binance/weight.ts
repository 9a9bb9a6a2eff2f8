/** Binance spot's request-weight budget per minute per IP (REQUEST_WEIGHT, 1 MINUTE). */
export const DEFAULT_WEIGHT_LIMIT = 6000;

/** Binance's rate-limit window: the calendar minute of its clock (ms). */
export const WINDOW_MS = 60_000;

/**
 * Slack added to waits that end at a minute boundary, because Binance's minute is its clock's,
 * not ours (ms).
 */
export const WINDOW_MARGIN_MS = 250;

export interface WeightTrackerOptions {
  /** Above this share of the limit, requests are spread over the rest of the minute (default 0.8). */
  softRatio?: number;
  /** Above this share, wait until the budget frees (default 0.95). */
  hardRatio?: number;
  /** Clock (UTC ms; default Date.now); tests pass a fake one together with a fake sleep. */
  now?: () => number;
}

/** A strict `X-MBX-USED-WEIGHT-1M`: a non-negative decimal integer, else null (unknown). */
export function parseUsedWeight(raw: string | null): number | null {
  // A sloppy parse turned "-5", "" or "0x10" into a number, and a negative or zero reading
  // switched pacing off (issue 17).
  return raw !== null && /^[0-9]+$/.test(raw) ? Number(raw) : null;
}

/**
 * Keeps one server's request-weight budget and says how long to pause before the next request,
 * so we stay under the limit instead of collecting 429s (repeated 429s earn an IP ban, HTTP 418).
 *
 * Two counts, and pacing follows the larger:
 * - local: the documented weight of every request this tracker let through in the last 60 s
 *   (charge). A page in a browser often cannot read `X-MBX-USED-WEIGHT-1M` (a cross-origin
 *   response shows only the headers its server exposes), so without this count pacing was off
 *   (issue 17). A sliding 60 s holds whatever Binance's clock says the minute is.
 * - reported: `X-MBX-USED-WEIGHT-1M` when readable, for Binance's current minute; it also counts
 *   what other tabs or programs on this IP spent.
 *
 * It also holds every caller after a 429 (until its Retry-After, or the window's end) and
 * refuses to send while a 418 ban lasts.
 */
export class WeightTracker {
  readonly softRatio: number;
  readonly hardRatio: number;
  /** The tracker's clock (UTC ms). */
  readonly now: () => number;
  /** Last reading of the header and its local time (ms); null before any. */
  private reported: { used: number; at: number } | null = null;
  /** Requests let through in the last 60 s, oldest first: local time (ms) and weight. */
  private sent: { at: number; weight: number }[] = [];
  /** No request before this local time (ms): a 429's wait, shared by every caller of this budget. */
  private heldUntil = 0;
  /** Local time (ms) a 418 ban is believed to end; 0 when not banned. */
  bannedUntil = 0;

  constructor(
    readonly limit = DEFAULT_WEIGHT_LIMIT,
    options: WeightTrackerOptions = {},
  ) {
    this.softRatio = options.softRatio ?? 0.8;
    this.hardRatio = options.hardRatio ?? 0.95;
    this.now = options.now ?? Date.now;
  }

  /** Records a request of `weight` as sent at `now` (call it just before sending). */
  charge(weight: number, now = this.now()): void {
    this.prune(now);
    this.sent.push({ at: now, weight });
  }

  /** Reads `X-MBX-USED-WEIGHT-1M` (any case) from a response's headers; an absent or malformed one is ignored. */
  update(headers: Headers, now = this.now()): void {
    const used = parseUsedWeight(headers.get("x-mbx-used-weight-1m"));
    if (used !== null) this.reported = { used, at: now };
  }

  /** What the header said for the current minute, or null when unknown (never read, or read last minute). */
  reportedUsed(now = this.now()): number | null {
    const r = this.reported;
    return r !== null && Math.floor(now / WINDOW_MS) === Math.floor(r.at / WINDOW_MS) ? r.used : null;
  }

  /** Weight this tracker let through in the 60 s before `now`. */
  localUsed(now = this.now()): number {
    this.prune(now);
    return this.sent.reduce((s, r) => s + r.weight, 0);
  }

  /** Weight used as far as we know: the larger of the local count and the header's. */
  current(now = this.now()): number {
    return Math.max(this.localUsed(now), this.reportedUsed(now) ?? 0);
  }

  /** Ms from `now` to the end of the current rate-limit window, plus the margin for clock skew. */
  msToWindowEnd(now = this.now()): number {
    return WINDOW_MS - (now % WINDOW_MS) + WINDOW_MARGIN_MS;
  }

  /** Holds every request until `until` (local ms), e.g. after a 429. */
  holdUntil(until: number): void {
    this.heldUntil = Math.max(this.heldUntil, until);
  }

  /** Milliseconds to wait before sending a request of `weight`. */
  delayBefore(weight: number, now = this.now()): number {
    const hard = this.limit * this.hardRatio;
    const soft = this.limit * this.softRatio;
    let wait = Math.max(0, this.heldUntil - now);
    const reported = this.reportedUsed(now);
    if (reported !== null && reported + weight > hard) wait = Math.max(wait, this.msToWindowEnd(now));
    const local = this.localUsed(now);
    if (local + weight > hard) {
      // Wait until enough of the oldest requests leave the 60 s window.
      let freed = 0;
      for (const r of this.sent) {
        freed += r.weight;
        if (local - freed + weight <= hard) {
          wait = Math.max(wait, r.at + WINDOW_MS - now);
          break;
        }
      }
    }
    if (wait > 0) return wait;
    const used = Math.max(local, reported ?? 0);
    if (used <= soft) return 0;
    const requestsLeft = Math.max(1, (hard - used) / Math.max(1, weight));
    return Math.ceil((WINDOW_MS - (now % WINDOW_MS)) / requestsLeft);
  }

  private prune(now: number): void {
    let k = 0;
    while (k < this.sent.length && this.sent[k].at <= now - WINDOW_MS) k++;
    if (k > 0) this.sent.splice(0, k);
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
