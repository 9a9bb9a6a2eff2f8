/**
 * A simple, honest backtest of a model's test predictions.
 *
 * Rules (all documented because each one moves the figures):
 * - A prediction is made at the close of its window's end row t, from data up to t only; a trade
 *   it opens enters at close[t] and exits at the close of the candle `horizon` intervals later
 *   (the label horizon), so the trade earns exactly the forward return the label was made from.
 *   Time, not rows, decides: with a missing row (an exchange gap, a row the build dropped) row
 *   t + horizon is a later candle. A trade whose exit candle is not in the data is not opened.
 * - Direction: argmax class BUY/STRONG_BUY → long, SELL/STRONG_SELL → short (long-only setting:
 *   sell signals stay flat).
 * - Confidence = max class probability. A trade opens only when confidence >= minConfidence.
 *   Size (fraction of current equity): "confidence" maps confidence linearly from chance (1/k) → 0
 *   to certainty (1) → 1; "full" always uses 1.
 * - Non-overlapping: while a trade is open, new predictions are ignored; a new trade may open on
 *   the very row the previous one exits (exit then re-entry, both fees paid). The alternative
 *   (overlapping sub-portfolios, one per horizon offset) is not used: it blurs trade counts.
 * - Fees per side (default 0.1%) on notional: entry notional = size × equity; exit notional =
 *   entry notional × exitPrice / entryPrice. Unused equity earns nothing.
 * - The equity curve is marked to market at every candle of the bar interval from the first test
 *   end row t0 to tEnd, the last row at or before the last test end + horizon candles. A missing
 *   candle keeps the last close (its bar returns 0, the move lands on the next candle), so there
 *   is one per-bar return per candle and Sharpe's annualisation counts real time. Starting
 *   equity is 1 just before close t0, so the first per-bar return holds only a possible entry
 *   fee. Buy-and-hold on the same candles buys at close t0 and sells at close tEnd paying the
 *   same fee per side.
 * - Sharpe = mean / sample std of per-bar returns × sqrt(bars per year), bars per year =
 *   365 days / bar interval (crypto trades around the clock), risk-free rate 0.
 */
import { NUM_CLASSES } from "../core/classes";

export interface BacktestSettings {
  /** Only long trades; sell signals stay flat. Default false. */
  longOnly: boolean;
  /** Minimum max-probability to trade. Default 0.4. */
  minConfidence: number;
  /** Position size rule. Default "confidence". */
  sizing: "confidence" | "full";
  /** Fee per side as a fraction of notional. Default 0.001 (0.1%). */
  feeRate: number;
  /** Bar interval in ms for annualising; inferred from `times` (median step) when omitted. */
  barMs?: number;
}

export const DEFAULT_BACKTEST_SETTINGS: Readonly<BacktestSettings> = Object.freeze({
  longOnly: false,
  minConfidence: 0.4,
  sizing: "confidence",
  feeRate: 0.001,
});

export interface BacktestTrade {
  entryRow: number;
  exitRow: number;
  entryTime: number;
  exitTime: number;
  /** +1 long, -1 short. */
  direction: 1 | -1;
  /** Predicted class (argmax). */
  predicted: number;
  /** Max class probability. */
  confidence: number;
  /** Fraction of equity committed, (0, 1]. */
  size: number;
  entryPrice: number;
  exitPrice: number;
  /** Equity change over the trade, fees included (equity units; starting equity is 1). */
  pnl: number;
  /** pnl divided by equity just before entry. */
  return: number;
}

export interface CurveStats {
  /** Final equity - 1. */
  totalReturn: number;
  /** Annualised Sharpe of per-bar returns (0 when returns have no spread). */
  sharpe: number;
  /** Largest peak-to-trough fall as a positive fraction of the peak (starting equity counts as a peak). */
  maxDrawdown: number;
}

export interface BacktestMetrics extends CurveStats {
  trades: number;
  /** Share of trades with pnl > 0; NaN with no trades. */
  winRate: number;
  /** Gross profit / gross loss; Infinity with no losing trade, NaN with no trades. */
  profitFactor: number;
  /** Share of bars (per-bar return periods) during which a position was held. */
  exposure: number;
}

export interface BacktestResult {
  /** First and last rows of the curve (inclusive). */
  startRow: number;
  endRow: number;
  /** Open times (ms) of every candle from row startRow to row endRow, missing candles included, [L]. */
  times: Float64Array;
  /** The row of each of those candles, -1 for a candle missing from the rows, [L]. */
  rows: Int32Array;
  /** Strategy equity at each of those candles' close, [L]. */
  equity: Float64Array;
  /** Buy-and-hold equity on the same candles, [L]. */
  buyHold: Float64Array;
  /** 1 where the bar ending at that close was spent in a position, [L]. */
  inPosition: Uint8Array;
  trades: BacktestTrade[];
  metrics: BacktestMetrics;
  buyHoldMetrics: CurveStats;
  settings: BacktestSettings;
  barMs: number;
}

