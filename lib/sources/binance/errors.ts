/** What went wrong talking to Binance (or a compatible mirror). */
export type BinanceErrorKind =
  "invalid-symbol" | "rate-limited" | "banned" | "network" | "http" | "aborted" | "bad-response";

export interface BinanceErrorDetails {
  status?: number;
  /** Binance error code from a `{code, msg}` body, e.g. -1121. */
  code?: number;
  /** Seconds the server asked us to wait (Retry-After). */
  retryAfterS?: number;
  /** Earliest time worth trying again (UTC ms), when known or assumed (a 418 ban). */
  retryAt?: number;
  url?: string;
  cause?: unknown;
}

/**
 * The one error type the Binance client throws. `message` is written for users (shown as is in
 * the UI); `kind` lets code decide (e.g. retry later, fix the symbol, stop quietly on abort).
 */
export class BinanceError extends Error {
  readonly kind: BinanceErrorKind;
  readonly status?: number;
  readonly code?: number;
  readonly retryAfterS?: number;
  readonly retryAt?: number;
  readonly url?: string;

  constructor(kind: BinanceErrorKind, message: string, details: BinanceErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "BinanceError";
    this.kind = kind;
    this.status = details.status;
    this.code = details.code;
    this.retryAfterS = details.retryAfterS;
    this.retryAt = details.retryAt;
    this.url = details.url;
  }
}

export function isBinanceError(e: unknown, kind?: BinanceErrorKind): e is BinanceError {
  return e instanceof BinanceError && (kind === undefined || e.kind === kind);
}

/** The error thrown when the caller's AbortSignal fires. */
export function abortedError(): BinanceError {
  return new BinanceError("aborted", "Cancelled.");
}

/** True for our own "aborted" error and for DOM/undici AbortErrors. */
export function isAbortError(e: unknown): boolean {
  if (e instanceof BinanceError) return e.kind === "aborted";
  return typeof e === "object" && e !== null && (e as { name?: unknown }).name === "AbortError";
}
