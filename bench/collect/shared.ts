/** What node.ts and the page of the collect bench agree on: the range, the injected gap, the expected answer. */
import type { Interval } from "../../lib/core/intervals";

/** IndexedDB database of the naive row-per-candle reference (naive.worker.ts). */
export const NAIVE_DB_NAME = "bench-naive-rows";

export const SYMBOL = "BTCUSDT";
export const INTERVALS: Interval[] = ["15m", "1h", "4h"];
/** Collected range: open times from 2022-01-01 00:00 UTC to the last candle opening before 2024-01-01 (2 years). */
export const RANGE_FROM = Date.UTC(2022, 0, 1);
export const RANGE_END = Date.UTC(2024, 0, 1);

/**
 * One exchange-style outage the mock injects (15m open times, inclusive): 8 × 15m, so 2 × 1h and
 * 1 × 4h candles vanish too. The collector must record it as a gap and never refetch it.
 */
export const OUTAGE = { symbol: SYMBOL, from: Date.UTC(2023, 2, 24, 12, 0), to: Date.UTC(2023, 2, 24, 13, 45) };

/** The mock's own answer for one interval over the range, computed in Node from its data. */
export interface Expected {
  /** Closed candles the mock serves in the range. */
  count: number;
  /** Sum of close as sent on the wire (8 decimals), summed in ascending open time. */
  closeSum: number;
  /** Holes inside the range (open times of the missing candles, inclusive). */
  gaps: { from: number; to: number; missing: number }[];
}

/** Sum in ascending order so Node and the page add the same numbers in the same order. */
export function closeChecksum(close: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < close.length; i++) s += close[i];
  return s;
}

/**
 * Passes the pages of `pages` through, adding the milliseconds spent waiting for each one
 * (HTTP, JSON, parsing) to `waited.ms` and counting them, so a collect's wall time splits into
 * fetching and the rest (storing).
 */
export async function* timedPages<T>(
  pages: AsyncIterable<T>,
  waited: { ms: number; pages: number },
): AsyncGenerator<T> {
  const it = pages[Symbol.asyncIterator]();
  for (;;) {
    const t0 = performance.now();
    const r = await it.next();
    waited.ms += performance.now() - t0;
    if (r.done) return;
    waited.pages++;
    yield r.value;
  }
}