/** Milliseconds in the 365-day year used to annualise Sharpe. */
export const YEAR_MS = 365 * 24 * 3600 * 1000;

/** Per-bar simple returns of an equity curve that starts from `initial` (default 1), [L]. */
export function barReturns(equity: ArrayLike<number>, initial = 1): Float64Array {
  const r = new Float64Array(equity.length);
  let prev = initial;
  for (let i = 0; i < equity.length; i++) {
    r[i] = prev !== 0 ? equity[i] / prev - 1 : 0;
    prev = equity[i];
  }
  return r;
}

/** Annualised Sharpe: mean / sample standard deviation of `returns` × sqrt(periodsPerYear); 0 when undefined. */
export function sharpeRatio(returns: ArrayLike<number>, periodsPerYear: number): number {
  const n = returns.length;
  if (n < 2) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += returns[i];
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (returns[i] - mean) ** 2;
  const sd = Math.sqrt(v / (n - 1));
  return sd > 1e-15 ? (mean / sd) * Math.sqrt(periodsPerYear) : 0;
}

/** Maximum drawdown of an equity curve as a positive fraction; the `initial` equity counts as a peak. */
export function maxDrawdown(equity: ArrayLike<number>, initial = 1): number {
  let peak = initial;
  let dd = 0;
  for (let i = 0; i < equity.length; i++) {
    if (equity[i] > peak) peak = equity[i];
    if (peak > 0) dd = Math.max(dd, 1 - equity[i] / peak);
  }
  return dd;
}

/** Total return, Sharpe and max drawdown of an equity curve starting from 1. */
export function curveStats(equity: ArrayLike<number>, barMs: number): CurveStats {
  return {
    totalReturn: equity.length > 0 ? equity[equity.length - 1] - 1 : 0,
    sharpe: sharpeRatio(barReturns(equity), YEAR_MS / barMs),
    maxDrawdown: maxDrawdown(equity),
  };
}

function medianStep(times: ArrayLike<number>, from: number, to: number): number {
  const d: number[] = [];
  for (let i = Math.max(from, 1); i <= to; i++) d.push(times[i] - times[i - 1]);
  if (d.length === 0) for (let i = 1; i < times.length; i++) d.push(times[i] - times[i - 1]);
  d.sort((a, b) => a - b);
  return d.length ? d[d.length >> 1] : NaN;
}

/**
 * Backtests test predictions. Shapes: closes [T], times [T] (ms, on the bar interval's grid),
 * ends [N] strictly increasing row indices (the test window ends), probs [N*k], horizon in
 * candles. See the module comment for the rules.
 */
