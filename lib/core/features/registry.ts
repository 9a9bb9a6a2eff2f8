import { adx } from "../indicators/adx";
import { atr } from "../indicators/atr";
import { bollinger } from "../indicators/bollinger";
import { macd } from "../indicators/macd";
import { realizedVolatility, roc } from "../indicators/momentum";
import { ema, rollingZ, sma } from "../indicators/moving";
import { rsi } from "../indicators/rsi";
import { stochastic } from "../indicators/stochastic";
import { obvSlope, volumeZScore } from "../indicators/volume";
import { latestIndexAtOrBefore, type AltSourceName } from "./alt-series";
import type { TimeframeContext } from "./context";
import { REGIMES, regimeOneHot, type Regime } from "./regime";

export type FeatureParams = Record<string, number | string | boolean>;

/**
 * One registry entry: turns the closed candles of one timeframe into one scale-free column
 * (one value per candle, NaN in warm-up; prices appear only as ratios to close).
 * `compute` returns null when the source it needs is missing; the builder then fills the
 * documented `neutral` value and records the feature in `fallbackFeatures`.
 */
export interface IndicatorDef {
  description: string;
  defaults: FeatureParams;
  compute(ctx: TimeframeContext, params: FeatureParams): Float64Array | null;
  /** Neutral fallback value used when compute returns null (sources that may be missing). */
  neutral?: number;
  /** The alternative source it reads, if any ("klines" = optional kline columns). */
  source?: AltSourceName | "klines";
}

const num = (p: FeatureParams, k: string, d: number): number => (typeof p[k] === "number" ? (p[k] as number) : d);
const H = 3_600_000;

function ratioToClose(ctx: TimeframeContext, x: Float64Array): Float64Array {
  const c = ctx.candles.close;
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] / c[i];
  return out;
}

const macdOf = (ctx: TimeframeContext, p: FeatureParams) => {
  const f = num(p, "fast", 12),
    s = num(p, "slow", 26),
    g = num(p, "signal", 9);
  return ctx.memo(`macd:${f}:${s}:${g}`, () => macd(ctx.candles.close, f, s, g));
};
const adxOf = (ctx: TimeframeContext, p: FeatureParams) => {
  const n = num(p, "period", 14);
  return ctx.memo(`adx:${n}`, () => adx(ctx.candles.high, ctx.candles.low, ctx.candles.close, n));
};
const bbOf = (ctx: TimeframeContext, p: FeatureParams) => {
  const n = num(p, "period", 20),
    k = num(p, "k", 2);
  return ctx.memo(`bb:${n}:${k}`, () => bollinger(ctx.candles.close, n, k));
};
const stochOf = (ctx: TimeframeContext, p: FeatureParams) => {
  const n = num(p, "period", 14),
    d = num(p, "smooth", 3);
  return ctx.memo(`stoch:${n}:${d}`, () => stochastic(ctx.candles.high, ctx.candles.low, ctx.candles.close, n, d));
};

/** Value of an alternative series at each candle close (latest published at or before it). */
function altAtClose(
  ctx: TimeframeContext,
  src: AltSourceName,
  maxAgeMs: number,
  map: (value: Float64Array, j: number) => number,
): Float64Array | null {
  const s = ctx.alt[src];
  if (!s || s.time.length === 0) return null;
  const idx = latestIndexAtOrBefore(s, ctx.closeTime, maxAgeMs);
  const out = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = idx[i] < 0 ? NaN : map(s.value, idx[i]);
  return out;
}

const fngScaled = (v: number) => (v - 50) / 50;

