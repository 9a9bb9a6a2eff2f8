import { emptyColumns, type CandleColumns } from "./candles";
import { intervalMs, type Interval } from "./intervals";

/**
 * Aggregates a sorted, unique series of finer candles into coarser candles, exactly as an
 * exchange would build them: open = first open, high = max, low = min, close = last close,
 * volume / quoteVolume / trades / takerBuyBase summed (NaN stays NaN, so "unknown" never
 * turns into a fake zero).
 *
 * Buckets are UTC-aligned (`floor(openTime / toMs) * toMs`). Only complete buckets are
 * produced: a coarser candle exists only when all `toMs / fromMs` finer candles of its bucket
 * are present, so a gap in the finer series becomes a gap in the coarser one instead of a
 * partial candle with a wrong high/low/volume. The same rule drops a trailing, still-forming
 * bucket.
 *
 * @param c    finer candles, `openTime` ascending and unique (UTC ms)
 * @param from interval of `c` (or its length in ms)
 * @param to   target interval (or its length in ms); must be a whole multiple of `from`
 * @returns    coarser candles, `openTime` = bucket start (UTC ms)
 */
export function aggregateColumns(c: CandleColumns, from: Interval | number, to: Interval | number): CandleColumns {
  const fromMs = typeof from === "number" ? from : intervalMs(from);
  const toMs = typeof to === "number" ? to : intervalMs(to);
  if (!(fromMs > 0) || !(toMs > 0) || toMs % fromMs !== 0) {
    throw new Error(`cannot aggregate ${fromMs} ms candles into ${toMs} ms candles: not a whole multiple`);
  }
  const per = toMs / fromMs;
  const n = c.openTime.length;
  if (per === 1) {
    const out = emptyColumns(n);
    for (const k of Object.keys(out) as (keyof CandleColumns)[]) out[k].set(c[k]);
    return out;
  }
  // First pass: count complete buckets so the output is allocated once.
  const starts: number[] = [];
  let i = 0;
  while (i < n) {
    const bucket = Math.floor(c.openTime[i] / toMs) * toMs;
    let j = i;
    while (j < n && c.openTime[j] < bucket + toMs) j++;
    // Complete means: `per` rows, the first at the bucket start (rows are unique and aligned,
    // so `per` rows inside one bucket starting at its start cover it entirely).
    if (j - i === per && c.openTime[i] === bucket) starts.push(i);
    i = j;
  }
  const out = emptyColumns(starts.length);
  for (let b = 0; b < starts.length; b++) {
    const s = starts[b];
    const e = s + per;
    let high = -Infinity;
    let low = Infinity;
    let volume = 0;
    let quoteVolume = 0;
    let trades = 0;
    let takerBuyBase = 0;
    for (let k = s; k < e; k++) {
      if (c.high[k] > high) high = c.high[k];
      if (c.low[k] < low) low = c.low[k];
      volume += c.volume[k];
      quoteVolume += c.quoteVolume[k];
      trades += c.trades[k];
      takerBuyBase += c.takerBuyBase[k];
    }
    out.openTime[b] = Math.floor(c.openTime[s] / toMs) * toMs;
    out.open[b] = c.open[s];
    out.high[b] = high;
    out.low[b] = low;
    out.close[b] = c.close[e - 1];
    out.volume[b] = volume;
    out.quoteVolume[b] = quoteVolume;
    out.trades[b] = trades;
    out.takerBuyBase[b] = takerBuyBase;
  }
  return out;
}
