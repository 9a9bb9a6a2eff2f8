import { rollingMax, rollingMin, sma } from "./moving";

export interface Stochastic {
  /** %K = 100 (close - lowest low) / (highest high - lowest low) over n; 50 on a flat range. */
  k: Float64Array;
  /** %D = SMA(d) of %K. */
  d: Float64Array;
}

/** Fast stochastic oscillator (default 14, 3), 0..100. Arrays [len], NaN in warm-up. */
export function stochastic(high: Float64Array, low: Float64Array, close: Float64Array, n = 14, dN = 3): Stochastic {
  const hh = rollingMax(high, n);
  const ll = rollingMin(low, n);
  const k = new Float64Array(close.length);
  for (let i = 0; i < close.length; i++) {
    const range = hh[i] - ll[i];
    k[i] = range > 0 ? (100 * (close[i] - ll[i])) / range : Number.isFinite(range) ? 50 : NaN;
  }
  return { k, d: sma(k, dN) };
}
