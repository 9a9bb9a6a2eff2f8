import type { FeatureSpec } from "../dataset";
import type { Interval } from "../intervals";
import { REGIMES } from "./regime";

/**
 * The 10 indicators computed on every timeframe of the default preset (suffix = indicator):
 * momentum (rsi, stoch_k, roc), trend (macd, macd_hist, adx), volatility (atr, bb_width),
 * position in range (bb_pctb) and participation (volume_z).
 */
export const DEFAULT_TIMEFRAME_INDICATORS: readonly { indicator: string; params: FeatureSpec["params"] }[] = [
  { indicator: "rsi", params: { period: 14 } },
  { indicator: "macd", params: { fast: 12, slow: 26, signal: 9 } },
  { indicator: "macd_hist", params: { fast: 12, slow: 26, signal: 9 } },
  { indicator: "adx", params: { period: 14 } },
  { indicator: "atr", params: { period: 14 } },
  { indicator: "bb_pctb", params: { period: 20, k: 2 } },
  { indicator: "bb_width", params: { period: 20, k: 2 } },
  { indicator: "stoch_k", params: { period: 14, smooth: 3 } },
  { indicator: "roc", params: { period: 10 } },
  { indicator: "volume_z", params: { period: 20 } },
];

/** The 8 alternative-data features (timeframe null = computed at the base candle's close). */
export const DEFAULT_ALT_FEATURES: readonly FeatureSpec[] = [
  { name: "alt_funding_rate", timeframe: null, indicator: "funding_rate", params: { maxAgeH: 24 } },
  {
    name: "alt_funding_rate_mean3",
    timeframe: null,
    indicator: "funding_rate_mean",
    params: { count: 3, maxAgeH: 24 },
  },
  { name: "alt_fear_greed", timeframe: null, indicator: "fear_greed", params: { maxAgeH: 72 } },
  { name: "alt_fear_greed_change", timeframe: null, indicator: "fear_greed_change", params: { maxAgeH: 72 } },
  { name: "alt_taker_buy_ratio", timeframe: null, indicator: "taker_buy_ratio", params: {} },
  { name: "alt_trade_count_z", timeframe: null, indicator: "trade_count_z", params: { period: 24 } },
  { name: "alt_onchain_score", timeframe: null, indicator: "onchain_score", params: { maxAgeH: 72 } },
  { name: "alt_sentiment_score", timeframe: null, indicator: "sentiment_score", params: { maxAgeH: 72 } },
];

export const DEFAULT_TIMEFRAMES: readonly Interval[] = ["15m", "1h", "4h"];
export const DEFAULT_BASE: Interval = "1h";

/**
 * A preset for any set of timeframes: the 10 indicators on each timeframe (named
 * `<tf>_<indicator>`, e.g. "4h_adx"), then the 4 regime one-hots (base timeframe), then the 8
 * alternative features. 3 timeframes give 42 features.
 */
export function buildPreset(timeframes: readonly Interval[] = DEFAULT_TIMEFRAMES): FeatureSpec[] {
  const specs: FeatureSpec[] = [];
  for (const tf of timeframes) {
    for (const d of DEFAULT_TIMEFRAME_INDICATORS)
      specs.push({ name: `${tf}_${d.indicator}`, timeframe: tf, indicator: d.indicator, params: { ...d.params } });
  }
  for (const r of REGIMES)
    specs.push({ name: `regime_${r}`, timeframe: null, indicator: "regime", params: { regime: r } });
  for (const a of DEFAULT_ALT_FEATURES) specs.push({ ...a, params: { ...a.params } });
  return specs;
}

/** The guide's 42 features: 15m / 1h / 4h, base 1h. */
export function defaultPreset(): FeatureSpec[] {
  return buildPreset(DEFAULT_TIMEFRAMES);
}
