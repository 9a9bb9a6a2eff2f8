/** Candle intervals the studio knows, with their length in milliseconds. */
export const INTERVAL_MS = {
  "1m": 60_000,
  "5m": 300_000,
  "15m": 900_000,
  "30m": 1_800_000,
  "1h": 3_600_000,
  "2h": 7_200_000,
  "4h": 14_400_000,
  "6h": 21_600_000,
  "12h": 43_200_000,
  "1d": 86_400_000,
} as const;

export type Interval = keyof typeof INTERVAL_MS;

export const INTERVALS = Object.keys(INTERVAL_MS) as Interval[];

export function isInterval(value: string): value is Interval {
  return Object.prototype.hasOwnProperty.call(INTERVAL_MS, value);
}

/** Length of one candle of `interval`, in ms. */
export function intervalMs(interval: Interval): number {
  return INTERVAL_MS[interval];
}

/** Open time (ms) of the candle of `interval` that contains `timeMs` (UTC-aligned). */
export function floorToInterval(timeMs: number, interval: Interval): number {
  const ms = INTERVAL_MS[interval];
  return Math.floor(timeMs / ms) * ms;
}
