/**
 * The model input for the newest closed candle, computed by the dataset's own code: the same
 * computeFeatureRows the build runs (lib/core/build-dataset), the same validity rule (every
 * timeframe aligned, every feature finite), the same gap-free window rule as candidateEnds, and
 * the run's stored normalisation (fitted on its training rows, never refitted here). Candles not
 * closed at `now` are cut off first, so a still-forming candle (Binance returns it) can never
 * leak into a signal.
 */
import { sliceColumns, type CandleColumns } from "./candles";
import type { FeatureSpec, Normalization } from "./dataset";
import type { AltInputs } from "./features/alt-series";
import { computeFeatureRows, type FeatureRows } from "./features/compute";
import { intervalMs, type Interval } from "./intervals";
import { applyNormalization } from "./normalize";

export interface LiveWindowInput {
  /** Stored candles per timeframe (ascending, unique); may hold candles after `now`. */
  candles: Partial<Record<Interval, CandleColumns>>;
  baseInterval: Interval;
  features: readonly FeatureSpec[];
  alt?: AltInputs;
  /** Steps per window (the dataset's window). */
  window: number;
  /** The run's normalisation (the dataset's, fitted on training rows). */
  normalization: Normalization;
  /** Clock (UTC ms): only candles with openTime + interval <= now are used. */
  now: number;
}

export type LiveWindow =
  | {
      ok: true;
      /** Open time (ms) of the newest closed base candle: the candle the signal is for. */
      openTime: number;
      /** Its close. */
      close: number;
      /** Raw features of the window, row-major [window * F] (drift reads the last row). */
      raw: Float32Array;
      /** Normalised window, row-major [window * F]: what the models take. */
      normalized: Float32Array;
    }
  | { ok: false; openTime: number | null; reason: string };

/** How many of the ascending open times `openTime` belong to candles of `ms` closed at `now`. */
function closedCount(openTime: ArrayLike<number>, ms: number, now: number): number {
  let lo = 0;
  let hi = openTime.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (openTime[mid] + ms <= now) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Candles of `c` closed at `now` (a prefix, as candles are ascending). */
export function closedBy(c: CandleColumns, interval: Interval, now: number): CandleColumns {
  const n = closedCount(c.openTime, intervalMs(interval), now);
  return n === c.openTime.length ? c : sliceColumns(c, 0, n);
}

/** Candles of warm-up kept before a live window's first row, per timeframe, at the least. */
export const LIVE_WARMUP_CANDLES = 1000;
/** Feature parameters that are lookbacks in candles (a warm-up of 50 lookbacks leaves an EMA e^-100 of its start). */
const LOOKBACK_PARAMS = ["period", "fast", "slow", "signal", "smooth"] as const;

/**
 * Candles of warm-up liveWindow keeps before the window's first row in each timeframe: every
 * indicator is either a finite lookback or a recursive average (EMA, Wilder) whose start weighs
 * (1 − 1/p)^K after K candles, e^-71 for Wilder's 14 after 1,000. Over that tail the newest
 * window equals the one computed over the whole history to float32 rounding (live-window.test.ts
 * measures it), and the features of one signal cost a tail instead of the whole store (bench:live).
 */
export function liveWarmup(features: readonly FeatureSpec[]): number {
  let lookback = 0;
  for (const f of features)
    for (const k of LOOKBACK_PARAMS) {
      const v = f.params[k];
      if (typeof v === "number" && Number.isFinite(v)) lookback = Math.max(lookback, v);
    }
  return Math.max(LIVE_WARMUP_CANDLES, Math.ceil(50 * lookback));
}

/** What a window needs besides the feature rows: the dataset's window length and normalisation, and the clock. */
export type WindowCut = Pick<LiveWindowInput, "baseInterval" | "features" | "window" | "normalization" | "now">;

/**
 * The last window [window, F] ending at the newest base candle closed at `now`, or why there is
 * none (too little history, a timeframe's candle missing, a non-finite feature, a gap).
 */
export function liveWindow(input: LiveWindowInput): LiveWindow {
  const { baseInterval: base, now } = input;
  const closed: Partial<Record<Interval, CandleColumns>> = {};
  for (const [tf, c] of Object.entries(input.candles) as [Interval, CandleColumns][]) closed[tf] = closedBy(c, tf, now);
  const baseCandles = closed[base];
  if (!baseCandles || baseCandles.openTime.length === 0)
    return { ok: false, openTime: null, reason: `no ${base} candle closed by ${new Date(now).toISOString()}` };
  // Each timeframe from its warm-up before the window's first row (see liveWarmup).
  const first = baseCandles.openTime[baseCandles.openTime.length - 1] - (input.window - 1) * intervalMs(base);
  const warmup = liveWarmup(input.features);
  const candles: Partial<Record<Interval, CandleColumns>> = {};
  for (const [tf, c] of Object.entries(closed) as [Interval, CandleColumns][]) {
    const from = closedCount(c.openTime, 0, first - warmup * intervalMs(tf) - 1);
    candles[tf] = from === 0 ? c : sliceColumns(c, from, c.openTime.length);
  }
  const rows = computeFeatureRows({ candles, baseInterval: base, features: input.features, alt: input.alt });
  return windowFromRows(rows, input);
}

/**
 * The window at `cut.now` read from feature rows computed over a longer history. Features at t
 * use only what was published by t (the truncation test in features.test.ts), so rows computed
 * once over every stored candle give, up to the clock, exactly what liveWindow computes from the
 * candles closed by then: a replay computes its rows once instead of once per candle.
 */
export function windowFromRows(rows: FeatureRows, cut: WindowCut): LiveWindow {
  const { baseInterval: base, window: w, now } = cut;
  const ms = intervalMs(base);
  // Rows up to the newest base candle closed at `now` (rows are ascending).
  const closed = closedCount(rows.times, ms, now);
  if (closed === 0)
    return { ok: false, openTime: null, reason: `no ${base} candle closed by ${new Date(now).toISOString()}` };
  const F = cut.features.length;
  const last = closed - 1;
  const openTime = rows.times[last];
  const at = new Date(openTime).toISOString();
  if (closed < w) return { ok: false, openTime, reason: `${closed} ${base} candles, the window needs ${w}` };
  const first = last - w + 1;
  for (let i = last; i >= first; i--) {
    if (rows.valid[i]) continue;
    const when = new Date(rows.times[i]).toISOString();
    return {
      ok: false,
      openTime,
      reason: rows.aligned[i]
        ? `a feature is not finite at ${when} (warm-up or stale source), so the window ending ${at} is incomplete`
        : `a coarser or finer timeframe has no closed candle for ${when}, so the window ending ${at} is incomplete`,
    };
  }
  if (rows.times[last] - rows.times[first] !== (w - 1) * ms)
    return { ok: false, openTime, reason: `the window ending ${at} spans a gap in the ${base} candles` };
  const raw = rows.values.slice(first * F, (last + 1) * F);
  return {
    ok: true,
    openTime,
    close: rows.closes[last],
    raw,
    normalized: applyNormalization(raw, F, cut.normalization),
  };
}
