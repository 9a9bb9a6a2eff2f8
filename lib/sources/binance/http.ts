import { BinanceError, abortedError } from "./errors";
import { sleep } from "./sleep";
import { WeightTracker, weightTrackerFor } from "./weight";

/** How failed requests are retried. */
export interface RetryPolicy {
  /** Total attempts including the first (default 6). */
  maxAttempts: number;
  /** Backoff base in ms: attempt k waits random() * min(maxDelayMs, baseDelayMs * 2^k) (default 500). */
  baseDelayMs: number;
  /** Backoff cap in ms (default 30 000). */
  maxDelayMs: number;
  /** A Retry-After longer than this (ms) is not waited out: the error is thrown (default 120 000). */
  maxRetryAfterMs: number;
  /** Per-attempt timeout in ms; a hung request counts as a network error (default 30 000). */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  timeoutMs: 30_000,
};

/** Options shared by every client call. */
export interface RequestOptions {
  /** Cancels the call, including waits between retries. */
  signal?: AbortSignal;
  /** Injected fetch (tests); defaults to the global fetch. */
  fetchImpl?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  /** Weight budget; defaults to the shared tracker of the base URL's origin. */
  weight?: WeightTracker;
  /** Called before each wait caused by a failed attempt (progress UIs show "retrying in 3 s"). */
  onRetry?: (info: RetryInfo) => void;
  /** Random source in [0, 1) for jitter (tests). */
  random?: () => number;
  /**
   * Waits for pacing and between attempts (default: real timers). Tests pass one that advances
   * the fake clock of their WeightTracker, so minutes of pacing run in milliseconds.
   */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Headers every request sends: CORS-safelisted ones only. Any other (an API key header, a
 * custom one, `Content-Type: application/json`) makes a browser send a preflight OPTIONS before
 * each cross-origin GET: twice the round trips, and a failure where the server does not answer
 * OPTIONS.
 */
export const REQUEST_HEADERS: Readonly<Record<string, string>> = { Accept: "application/json" };

/** The shortest IP ban Binance documents; its bans scale from 2 minutes to 3 days for repeat offenders (ms). */
export const MIN_BAN_MS = 120_000;

export interface RetryInfo {
  /** The attempt that failed, 1-based. */
  attempt: number;
  delayMs: number;
  error: BinanceError;
}

/** Signal that fires on the caller's abort or after `ms` (the timeout does not count as abort). */
function attemptSignal(
  signal: AbortSignal | undefined,
  ms: number,
): { signal: AbortSignal; timedOut: () => boolean; done: () => void } {
  const ctrl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctrl.abort();
  }, ms);
  const onAbort = () => ctrl.abort();
  signal?.addEventListener("abort", onAbort, { once: true });
  return {
    signal: ctrl.signal,
    timedOut: () => timedOut,
    done: () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    },
  };
}

function parseRetryAfter(h: string | null, now: number): number | undefined {
  if (h === null || h.trim() === "") return undefined;
  const s = Number(h);
  if (Number.isFinite(s) && s >= 0) return s;
  const date = Date.parse(h);
  return Number.isFinite(date) ? Math.max(0, (date - now) / 1000) : undefined;
}