const timeframeIndicators: Record<string, IndicatorDef> = {
  rsi: {
    description: "RSI (Wilder), 0..100",
    defaults: { period: 14 },
    compute: (ctx, p) => rsi(ctx.candles.close, num(p, "period", 14)),
  },
  macd: {
    description: "MACD line / close",
    defaults: { fast: 12, slow: 26, signal: 9 },
    compute: (ctx, p) => ratioToClose(ctx, macdOf(ctx, p).line),
  },
  macd_signal: {
    description: "MACD signal / close",
    defaults: { fast: 12, slow: 26, signal: 9 },
    compute: (ctx, p) => ratioToClose(ctx, macdOf(ctx, p).signal),
  },
  macd_hist: {
    description: "MACD histogram / close",
    defaults: { fast: 12, slow: 26, signal: 9 },
    compute: (ctx, p) => ratioToClose(ctx, macdOf(ctx, p).histogram),
  },
  adx: { description: "ADX (Wilder), 0..100", defaults: { period: 14 }, compute: (ctx, p) => adxOf(ctx, p).adx },
  plus_di: { description: "+DI (Wilder), 0..100", defaults: { period: 14 }, compute: (ctx, p) => adxOf(ctx, p).plusDI },
  minus_di: {
    description: "-DI (Wilder), 0..100",
    defaults: { period: 14 },
    compute: (ctx, p) => adxOf(ctx, p).minusDI,
  },
  di_diff: {
    description: "(+DI - -DI) / 100, -1..1",
    defaults: { period: 14 },
    compute: (ctx, p) => {
      const a = adxOf(ctx, p);
      return Float64Array.from(a.plusDI, (v, i) => (v - a.minusDI[i]) / 100);
    },
  },
  atr: {
    description: "ATR (Wilder) / close",
    defaults: { period: 14 },
    compute: (ctx, p) => {
      const n = num(p, "period", 14);
      return ratioToClose(
        ctx,
        ctx.memo(`atr:${n}`, () => atr(ctx.candles.high, ctx.candles.low, ctx.candles.close, n)),
      );
    },
  },
  bb_pctb: { description: "Bollinger %B", defaults: { period: 20, k: 2 }, compute: (ctx, p) => bbOf(ctx, p).percentB },
  bb_width: {
    description: "Bollinger band width / middle",
    defaults: { period: 20, k: 2 },
    compute: (ctx, p) => bbOf(ctx, p).width,
  },
  stoch_k: {
    description: "Stochastic %K, 0..100",
    defaults: { period: 14, smooth: 3 },
    compute: (ctx, p) => stochOf(ctx, p).k,
  },
  stoch_d: {
    description: "Stochastic %D, 0..100",
    defaults: { period: 14, smooth: 3 },
    compute: (ctx, p) => stochOf(ctx, p).d,
  },
  roc: {
    description: "Rate of change (fraction)",
    defaults: { period: 10 },
    compute: (ctx, p) => roc(ctx.candles.close, num(p, "period", 10)),
  },
  realized_vol: {
    description: "Std of log returns",
    defaults: { period: 20 },
    compute: (ctx, p) => realizedVolatility(ctx.candles.close, num(p, "period", 20)),
  },
  volume_z: {
    description: "Volume z-score",
    defaults: { period: 20 },
    compute: (ctx, p) => volumeZScore(ctx.candles.volume, num(p, "period", 20)),
  },
  obv_slope: {
    description: "OBV change / volume traded, -1..1",
    defaults: { period: 20 },
    compute: (ctx, p) => obvSlope(ctx.candles.close, ctx.candles.volume, num(p, "period", 20)),
  },
  ema_ratio: {
    description: "close / EMA - 1",
    defaults: { period: 50 },
    compute: (ctx, p) =>
      Float64Array.from(ema(ctx.candles.close, num(p, "period", 50)), (e, i) => ctx.candles.close[i] / e - 1),
  },
  sma_ratio: {
    description: "close / SMA - 1",
    defaults: { period: 50 },
    compute: (ctx, p) =>
      Float64Array.from(sma(ctx.candles.close, num(p, "period", 50)), (m, i) => ctx.candles.close[i] / m - 1),
  },
  regime: {
    description: "One-hot regime (rule in features/regime.ts); params.regime picks the class",
    defaults: { regime: "range" },
    compute: (ctx, p) => {
      const r = String(p.regime) as Regime;
      if (!REGIMES.includes(r)) throw new Error(`unknown regime "${r}"`);
      return regimeOneHot(ctx, r);
    },
  },
};

