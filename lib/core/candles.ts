import type { Interval } from "./intervals";

/**
 * Candles of one series stored column-wise (one typed array per field), the layout used in
 * IndexedDB chunks, in workers and in feature code. All arrays have the same length; rows are
 * sorted by `openTime` ascending and unique. Times are UTC epoch milliseconds.
 */
export interface CandleColumns {
  openTime: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  /** Base-asset volume. */
  volume: Float64Array;
  /** Quote-asset volume (0 when the source lacks it). */
  quoteVolume: Float64Array;
  /** Number of trades (0 when the source lacks it). */
  trades: Float64Array;
  /** Taker-buy base-asset volume (NaN when the source lacks it). */
  takerBuyBase: Float64Array;
}

export const CANDLE_FIELDS = [
  "openTime",
  "open",
  "high",
  "low",
  "close",
  "volume",
  "quoteVolume",
  "trades",
  "takerBuyBase",
] as const satisfies readonly (keyof CandleColumns)[];

export type CandleField = (typeof CANDLE_FIELDS)[number];

/** Identifies one stored series. `source` is "binance", "file" or "synthetic". */
export interface SeriesKey {
  source: "binance" | "file" | "synthetic";
  symbol: string;
  interval: Interval;
}

export function seriesId(key: SeriesKey): string {
  return `${key.source}:${key.symbol}:${key.interval}`;
}

/** A single candle as a plain object (parsers and tests; bulk code uses CandleColumns). */
export interface Candle {
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  quoteVolume: number;
  trades: number;
  takerBuyBase: number;
}

export function emptyColumns(length = 0): CandleColumns {
  return {
    openTime: new Float64Array(length),
    open: new Float64Array(length),
    high: new Float64Array(length),
    low: new Float64Array(length),
    close: new Float64Array(length),
    volume: new Float64Array(length),
    quoteVolume: new Float64Array(length),
    trades: new Float64Array(length),
    takerBuyBase: new Float64Array(length),
  };
}

export function columnsLength(c: CandleColumns): number {
  return c.openTime.length;
}

export function columnsFromCandles(candles: readonly Candle[]): CandleColumns {
  const out = emptyColumns(candles.length);
  candles.forEach((c, i) => {
    for (const f of CANDLE_FIELDS) out[f][i] = c[f];
  });
  return out;
}

export function candleAt(c: CandleColumns, i: number): Candle {
  const row = {} as Candle;
  for (const f of CANDLE_FIELDS) row[f] = c[f][i];
  return row;
}

/** Rows [start, end) as a new set of columns (copies). */
export function sliceColumns(c: CandleColumns, start: number, end: number): CandleColumns {
  const out = {} as CandleColumns;
  for (const f of CANDLE_FIELDS) out[f] = c[f].slice(start, end);
  return out;
}

/** Concatenates column sets that are already sorted and non-overlapping, in order. */
export function concatColumns(parts: readonly CandleColumns[]): CandleColumns {
  const total = parts.reduce((n, p) => n + columnsLength(p), 0);
  const out = emptyColumns(total);
  let at = 0;
  for (const p of parts) {
    for (const f of CANDLE_FIELDS) out[f].set(p[f], at);
    at += columnsLength(p);
  }
  return out;
}

/**
 * Merges candles from several column sets into one sorted series, keeping the first value seen
 * for a repeated open time (so re-imported or overlapping pages never duplicate a candle).
 */
export function mergeColumns(parts: readonly CandleColumns[]): CandleColumns {
  const all = concatColumns(parts);
  const n = columnsLength(all);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => all.openTime[a] - all.openTime[b] || a - b);
  const keep: number[] = [];
  for (const i of order) {
    if (keep.length === 0 || all.openTime[keep[keep.length - 1]] !== all.openTime[i]) keep.push(i);
  }
  const out = emptyColumns(keep.length);
  keep.forEach((src, dst) => {
    for (const f of CANDLE_FIELDS) out[f][dst] = all[f][src];
  });
  return out;
}

/** A hole in a series: candles expected at `from` .. `to` (open times, inclusive) are absent. */
export interface Gap {
  from: number;
  to: number;
  missing: number;
}

/** Lists gaps in a sorted series of `interval` candles. Never invents candles. */
export function findGaps(openTime: Float64Array, intervalLengthMs: number): Gap[] {
  const gaps: Gap[] = [];
  for (let i = 1; i < openTime.length; i++) {
    const step = openTime[i] - openTime[i - 1];
    if (step > intervalLengthMs) {
      gaps.push({
        from: openTime[i - 1] + intervalLengthMs,
        to: openTime[i] - intervalLengthMs,
        missing: Math.round(step / intervalLengthMs) - 1,
      });
    }
  }
  return gaps;
}
