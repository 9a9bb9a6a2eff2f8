import { rollingStd, sma } from "./moving";

export interface Bollinger {
  middle: Float64Array;
  upper: Float64Array;
  lower: Float64Array;
  /** %B = (close - lower) / (upper - lower); 0.5 when the bands collapse. */
  percentB: Float64Array;
  /** (upper - lower) / middle: scale-free band width. */
  width: Float64Array;
}

/** Bollinger Bands (default 20, 2 population standard deviations) over closes. Arrays [len]. */
export function bollinger(close: Float64Array, n = 20, k = 2): Bollinger {
  const middle = sma(close, n);
  const sd = rollingStd(close, n, middle);
  const len = close.length;
  const upper = new Float64Array(len);
  const lower = new Float64Array(len);
  const percentB = new Float64Array(len);
  const width = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    upper[i] = middle[i] + k * sd[i];
    lower[i] = middle[i] - k * sd[i];
    const band = upper[i] - lower[i];
    percentB[i] = band > 0 ? (close[i] - lower[i]) / band : Number.isFinite(band) ? 0.5 : NaN;
    width[i] = band / middle[i];
  }
  return { middle, upper, lower, percentB, width };
}
