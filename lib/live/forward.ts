/**
 * The forward record (paper trading) of a deployment: the figures of its resolved signals, the
 * same definitions as the Results page (lib/eval) so they sit beside the run's backtest.
 */
import { NUM_CLASSES } from "../core/classes";
import { confusionMatrix } from "../eval/confusion";
import { accuracyFromConfusion, balancedAccuracy } from "../eval/metrics";
import { sharpeRatio, YEAR_MS } from "../eval/backtest";

/** One resolved signal. */
export interface ForwardEntry {
  predicted: number;
  /** NO_LABEL (-1) when the dataset's "exclude" zone drops it (left out of accuracy). */
  trueLabel: number;
  /** Size traded; 0 when the signal was not tradeable. */
  size: number;
  /** P&L after fees / base size. */
  pnlReturn: number;
}

export interface ForwardRecord {
  /** Resolved signals with a true label. */
  outcomes: number;
  accuracy: number;
  /** Wilson 95% interval of accuracy (NaN, NaN with no outcome). */
  accuracyInterval: [number, number];
  balancedAccuracy: number;
  trades: number;
  /** Share of trades with P&L > 0 (NaN with no trade). */
  winRate: number;
  /**
   * Annualised Sharpe of the per-signal P&L returns (untraded signals count as 0), one period
   * per horizon. Signals on consecutive candles overlap by horizon - 1 candles, so successive
   * returns are correlated and the figure is rougher than the backtest's per-bar Sharpe.
   */
  sharpeRatio: number;
}

/** Wilson score interval for k successes of n at z (default 1.96, 95%). */
export function wilsonInterval(k: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [NaN, NaN];
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

/**
 * Figures of a forward record.
 * @param horizonMs horizon × base interval (ms): the holding period of one signal
 */
export function forwardRecord(entries: readonly ForwardEntry[], horizonMs: number): ForwardRecord {
  const labelled = entries.filter((e) => e.trueLabel >= 0 && e.trueLabel < NUM_CLASSES);
  const cm = confusionMatrix(
    labelled.map((e) => e.trueLabel),
    labelled.map((e) => e.predicted),
  );
  const right = labelled.filter((e) => e.trueLabel === e.predicted).length;
  const traded = entries.filter((e) => e.size > 0);
  return {
    outcomes: labelled.length,
    accuracy: labelled.length ? accuracyFromConfusion(cm) : NaN,
    accuracyInterval: wilsonInterval(right, labelled.length),
    balancedAccuracy: labelled.length ? balancedAccuracy(cm) : NaN,
    trades: traded.length,
    winRate: traded.length ? traded.filter((e) => e.pnlReturn > 0).length / traded.length : NaN,
    sharpeRatio: sharpeRatio(
      entries.map((e) => e.pnlReturn),
      YEAR_MS / horizonMs,
    ),
  };
}
