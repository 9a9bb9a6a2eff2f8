/**
 * Moving averages and rolling statistics over Float64Array columns. Every function is causal
 * (value i depends on inputs 0..i only) and returns NaN during its warm-up, so callers drop
 * those rows instead of inventing values.
 */

/** Simple moving average over `n` values; NaN until `n` finite values fill the window. [len] */
export function sma(x: Float64Array, n: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  let sum = 0;
  let bad = 0; // NaNs inside the window: the running sum skips them, the output is NaN meanwhile
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isFinite(v)) sum += v;
    else bad++;
    if (i >= n) {
      const old = x[i - n];
      if (Number.isFinite(old)) sum -= old;
      else bad--;
    }
    if (i >= n - 1 && bad === 0) out[i] = sum / n;
  }
  return out;
}

/**
 * Rolling population standard deviation over `n` values (as Bollinger uses), NaN in warm-up.
 * Computed with the mean of each window to avoid the cancellation of sum-of-squares. [len]
 */
export function rollingStd(x: Float64Array, n: number, mean: Float64Array = sma(x, n)): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  for (let i = n - 1; i < x.length; i++) {
    const m = mean[i];
    if (!Number.isFinite(m)) continue;
    let s = 0;
    for (let k = i - n + 1; k <= i; k++) {
      const d = x[k] - m;
      s += d * d;
    }
    out[i] = Math.sqrt(s / n);
  }
  return out;
}

/**
 * Exponential smoothing with factor `alpha`, seeded with the SMA of the first `n` finite values
 * (the convention of stockcharts / Wilder): out[start + n - 1] = mean, then
 * out[i] = alpha * x[i] + (1 - alpha) * out[i - 1]. Leading NaNs are skipped; a NaN after the
 * seed yields NaN at that row and leaves the state unchanged.
 */
export function smoothSeeded(x: Float64Array, n: number, alpha: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  let start = 0;
  while (start < x.length && !Number.isFinite(x[start])) start++;
  if (start + n > x.length) return out;
  let s = 0;
  for (let k = start; k < start + n; k++) s += x[k];
  let prev = s / n;
  if (!Number.isFinite(prev)) return out;
  out[start + n - 1] = prev;
  for (let i = start + n; i < x.length; i++) {
    const v = x[i];
    if (!Number.isFinite(v)) continue;
    prev = alpha * v + (1 - alpha) * prev;
    out[i] = prev;
  }
  return out;
}

/** EMA with alpha = 2 / (n + 1), SMA-seeded. [len] */
export function ema(x: Float64Array, n: number): Float64Array {
  return smoothSeeded(x, n, 2 / (n + 1));
}

/** Wilder's smoothing (alpha = 1 / n), SMA-seeded: RSI, ATR and ADX use it. [len] */
export function wilder(x: Float64Array, n: number): Float64Array {
  return smoothSeeded(x, n, 1 / n);
}

/** Rolling maximum over `n` values (NaN in warm-up). [len] */
export function rollingMax(x: Float64Array, n: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  for (let i = n - 1; i < x.length; i++) {
    let m = -Infinity;
    for (let k = i - n + 1; k <= i; k++) if (x[k] > m) m = x[k];
    out[i] = m;
  }
  return out;
}

/** Rolling minimum over `n` values (NaN in warm-up). [len] */
export function rollingMin(x: Float64Array, n: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  for (let i = n - 1; i < x.length; i++) {
    let m = Infinity;
    for (let k = i - n + 1; k <= i; k++) if (x[k] < m) m = x[k];
    out[i] = m;
  }
  return out;
}

/** Rolling z-score of x over `n` values ((x - mean) / population std; 0 when std is 0). [len] */
export function rollingZ(x: Float64Array, n: number): Float64Array {
  const mean = sma(x, n);
  const sd = rollingStd(x, n, mean);
  const out = new Float64Array(x.length).fill(NaN);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(mean[i]) || !Number.isFinite(sd[i])) continue;
    out[i] = sd[i] > 0 ? (x[i] - mean[i]) / sd[i] : 0;
  }
  return out;
}
