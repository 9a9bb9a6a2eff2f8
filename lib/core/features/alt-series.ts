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
  /** Fear & Greed index 0..100, stamped with its day's start (00:00 UTC), as alternative.me lists it. */
  fearGreed?: AltSeries | readonly AltPoint[];
  /** Keyed on-chain score (already scaled, about -1..1), e.g. from Glassnode, stamped with its day's start. */
  onchain?: AltSeries | readonly AltPoint[];
  /** Keyed social-sentiment score (already scaled, about -1..1), e.g. from LunarCrush, stamped with its hour's start. */
  sentiment?: AltSeries | readonly AltPoint[];
}

export type AltSourceName = keyof AltInputs;

/**
 * Where a dataset's values of one source came from: real (stored from a file or a fetch),
 * synthetic (generated), or fallback (none: its features hold the documented neutral value).
 */
export type AltOrigin = "real" | "synthetic" | "fallback";
export type AltOrigins = Record<AltSourceName, AltOrigin>;

/** True when real candles are paired with synthetic alternative data (the UI marks such a dataset). */
export function hasSyntheticAlt(syntheticCandles: boolean, origin: Partial<AltOrigins> | undefined): boolean {
  return !syntheticCandles && Object.values(origin ?? {}).includes("synthetic");
}

/**
 * The usual spacing of each source's stamps (ms): a longer step between two stored values is a
 * gap. Funding is every 8 h on Binance's main perpetuals (some pairs settle every 4 h: their
 * series simply has no gaps by this measure).
 */
export const ALT_CADENCE_MS: Readonly<Record<AltSourceName, number>> = {
  funding: 8 * 3_600_000,
  fearGreed: 86_400_000,
  onchain: 86_400_000,
  sentiment: 3_600_000,
};

const SOURCE_LABELS: Readonly<Record<AltSourceName, string>> = {
  funding: "Funding rate",
  fearGreed: "Fear & Greed",
  onchain: "On-chain (Glassnode)",
  sentiment: "Social sentiment (LunarCrush)",
};

/** The user-facing name of a source. */
export function altSourceLabel(source: AltSourceName): string {
  return SOURCE_LABELS[source];
}

/** The alternative sources, in the order the UI lists them. */
export const ALT_SOURCES: readonly AltSourceName[] = ["funding", "fearGreed", "onchain", "sentiment"];

/**
 * When each source's value becomes known, relative to the time it is stamped with (ms). A value
 * is used for a candle only from `stamp + delay` on, so a daily figure never informs the day it
 * describes:
 * - funding: Binance settles and publishes the rate at its funding time (the stamp): 0.
 * - fearGreed: alternative.me stamps the index with 00:00 UTC of its day and it describes that
 *   day, so it counts from the END of the day: +24 h.
 * - onchain: Glassnode's daily (24h resolution) metrics are stamped with the day's start and
 *   cover the whole day: +24 h.
 * - sentiment: LunarCrush's hourly time series are stamped with the hour's start: +1 h.
 */
export const ALT_PUBLICATION_DELAY_MS: Readonly<Record<AltSourceName, number>> = {
  funding: 0,
  fearGreed: 86_400_000,
  onchain: 86_400_000,
  sentiment: 3_600_000,
};

/** When a value of `source` stamped `stamp` (UTC ms) becomes known (UTC ms). */
export function publishedAt(source: AltSourceName, stamp: number): number {
  return stamp + ALT_PUBLICATION_DELAY_MS[source];
}

/** The series of `source` re-stamped with publication times (sorted, non-finite dropped). */
export function publishedSeries(source: AltSourceName, input: AltSeries | readonly AltPoint[]): AltSeries {
  const s = toAltSeries(input);
  const delay = ALT_PUBLICATION_DELAY_MS[source];
  if (delay !== 0) for (let i = 0; i < s.time.length; i++) s.time[i] += delay;
  return s;
}

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
