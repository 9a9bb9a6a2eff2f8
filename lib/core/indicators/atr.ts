import { wilder } from "./moving";

/**
 * True range: max(high - low, |high - prevClose|, |low - prevClose|); the first row has no
 * previous close and uses high - low (stockcharts' table does the same). [len]
 */
export function trueRange(high: Float64Array, low: Float64Array, close: Float64Array): Float64Array {
  const out = new Float64Array(high.length);
  for (let i = 0; i < high.length; i++) {
    const hl = high[i] - low[i];
    if (i === 0) {
      out[i] = hl;
      continue;
    }
    const pc = close[i - 1];
    out[i] = Math.max(hl, Math.abs(high[i] - pc), Math.abs(low[i] - pc));
  }
  return out;
}

/** Wilder's Average True Range (price units): first value at index n - 1 = mean of the first n TRs. [len] */
export function atr(high: Float64Array, low: Float64Array, close: Float64Array, n = 14): Float64Array {
  return wilder(trueRange(high, low, close), n);
}