export function runBacktest(
  closes: ArrayLike<number>,
  times: ArrayLike<number>,
  ends: ArrayLike<number>,
  probs: ArrayLike<number>,
  horizon: number,
  settings: Partial<BacktestSettings> = {},
  k: number = NUM_CLASSES,
): BacktestResult {
  const s: BacktestSettings = { ...DEFAULT_BACKTEST_SETTINGS, ...settings };
  const T = closes.length;
  const n = ends.length;
  if (times.length !== T) throw new Error(`times (${times.length}) and closes (${T}) differ in length`);
  if (probs.length !== n * k) throw new Error(`probs length ${probs.length} != ${n} * ${k}`);
  if (!(horizon >= 1) || !Number.isInteger(horizon))
    throw new Error(`horizon must be a positive integer, got ${horizon}`);
  if (n === 0) throw new Error("backtest needs at least one test sample");
  for (let i = 0; i < n; i++) {
    if (!(ends[i] >= 0 && ends[i] < T)) throw new Error(`end row ${ends[i]} outside 0..${T - 1}`);
    if (i > 0 && ends[i] <= ends[i - 1]) throw new Error("ends must be strictly increasing");
  }
  const t0 = ends[0];
  const lastEnd = ends[n - 1];
  const barMs = s.barMs ?? medianStep(times, t0, Math.min(T - 1, lastEnd + horizon));
  if (!(barMs > 0)) throw new Error("cannot infer the bar interval: pass settings.barMs");
  // The curve runs on the candle grid from the first test end, not on rows: rows can be missing
  // (exchange gaps, rows the build dropped), and row t + horizon is then not candle t + horizon.
  const endTime = times[lastEnd] + horizon * barMs;
  let tEnd = t0;
  // Times only rise within one series; a fall is the next symbol's block of a pooled dataset.
  while (tEnd + 1 < T && times[tEnd + 1] > times[tEnd] && times[tEnd + 1] <= endTime) tEnd++;
  const positionOf = (row: number) => (times[row] - times[t0]) / barMs;
  const L = positionOf(tEnd) + 1;
  if (!Number.isInteger(L)) throw new Error(`row ${tEnd} is not on the ${barMs} ms candle grid of row ${t0}`);
  const rowAt = new Int32Array(L).fill(-1);
  for (let u = t0; u <= tEnd; u++) {
    const j = positionOf(u);
    if (!Number.isInteger(j) || rowAt[j] >= 0 || (u > t0 && j <= positionOf(u - 1)))
      throw new Error(`row ${u} (time ${times[u]}) is not on the ${barMs} ms candle grid of row ${t0}`);
    rowAt[j] = u;
  }
  // Price at each candle; a missing candle keeps the last close (no trade can act on it).
  const price = new Float64Array(L);
  for (let j = 0; j < L; j++) price[j] = rowAt[j] >= 0 ? closes[rowAt[j]] : price[j - 1];
  const f = s.feeRate;
  const buyClasses = k / 2; // classes >= k/2 are the buy side (BUY, STRONG_BUY)

  const equity = new Float64Array(L);
  const inPosition = new Uint8Array(L);
  const trades: BacktestTrade[] = [];
  let cash = 1; // equity when flat
  let open: {
    row: number;
    exitAt: number;
    dir: 1 | -1;
    notional: number;
    afterFee: number;
    before: number;
    pred: number;
    conf: number;
    size: number;
  } | null = null;
  let next = 0; // pointer into ends

  for (let j = 0; j < L; j++) {
    const u = rowAt[j];
    if (open) inPosition[j] = 1;
    if (open && open.exitAt === j) {
      const p0 = closes[open.row];
      const pu = price[j];
      const final = open.afterFee + open.dir * open.notional * (pu / p0 - 1) - f * open.notional * (pu / p0);
      trades.push({
        entryRow: open.row,
        exitRow: u,
        entryTime: times[open.row],
        exitTime: times[u],
        direction: open.dir,
        predicted: open.pred,
        confidence: open.conf,
        size: open.size,
        entryPrice: p0,
        exitPrice: pu,
        pnl: final - open.before,
        return: (final - open.before) / open.before,
      });
      cash = final;
      open = null;
    }
    if (u >= 0) while (next < n && ends[next] < u) next++;
    // A trade needs its exit candle (candle t + horizon) in the data to be priced.
    const exitAt: number = j + horizon;
    if (!open && u >= 0 && next < n && ends[next] === u && exitAt < L && rowAt[exitAt] >= 0) {
      const i = next;
      let pred = 0;
      let best = probs[i * k];
      let sum = 0;
      for (let c = 0; c < k; c++) {
        const p = probs[i * k + c];
        sum += p;
        if (p > best) {
          best = p;
          pred = c;
        }
      }
      const conf = sum > 0 ? best / sum : 0;
      const dir: 1 | -1 = pred >= buyClasses ? 1 : -1;
      const size = s.sizing === "full" ? 1 : Math.min(1, Math.max(0, (conf - 1 / k) / (1 - 1 / k)));
      if (conf >= s.minConfidence && size > 0 && !(s.longOnly && dir < 0)) {
        const notional = size * cash;
        open = { row: u, exitAt, dir, notional, afterFee: cash - f * notional, before: cash, pred, conf, size };
      }
    }
    equity[j] = open ? open.afterFee + open.dir * open.notional * (price[j] / closes[open.row] - 1) : cash;
  }

  // Buy and hold: the same trade rule, long with size 1 from t0 to tEnd.
  const buyHold = new Float64Array(L);
  const p0 = closes[t0];
  for (let j = 0; j < L; j++) {
    const rel = price[j] / p0;
    buyHold[j] = 1 - f + (rel - 1) - (j === L - 1 && L > 1 ? f * rel : 0);
  }

  let wins = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  for (const t of trades) {
    if (t.pnl > 0) {
      wins++;
      grossProfit += t.pnl;
    } else grossLoss -= t.pnl;
  }
  let held = 0;
  for (let j = 0; j < L; j++) held += inPosition[j];
  const metrics: BacktestMetrics = {
    ...curveStats(equity, barMs),
    trades: trades.length,
    winRate: trades.length ? wins / trades.length : NaN,
    profitFactor:
      trades.length === 0 ? NaN : grossLoss > 0 ? grossProfit / grossLoss : grossProfit > 0 ? Infinity : NaN,
    exposure: held / L,
  };
  const timesOut = new Float64Array(L);
  for (let j = 0; j < L; j++) timesOut[j] = times[t0] + j * barMs;
  return {
    startRow: t0,
    endRow: tEnd,
    times: timesOut,
    rows: rowAt,
    equity,
    buyHold,
    inPosition,
    trades,
    metrics,
    buyHoldMetrics: curveStats(buyHold, barMs),
    settings: s,
    barMs,
  };
}
