import { aggregateColumns } from "../../core/aggregate";
import { emptyColumns, type CandleColumns } from "../../core/candles";
import { intervalMs, type Interval } from "../../core/intervals";
import { Rng } from "./random";

/** Market regimes of the generator (same order as the guide's regime one-hot). */
export const SYNTHETIC_REGIMES = ["trend_up", "trend_down", "range", "high_volatility"] as const;
export type SyntheticRegime = (typeof SYNTHETIC_REGIMES)[number];

export interface SyntheticMarketOptions {
  seed: number | string;
  /** Symbol label; also mixed into the seed so two symbols with one seed differ. */
  symbol: string;
  /** UTC ms; rounded up to a 15m boundary. The series is anchored here: same seed+symbol+start → same prefix whatever `end`. */
  start: number;
  /** UTC ms, exclusive: candles with openTime + 15m <= end (only whole candles). */
  end: number;
  /** First open price (default: from the symbol, e.g. 30 000 for BTC*, 2 000 for ETH*). */
  startPrice?: number;
}

/** A generated 15m market plus the hidden regime of each candle (tests and demos). */
export interface SyntheticMarket {
  candles: CandleColumns;
  /** Index into SYNTHETIC_REGIMES per candle. */
  regime: Uint8Array;
}

const STEP = intervalMs("15m");
/** Long-run 15m log-return volatility (≈ 0.35%, BTC-like). */
const BASE_VOL = 0.0035;
/** GARCH(1,1) parameters on standardized shocks: persistence alpha + beta = 0.97. */
const GARCH_ALPHA = 0.07;
const GARCH_BETA = 0.9;
/** Degrees of freedom of the Student-t innovations (fat tails: excess kurtosis 6/(nu-4) = 6). */
const T_NU = 5;
/** Per-regime drift per 15m candle and volatility multiplier. */
const REGIME_DRIFT = [0.0002, -0.0002, 0, 0];
const REGIME_VOL = [1, 1.1, 0.7, 2.4];
/** Markov transition matrix per 15m candle (rows: from, cols: to); expected stay ≈ 1/(1-p_ii) candles. */
const TRANSITION = [
  [0.996, 0.001, 0.002, 0.001],
  [0.001, 0.996, 0.002, 0.001],
  [0.0015, 0.0015, 0.996, 0.001],
  [0.003, 0.003, 0.004, 0.99],
];
/** Weak pull of the log price towards the start price (half-life ≈ 2 years) so multi-year series stay plausible. */
const LONG_KAPPA = 1e-5;
/** Mean reversion towards the range anchor, per candle. */
const RANGE_KAPPA = 0.01;

function defaultStartPrice(symbol: string): number {
  const s = symbol.toUpperCase();
  if (s.startsWith("BTC")) return 30_000;
  if (s.startsWith("ETH")) return 2_000;
  if (s.startsWith("BNB")) return 300;
  return 100;
}

/**
 * Generates a deterministic synthetic 15m market (regime-switching drift, GARCH(1,1) volatility
 * clustering, Student-t shocks, volume and trades rising with volatility, taker-buy share
 * following returns), with the hidden regime of every candle.
 */
export function generateSyntheticMarketWithRegimes(opts: SyntheticMarketOptions): SyntheticMarket {
  const first = Math.ceil(opts.start / STEP) * STEP;
  const n = Math.max(0, Math.floor((opts.end - first) / STEP));
  const c = emptyColumns(n);
  const regime = new Uint8Array(n);
  const rng = new Rng(`${opts.seed}|${opts.symbol}|${first}`);

  const startPrice = opts.startPrice ?? defaultStartPrice(opts.symbol);
  let price = startPrice;
  // About 30M quote units per 15m at the start price (BTC-like turnover), in base units.
  const baseVolume = 3e7 / price;
  let state = Math.floor(rng.next() * 4);
  let variance = BASE_VOL * BASE_VOL; // GARCH conditional variance of the standardized part
  let lastShock = 0;
  let anchor = price;
  let takerTilt = 0; // slow AR(1) drift of the taker-buy share
  const omega = BASE_VOL * BASE_VOL * (1 - GARCH_ALPHA - GARCH_BETA);

  for (let i = 0; i < n; i++) {
    // Regime step (Markov).
    const u = rng.next();
    const row = TRANSITION[state];
    let acc = 0;
    let next = 3;
    for (let k = 0; k < 4; k++) {
      acc += row[k];
      if (u < acc) {
        next = k;
        break;
      }
    }
    if (next === 2 && state !== 2) anchor = price;
    state = next;
    regime[i] = state;

    variance = omega + GARCH_ALPHA * lastShock * lastShock + GARCH_BETA * variance;
    const sigma = Math.sqrt(variance) * REGIME_VOL[state];
    const z = rng.studentT(T_NU);
    const drift =
      (state === 2 ? -RANGE_KAPPA * Math.log(price / anchor) : REGIME_DRIFT[state]) -
      LONG_KAPPA * Math.log(price / startPrice);
    const r = drift + sigma * z;
    lastShock = (sigma * z) / REGIME_VOL[state];

    const open = price;
    const close = open * Math.exp(r);
    // Wicks: half-normal excursions scaled by the candle's volatility.
    const up = Math.abs(rng.normal()) * sigma * 0.6;
    const down = Math.abs(rng.normal()) * sigma * 0.6;
    const high = Math.max(open, close) * Math.exp(up);
    const low = Math.min(open, close) * Math.exp(-down);

    // Volume grows with volatility and with the size of the move; log-normal noise; a daily cycle.
    const hour = ((first + i * STEP) / 3_600_000) % 24;
    const daily = 1 + 0.25 * Math.cos(((hour - 15) / 24) * 2 * Math.PI);
    const volRatio = sigma / BASE_VOL;
    const volume = baseVolume * daily * volRatio ** 1.2 * (1 + 0.45 * Math.abs(z)) * Math.exp(0.3 * rng.normal());
    const vwap = (open + high + low + close) / 4;
    const trades = Math.max(1, Math.round(volume * (8 + 2 * volRatio) * Math.exp(0.15 * rng.normal())));
    // Buyers dominate up-moves; the slow tilt drifts with recent returns (persistent flow).
    takerTilt = 0.98 * takerTilt + 0.006 * rng.normal() + 0.004 * Math.tanh(z);
    const share = Math.min(0.95, Math.max(0.05, 0.5 + 0.1 * Math.tanh(z) + takerTilt));

    c.openTime[i] = first + i * STEP;
    c.open[i] = open;
    c.high[i] = high;
    c.low[i] = low;
    c.close[i] = close;
    c.volume[i] = volume;
    c.quoteVolume[i] = volume * vwap;
    c.trades[i] = trades;
    c.takerBuyBase[i] = volume * share;
    price = close;
  }
  return { candles: c, regime };
}

/** Deterministic synthetic 15m candles (see generateSyntheticMarketWithRegimes). */
export function generateSyntheticMarket(opts: SyntheticMarketOptions): CandleColumns {
  return generateSyntheticMarketWithRegimes(opts).candles;
}

/**
 * Synthetic candles of any interval of 15m or coarser: the 15m market aggregated exactly
 * (complete buckets only, so the first/last partial buckets are dropped).
 */
export function syntheticSeries(opts: SyntheticMarketOptions, interval: Interval): CandleColumns {
  if (intervalMs(interval) < STEP) throw new Error(`The synthetic market starts at 15m candles; ${interval} is finer.`);
  return aggregateColumns(generateSyntheticMarket(opts), "15m", interval);
}
