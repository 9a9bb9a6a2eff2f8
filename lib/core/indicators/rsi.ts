import { wilder } from "./moving";

/**
 * Wilder's Relative Strength Index over closes, 0..100. The first value is at index `n`
 * (averages of the first `n` changes), then Wilder smoothing. NaN before. [len]
 */
export function rsi(close: Float64Array, n = 14): Float64Array {
  const len = close.length;
  const gain = new Float64Array(len).fill(NaN);
  const loss = new Float64Array(len).fill(NaN);
  for (let i = 1; i < len; i++) {
    const d = close[i] - close[i - 1];
    gain[i] = d > 0 ? d : 0;
    loss[i] = d < 0 ? -d : 0;
  }
  const g = wilder(gain, n);
  const l = wilder(loss, n);
  const out = new Float64Array(len).fill(NaN);
  for (let i = 0; i < len; i++) {
    if (!Number.isFinite(g[i]) || !Number.isFinite(l[i])) continue;
    // No losses: 100 by definition; no movement at all: neutral 50.
    out[i] = l[i] === 0 ? (g[i] === 0 ? 50 : 100) : 100 - 100 / (1 + g[i] / l[i]);
  }
  return out;
}
