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
}

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

function parseRetryAfter(h: string | null): number | undefined {
  if (h === null) return undefined;
  const s = Number(h);
  if (Number.isFinite(s) && s >= 0) return s;
  const date = Date.parse(h);
  return Number.isFinite(date) ? Math.max(0, (date - Date.now()) / 1000) : undefined;
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

/** Turns a non-2xx response into a typed error. `retryable` says whether another attempt may help. */
function errorForStatus(
  status: number,
  text: string,
  retryAfterS: number | undefined,
  url: string,
): { error: BinanceError; retryable: boolean } {
  const { code, msg } = binanceBody(text);
  const details = { status, code, retryAfterS, url };
  const wait = retryAfterS === undefined ? "" : ` Retry after ${Math.ceil(retryAfterS)} s.`;
  if (status === 418) {
    return {
      error: new BinanceError(
        "banned",
        `${hostOf(url)} has temporarily banned this IP address for sending too many requests.${wait}`,
        details,
      ),
      retryable: true,
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
 * budget first, honours Retry-After on 429/418, retries 5xx and network failures with capped
 * exponential backoff and full jitter, never retries other 4xx. Throws BinanceError.
 *
 * @param weight request weight of this call (klines with limit 1000: 2)
 */
export async function getJson(url: string, weight: number, opts: RequestOptions = {}): Promise<unknown> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...opts.retry };
  const fetchImpl = opts.fetchImpl ?? globalThis.fetch.bind(globalThis);
  const tracker = opts.weight ?? weightTrackerFor(url);
  const random = opts.random ?? Math.random;
  const { signal } = opts;

  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortedError();
    const pause = tracker.delayBefore(weight);
    if (pause > 0) await sleep(pause, signal);

    let error: BinanceError;
    let retryable: boolean;
    let retryAfterMs: number | undefined;
    const att = attemptSignal(signal, policy.timeoutMs);
    try {
      const res = await fetchImpl(url, { signal: att.signal, headers: { Accept: "application/json" } });
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
      const retryAfterS = parseRetryAfter(res.headers.get("retry-after"));
      ({ error, retryable } = errorForStatus(res.status, text, retryAfterS, url));
      if (retryAfterS !== undefined && (res.status === 429 || res.status === 418)) retryAfterMs = retryAfterS * 1000;
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
    opts.onRetry?.({ attempt, delayMs, error });
    await sleep(delayMs, signal);
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
