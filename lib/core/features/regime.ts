import { adx } from "../indicators/adx";
import { atr } from "../indicators/atr";
import { sma } from "../indicators/moving";
import type { TimeframeContext } from "./context";

/**
 * THE market-regime rule (the only place it is defined). Per base candle, in this order:
 *  1. high_vol   when ATR(14)/close > volRatio x its own SMA over volLookback candles
 *                (volatility well above its recent norm, whatever the direction);
 *  2. trend_up   when ADX(14) >= adxTrend and +DI > -DI;
 *  3. trend_down when ADX(14) >= adxTrend and -DI >= +DI;
 *  4. range      otherwise.
 * Exactly one of the four one-hot features is 1 on each row; NaN during the warm-up of any input.
 */
export const REGIME_RULE = { adxPeriod: 14, atrPeriod: 14, adxTrend: 25, volRatio: 1.5, volLookback: 100 } as const;

export const REGIMES = ["trend_up", "trend_down", "range", "high_vol"] as const;
export type Regime = (typeof REGIMES)[number];

/** Regime code per candle: index into REGIMES, or -1 during warm-up. [candles] */
export function regimeCodes(ctx: TimeframeContext): Int8Array {
  return ctx.memo("regime", () => {
    const c = ctx.candles;
    const r = REGIME_RULE;
    const a = ctx.memo(`adx:${r.adxPeriod}`, () => adx(c.high, c.low, c.close, r.adxPeriod));
    const at = ctx.memo(`atr:${r.atrPeriod}`, () => atr(c.high, c.low, c.close, r.atrPeriod));
    const ratio = new Float64Array(c.close.length);
    for (let i = 0; i < ratio.length; i++) ratio[i] = at[i] / c.close[i];
    const norm = sma(ratio, r.volLookback);
    const out = new Int8Array(ratio.length).fill(-1);
    for (let i = 0; i < out.length; i++) {
      if (!Number.isFinite(norm[i]) || !Number.isFinite(a.adx[i])) continue;
      if (ratio[i] > r.volRatio * norm[i]) out[i] = 3;
      else if (a.adx[i] >= r.adxTrend) out[i] = a.plusDI[i] > a.minusDI[i] ? 0 : 1;
      else out[i] = 2;
    }
    return out;
  });
}

/** One-hot column for `regime`: 1 / 0, NaN in warm-up. [candles] */
export function regimeOneHot(ctx: TimeframeContext, regime: Regime): Float64Array {
  const codes = regimeCodes(ctx);
  const k = REGIMES.indexOf(regime);
  const out = new Float64Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = codes[i] < 0 ? NaN : codes[i] === k ? 1 : 0;
  return out;
}
