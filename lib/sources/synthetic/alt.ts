import { intervalMs } from "../../core/intervals";
import type { TimeSeries } from "../series";
import { generateSyntheticMarket, type SyntheticMarketOptions } from "./market";
import { Rng } from "./random";

const H8 = 8 * 3_600_000;
const DAY = 86_400_000;
const STEP = intervalMs("15m");

/** Close price at or before each time `t` (UTC ms), from 15m candles; NaN before the first close. */
function closesAt(openTime: Float64Array, close: Float64Array, times: number[]): number[] {
  const out: number[] = [];
  let j = -1;
  for (const t of times) {
    // Candle i is closed at openTime[i] + STEP; use the last one closed by t (no look-ahead).
    while (j + 1 < openTime.length && openTime[j + 1] + STEP <= t) j++;
    out.push(j >= 0 ? close[j] : NaN);
  }
  return out;
}

/**
 * Deterministic synthetic funding rates every 8h (00:00, 08:00, 16:00 UTC) over the market of
 * `opts`: a 0.01% baseline that leans with the last 8h return (longs pay in rallies), plus noise,
 * clamped to ±0.75%. `time` UTC ms, `value` fraction per 8h.
 */
export function syntheticFundingRates(opts: SyntheticMarketOptions): TimeSeries {
  const c = generateSyntheticMarket(opts);
  const rng = new Rng(`${opts.seed}|${opts.symbol}|funding`);
  const times: number[] = [];
  for (let t = Math.ceil(opts.start / H8) * H8 + H8; t <= opts.end; t += H8) times.push(t);
  const now = closesAt(c.openTime, c.close, times);
  const before = closesAt(
    c.openTime,
    c.close,
    times.map((t) => t - H8),
  );
  const value = new Float64Array(times.length);
  let persistent = 0;
  for (let i = 0; i < times.length; i++) {
    const r = Number.isFinite(now[i]) && Number.isFinite(before[i]) ? Math.log(now[i] / before[i]) : 0;
    persistent = 0.8 * persistent + 0.2 * r;
    const f = 0.0001 + 0.01 * persistent + 0.00005 * rng.normal();
    value[i] = Math.min(0.0075, Math.max(-0.0075, Math.round(f * 1e8) / 1e8));
  }
  return { time: Float64Array.from(times), value };
}

/**
 * Deterministic synthetic daily Fear & Greed index (0..100, integer) over the market of `opts`:
 * driven by the 14-day return (greed in rallies) and the 7-day realised volatility (fear when
 * turbulent), smoothed, with noise. `time` = day start (UTC ms), using the close at day start.
 */
export function syntheticFearGreed(opts: SyntheticMarketOptions): TimeSeries {
  const c = generateSyntheticMarket(opts);
  const rng = new Rng(`${opts.seed}|${opts.symbol}|fng`);
  const times: number[] = [];
  for (let t = Math.ceil(opts.start / DAY) * DAY; t <= opts.end; t += DAY) times.push(t);
  const px = closesAt(c.openTime, c.close, times);
  const value = new Float64Array(times.length);
  let level = 50;
  for (let i = 0; i < times.length; i++) {
    const back = Math.max(0, i - 14);
    const mom = Number.isFinite(px[i]) && Number.isFinite(px[back]) ? Math.log(px[i] / px[back]) : 0;
    let vol = 0;
    let m = 0;
    for (let k = Math.max(1, i - 6); k <= i; k++) {
      if (Number.isFinite(px[k]) && Number.isFinite(px[k - 1])) {
        const r = Math.log(px[k] / px[k - 1]);
        vol += r * r;
        m++;
      }
    }
    const dailyVol = m > 0 ? Math.sqrt(vol / m) : 0.035;
    const target = 50 + 150 * mom - 500 * (dailyVol - 0.035);
    level = 0.8 * level + 0.2 * target + 2.5 * rng.normal();
    value[i] = Math.round(Math.min(100, Math.max(0, level)));
  }
  return { time: Float64Array.from(times), value };
}
