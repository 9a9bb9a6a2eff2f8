import { wilder } from "./moving";

export interface Adx {
  /** Average Directional Index, 0..100; first value at index 2n - 1. */
  adx: Float64Array;
  /** +DI, 0..100; first value at index n. */
  plusDI: Float64Array;
  /** -DI, 0..100; first value at index n. */
  minusDI: Float64Array;
}

/**
 * Wilder's ADX with +DI / -DI (default n = 14). Directional movement and true range start at
 * row 1 (they need the previous candle); their Wilder averages start at row n; DX is averaged
 * n times more for ADX. Each array [len], NaN in warm-up.
 */
export function adx(high: Float64Array, low: Float64Array, close: Float64Array, n = 14): Adx {
  const len = high.length;
  const pdm = new Float64Array(len).fill(NaN);
  const mdm = new Float64Array(len).fill(NaN);
  const tr = new Float64Array(len).fill(NaN);
  for (let i = 1; i < len; i++) {
    const up = high[i] - high[i - 1];
    const down = low[i - 1] - low[i];
    pdm[i] = up > down && up > 0 ? up : 0;
    mdm[i] = down > up && down > 0 ? down : 0;
    const pc = close[i - 1];
    tr[i] = Math.max(high[i] - low[i], Math.abs(high[i] - pc), Math.abs(low[i] - pc));
  }
  // Wilder's running sums and running means differ by the factor n, which cancels in the ratios.
  const sp = wilder(pdm, n);
  const sm = wilder(mdm, n);
  const st = wilder(tr, n);
  const plusDI = new Float64Array(len).fill(NaN);
  const minusDI = new Float64Array(len).fill(NaN);
  const dx = new Float64Array(len).fill(NaN);
  for (let i = 0; i < len; i++) {
    if (!Number.isFinite(st[i])) continue;
    const p = st[i] > 0 ? (100 * sp[i]) / st[i] : 0;
    const m = st[i] > 0 ? (100 * sm[i]) / st[i] : 0;
    plusDI[i] = p;
    minusDI[i] = m;
    dx[i] = p + m > 0 ? (100 * Math.abs(p - m)) / (p + m) : 0;
  }
  return { adx: wilder(dx, n), plusDI, minusDI };
}
