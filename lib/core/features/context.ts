import type { CandleColumns } from "../candles";
import { intervalMs, type Interval } from "../intervals";
import type { AltSeries, AltSourceName } from "./alt-series";

/**
 * Everything an indicator function may read for one timeframe: the closed candles of that
 * timeframe, their close times, and the alternative series. A memo shares intermediate results
 * (e.g. ADX used by both `adx` and the regime) between features of the same timeframe.
 */
export interface TimeframeContext {
  interval: Interval;
  candles: CandleColumns;
  /** openTime + interval length (exclusive close, UTC ms), [candles]. */
  closeTime: Float64Array;
  alt: Partial<Record<AltSourceName, AltSeries>>;
  memo<T>(key: string, make: () => T): T;
}

export function makeContext(
  interval: Interval,
  candles: CandleColumns,
  alt: Partial<Record<AltSourceName, AltSeries>>,
): TimeframeContext {
  const ms = intervalMs(interval);
  const closeTime = new Float64Array(candles.openTime.length);
  for (let i = 0; i < closeTime.length; i++) closeTime[i] = candles.openTime[i] + ms;
  const cache = new Map<string, unknown>();
  return {
    interval,
    candles,
    closeTime,
    alt,
    memo<T>(key: string, make: () => T): T {
      if (!cache.has(key)) cache.set(key, make());
      return cache.get(key) as T;
    },
  };
}