/**
 * Alternative-data indicators. Neutral fallbacks (documented, recorded in fallbackFeatures):
 * funding 0 (no carry either way), Fear & Greed scaled 0 (= index 50, "neutral"), changes 0,
 * taker-buy ratio 0.5 (buyers = sellers), trade-count z 0 (average activity), keyed scores 0.
 * A source that exists but has no value published within `maxAgeH` of a candle close gives NaN
 * there, so that row is dropped rather than filled.
 */
const altIndicators: Record<string, IndicatorDef> = {
  funding_rate: {
    description: "Latest funding rate (fraction per 8h)",
    defaults: { maxAgeH: 24 },
    neutral: 0,
    source: "funding",
    compute: (ctx, p) => altAtClose(ctx, "funding", num(p, "maxAgeH", 24) * H, (v, j) => v[j]),
  },
  funding_rate_mean: {
    description: "Mean of the last `count` funding rates",
    defaults: { count: 3, maxAgeH: 24 },
    neutral: 0,
    source: "funding",
    compute: (ctx, p) => {
      const k = num(p, "count", 3);
      return altAtClose(ctx, "funding", num(p, "maxAgeH", 24) * H, (v, j) => {
        if (j < k - 1) return NaN;
        let s = 0;
        for (let q = j - k + 1; q <= j; q++) s += v[q];
        return s / k;
      });
    },
  },
  fear_greed: {
    description: "Fear & Greed (index - 50) / 50, -1..1",
    defaults: { maxAgeH: 72 },
    neutral: 0,
    source: "fearGreed",
    compute: (ctx, p) => altAtClose(ctx, "fearGreed", num(p, "maxAgeH", 72) * H, (v, j) => fngScaled(v[j])),
  },
  fear_greed_change: {
    description: "Change of the scaled Fear & Greed since its previous publication",
    defaults: { maxAgeH: 72 },
    neutral: 0,
    source: "fearGreed",
    compute: (ctx, p) =>
      altAtClose(ctx, "fearGreed", num(p, "maxAgeH", 72) * H, (v, j) =>
        j < 1 ? NaN : fngScaled(v[j]) - fngScaled(v[j - 1]),
      ),
  },
  taker_buy_ratio: {
    description: "Taker-buy base volume / volume (0.5 on a zero-volume candle)",
    defaults: {},
    neutral: 0.5,
    source: "klines",
    compute: (ctx) => {
      const { takerBuyBase: tb, volume: v } = ctx.candles;
      if (!tb.some((x) => Number.isFinite(x))) return null;
      return Float64Array.from(tb, (x, i) => (v[i] > 0 ? x / v[i] : Number.isFinite(x) ? 0.5 : NaN));
    },
  },
  trade_count_z: {
    description: "Number-of-trades z-score",
    defaults: { period: 24 },
    neutral: 0,
    source: "klines",
    compute: (ctx, p) =>
      ctx.candles.trades.some((x) => x > 0) ? rollingZ(ctx.candles.trades, num(p, "period", 24)) : null,
  },
  onchain_score: {
    description: "Keyed on-chain score (e.g. Glassnode), pre-scaled",
    defaults: { maxAgeH: 72 },
    neutral: 0,
    source: "onchain",
    compute: (ctx, p) => altAtClose(ctx, "onchain", num(p, "maxAgeH", 72) * H, (v, j) => v[j]),
  },
  sentiment_score: {
    description: "Keyed social-sentiment score (e.g. LunarCrush), pre-scaled",
    defaults: { maxAgeH: 72 },
    neutral: 0,
    source: "sentiment",
    compute: (ctx, p) => altAtClose(ctx, "sentiment", num(p, "maxAgeH", 72) * H, (v, j) => v[j]),
  },
};

/** The indicator registry: `FeatureSpec.indicator` names an entry here. */
export const INDICATORS: Readonly<Record<string, IndicatorDef>> = { ...timeframeIndicators, ...altIndicators };

export function getIndicator(name: string): IndicatorDef {
  const def = INDICATORS[name];
  if (!def) throw new Error(`unknown indicator "${name}"; known: ${Object.keys(INDICATORS).join(", ")}`);
  return def;
}
