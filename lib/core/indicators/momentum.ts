/** Rate of change over n candles as a fraction: close[i] / close[i - n] - 1. [len] */
export function roc(close: Float64Array, n = 10): Float64Array {
  const out = new Float64Array(close.length).fill(NaN);
  for (let i = n; i < close.length; i++) out[i] = close[i] / close[i - n] - 1;
  return out;
}

/**
 * Realised volatility: population standard deviation of the last n log returns (per candle,
 * not annualised). First value at index n. [len]
 */
export function realizedVolatility(close: Float64Array, n = 20): Float64Array {
  const out = new Float64Array(close.length).fill(NaN);
  const r = new Float64Array(close.length);
  for (let i = 1; i < close.length; i++) r[i] = Math.log(close[i] / close[i - 1]);
  for (let i = n; i < close.length; i++) {
    let m = 0;
    for (let k = i - n + 1; k <= i; k++) m += r[k];
    m /= n;
    let s = 0;
    for (let k = i - n + 1; k <= i; k++) s += (r[k] - m) * (r[k] - m);
    out[i] = Math.sqrt(s / n);
  }
  return out;
}
