/**
 * Alternative-data series (funding rate, Fear & Greed, optional keyed sources) and their
 * look-ahead-free alignment to candle close times.
 */

/** A time series of published values; `time` is when the value became public (UTC ms). */
export interface AltSeries {
  time: Float64Array;
  value: Float64Array;
}

export interface AltPoint {
  time: number;
  value: number;
}

/** Alternative data available to a dataset build; every source is optional. */
export interface AltInputs {
  /** Funding rate per funding event (fraction per 8h, e.g. 0.0001), at the funding time. */
  funding?: AltSeries | readonly AltPoint[];
  /** Fear & Greed index 0..100, stamped at its publication time (the day's 00:00 UTC). */
  fearGreed?: AltSeries | readonly AltPoint[];
  /** Keyed on-chain score (already scaled, about -1..1), e.g. from Glassnode. */
  onchain?: AltSeries | readonly AltPoint[];
  /** Keyed social-sentiment score (already scaled, about -1..1), e.g. from LunarCrush. */
  sentiment?: AltSeries | readonly AltPoint[];
}

export type AltSourceName = keyof AltInputs;

/** Sorted columns (time ascending, non-finite values dropped) from either accepted form. */
export function toAltSeries(input: AltSeries | readonly AltPoint[]): AltSeries {
  let time: number[];
  let value: number[];
  if ("time" in input && input.time instanceof Float64Array) {
    time = Array.from(input.time);
    value = Array.from((input as AltSeries).value);
  } else {
    const pts = input as readonly AltPoint[];
    time = pts.map((p) => p.time);
    value = pts.map((p) => p.value);
  }
  const order = time.map((_, i) => i).filter((i) => Number.isFinite(time[i]) && Number.isFinite(value[i]));
  order.sort((a, b) => time[a] - time[b] || a - b);
  return { time: Float64Array.from(order, (i) => time[i]), value: Float64Array.from(order, (i) => value[i]) };
}

/**
 * For each query time (ascending), the index of the latest point with time <= query, or -1 when
 * none exists or the latest is older than `maxAgeMs` (a stale source is treated as missing,
 * not carried forward forever). [queries.length]
 */
export function latestIndexAtOrBefore(series: AltSeries, queries: Float64Array, maxAgeMs = Infinity): Int32Array {
  const out = new Int32Array(queries.length);
  let j = -1;
  for (let i = 0; i < queries.length; i++) {
    const q = queries[i];
    while (j + 1 < series.time.length && series.time[j + 1] <= q) j++;
    out[i] = j >= 0 && q - series.time[j] <= maxAgeMs ? j : -1;
  }
  return out;
}
