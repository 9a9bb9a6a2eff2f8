import { rollingZ } from "./moving";

/** Volume z-score over n candles ((v - mean) / std; 0 when volume is constant). [len] */
export function volumeZScore(volume: Float64Array, n = 20): Float64Array {
  return rollingZ(volume, n);
}

/** On-balance volume, cumulative from 0 at the first candle. [len] */
export function obv(close: Float64Array, volume: Float64Array): Float64Array {
  const out = new Float64Array(close.length);
  for (let i = 1; i < close.length; i++) {
    const d = close[i] - close[i - 1];
    out[i] = out[i - 1] + (d > 0 ? volume[i] : d < 0 ? -volume[i] : 0);
  }
  return out;
}

/**
 * Scale-free OBV slope: (OBV[i] - OBV[i - n]) / (volume traded over those n candles), in
 * -1..1 (1: every candle closed up). 0 when no volume traded. First value at index n. [len]
 */
export function obvSlope(close: Float64Array, volume: Float64Array, n = 20): Float64Array {
  const o = obv(close, volume);
  const out = new Float64Array(close.length).fill(NaN);
  let vol = 0;
  for (let i = 1; i < close.length; i++) {
    vol += volume[i];
    if (i > n) vol -= volume[i - n];
    if (i >= n) out[i] = vol > 0 ? (o[i] - o[i - n]) / vol : 0;
  }
  return out;
}
