import { ema } from "./moving";

export interface Macd {
  /** EMA(fast) - EMA(slow), first defined at index slow - 1. */
  line: Float64Array;
  /** EMA(signal) of the line, first defined at index slow + signal - 2. */
  signal: Float64Array;
  /** line - signal. */
  histogram: Float64Array;
}

/** MACD (default 12, 26, 9) over closes, in price units. Each array [len], NaN in warm-up. */
export function macd(close: Float64Array, fast = 12, slow = 26, signalN = 9): Macd {
  const f = ema(close, fast);
  const s = ema(close, slow);
  const line = new Float64Array(close.length);
  for (let i = 0; i < close.length; i++) line[i] = f[i] - s[i];
  const signal = ema(line, signalN);
  const histogram = new Float64Array(close.length);
  for (let i = 0; i < close.length; i++) histogram[i] = line[i] - signal[i];
  return { line, signal, histogram };
}
