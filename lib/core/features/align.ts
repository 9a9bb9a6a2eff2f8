/**
 * Multi-timeframe alignment without look-ahead. A base candle opening at t closes at
 * t + base; the candle of another timeframe it may use is the LAST one closed by then, i.e. the
 * candle opening at floor((t + base) / tf) * tf - tf (UTC-aligned buckets). For a lower
 * timeframe that candle closes exactly with the base candle; for a higher one it is the last
 * fully closed higher candle (a still-forming one is never used). If that exact candle is absent
 * (a gap), the row has no aligned data: -1, and the builder drops the row.
 *
 * @param baseOpen open times of the base candles, ascending (UTC ms) [B]
 * @param tfOpen   open times of the other timeframe's candles, ascending (UTC ms) [C]
 * @returns        per base row, the index into tfOpen, or -1 [B]
 */
export function alignToBase(baseOpen: Float64Array, baseMs: number, tfOpen: Float64Array, tfMs: number): Int32Array {
  const out = new Int32Array(baseOpen.length);
  let j = 0;
  for (let i = 0; i < baseOpen.length; i++) {
    const want = Math.floor((baseOpen[i] + baseMs) / tfMs) * tfMs - tfMs;
    while (j < tfOpen.length && tfOpen[j] < want) j++;
    out[i] = j < tfOpen.length && tfOpen[j] === want ? j : -1;
  }
  return out;
}