/** "2024-03-01 14:33 UTC", rounded up to the minute so that "after" is never too early. */
function clockTime(ms: number): string {
  const up = Math.ceil(ms / 60_000) * 60_000;
  return `${new Date(up).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Thrown instead of sending while a 418 ban lasts: requests during a ban can lengthen it. */
function stillBannedError(url: string, until: number): BinanceError {
  return new BinanceError(
    "banned",
    `${hostOf(url)} banned this IP address for sending too many requests (HTTP 418); nothing is sent to it before ${clockTime(until)}, because requests during a ban can lengthen it.`,
    { status: 418, retryAt: until, url },
  );
}

function binanceBody(text: string): { code?: number; msg?: string } {
  try {
    const j = JSON.parse(text) as unknown;
    if (j && typeof j === "object") {
      const { code, msg } = j as { code?: unknown; msg?: unknown };
      return { code: typeof code === "number" ? code : undefined, msg: typeof msg === "string" ? msg : undefined };
    }
  } catch {
    // Not JSON: fall through.
  }
  return {};
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * Turns a non-2xx response into a typed error. `retryable` says whether another attempt may help.
 * `now` is the local time of the response (UTC ms).
 */
function errorForStatus(
  status: number,
  text: string,
  retryAfterS: number | undefined,
  url: string,
  now: number,
): { error: BinanceError; retryable: boolean } {
  const { code, msg } = binanceBody(text);
  const details = { status, code, retryAfterS, url };
  const wait = retryAfterS === undefined ? "" : ` Retry after ${Math.ceil(retryAfterS)} s.`;
  if (status === 418) {
    // Without Retry-After the ban's length is unknown: retrying (five times in ~15 s before
    // issue 17) can only lengthen it, so stop and assume the shortest documented ban.
    const retryAt = now + (retryAfterS === undefined ? MIN_BAN_MS : retryAfterS * 1000);
    const when =
      retryAfterS === undefined
        ? ` It did not say for how long. Binance bans last from 2 minutes up to 3 days (longer for repeat offences): try again after ${clockTime(retryAt)} at the earliest, and later if it happens again; requests sent sooner can lengthen the ban.`
        : `${wait} Try again after ${clockTime(retryAt)}.`;
    return {
      error: new BinanceError(
        "banned",
        `${hostOf(url)} has temporarily banned this IP address for sending too many requests (HTTP 418).${when}`,
        { ...details, retryAt },
      ),
      retryable: retryAfterS !== undefined,
    };
  }
  if (status === 429) {
    return {
      error: new BinanceError("rate-limited", `${hostOf(url)} is rate-limiting requests (HTTP 429).${wait}`, details),
      retryable: true,
    };
  }
  if (code === -1121) {
    return {
      error: new BinanceError("invalid-symbol", "Invalid symbol: Binance does not list this trading pair.", details),
      retryable: false,
    };
  }
  if (status >= 500) {
    return {
      error: new BinanceError("http", `${hostOf(url)} had a server error (HTTP ${status}).`, details),
      retryable: true,
    };
  }
  const why = msg ? `: ${msg}` : "";
  return {
    error: new BinanceError(
      "http",
      `${hostOf(url)} refused the request (HTTP ${status}${code === undefined ? "" : `, code ${code}`})${why}`,
      details,
    ),
    retryable: false,
  };
}

/**
 * GETs `url` and returns its parsed JSON body, with Binance's etiquette: waits for the weight
 * budget first (charging `weight` to it), honours Retry-After on 429/418, waits out the rest of
 * the rate-limit window after a 429 without a readable Retry-After, never retries a 418 without
 * one (and sends nothing to that server until the ban is assumed over), retries 5xx and network
 * failures with capped exponential backoff and full jitter, never retries other 4xx. Sends only
 * CORS-safelisted headers (REQUEST_HEADERS). Throws BinanceError.
 *
 * @param weight documented request weight of this call (see KLINES_WEIGHT, EXCHANGE_INFO_WEIGHT)
 */
export async function getJson(url: string, weight: number, opts: RequestOptions = {}): Promise<unknown> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...opts.retry };
  const fetchImpl = opts.fetchImpl ?? globalThis.fetch.bind(globalThis);
  const tracker = opts.weight ?? weightTrackerFor(url);
  const random = opts.random ?? Math.random;
  const wait = opts.sleep ?? sleep;
  const { signal } = opts;

  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortedError();
    if (tracker.bannedUntil > tracker.now()) throw stillBannedError(url, tracker.bannedUntil);
    const pause = tracker.delayBefore(weight);
    if (pause > 0) await wait(pause, signal);
    if (signal?.aborted) throw abortedError();
    // Counted as sent before the answer: a page may never see the server's count (issue 17).
    tracker.charge(weight);

    let error: BinanceError;
    let retryable: boolean;
    let retryAfterMs: number | undefined;
    const att = attemptSignal(signal, policy.timeoutMs);
    try {
      const res = await fetchImpl(url, { signal: att.signal, headers: REQUEST_HEADERS });
      tracker.update(res.headers);
      // Reading the body can fail too (a connection dropped mid-response): same handling as fetch.
      const text = await res.text();
      if (res.ok) {
        try {
          return JSON.parse(text) as unknown;
        } catch (cause) {
          throw new BinanceError(
            "bad-response",
            `${hostOf(url)} answered with something that is not JSON; is the base URL right?`,
            { status: res.status, url, cause },
          );
        }
      }
      const now = tracker.now();
      const retryAfterS = parseRetryAfter(res.headers.get("retry-after"), now);
      ({ error, retryable } = errorForStatus(res.status, text, retryAfterS, url, now));
      if (res.status === 418) {
        if (retryAfterS !== undefined) retryAfterMs = retryAfterS * 1000;
        // A ban not waited out here: nothing goes to this server until it is assumed over.
        if (retryAfterMs === undefined || retryAfterMs > policy.maxRetryAfterMs)
          tracker.bannedUntil = error.retryAt ?? now + MIN_BAN_MS;
      } else if (res.status === 429) {
        // Without a readable Retry-After (a page cannot read it unless the server exposes it),
        // this window's budget is spent: wait for its end. Retrying after 0.2 s, four quick
        // retries earned a 418 ban (issue 17).
        retryAfterMs = retryAfterS !== undefined ? retryAfterS * 1000 : tracker.msToWindowEnd(now);
      }
    } catch (e) {
      if (e instanceof BinanceError) throw e;
      if (signal?.aborted) throw abortedError();
      const why = att.timedOut()
        ? `timed out after ${Math.round(policy.timeoutMs / 1000)} s`
        : "failed (network error or connection dropped)";
      error = new BinanceError(
        "network",
        `Could not reach ${hostOf(url)}: the request ${why}. Check the connection and the base URL.`,
        { url, cause: e },
      );
      retryable = true;
    } finally {
      att.done();
    }

    if (!retryable || attempt >= policy.maxAttempts) throw error;
    if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) throw error;
    const backoff = random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    // Retry-After is a floor (waiting less earns another 429); a little jitter avoids lockstep.
    const delayMs = retryAfterMs !== undefined ? retryAfterMs + random() * 250 : backoff;
    // Every caller sharing this budget waits too, not only this one.
    if (retryAfterMs !== undefined) tracker.holdUntil(tracker.now() + delayMs);
    opts.onRetry?.({ attempt, delayMs, error });
    await wait(delayMs, signal);
  }
}

/** Joins a base URL (with or without trailing slash / path prefix) and an API path plus query. */
export function buildUrl(baseUrl: string, path: string, query: Record<string, string | number | undefined>): string {
  const base = baseUrl.replace(/\/+$/, "");
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
  const qs = q.toString();
  return `${base}${path}${qs ? `?${qs}` : ""}`;
}
