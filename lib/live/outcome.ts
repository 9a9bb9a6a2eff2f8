/**
 * Outcome of a signal, recorded at exactly the horizon: the signal for the base candle opened at
 * t (issued at its close) is resolved when the candle opened at t + horizon × interval has
 * closed, from the closes of those two candles: the same forward return, and the same label
 * rule, the dataset labelled its rows with (lib/core/labels).
 */
import { labelOf } from "../core/labels";
import type { LabelSpec } from "../core/dataset";

/** Open time (ms) of the candle whose close resolves the signal for the candle opened at `openTime`. */
export function outcomeCandleTime(openTime: number, intervalMs: number, horizon: number): number {
  return openTime + horizon * intervalMs;
}

/** Earliest wall/candle-clock time (ms) at which the outcome is known: the outcome candle's close. */
export function outcomeDueAt(openTime: number, intervalMs: number, horizon: number): number {
  return outcomeCandleTime(openTime, intervalMs, horizon) + intervalMs;
}

export interface SignalOutcome {
  /** close[t + h] / close[t] - 1 (fraction). */
  realizedReturn: number;
  /** True class under the dataset's label spec, or NO_LABEL (-1) inside an "exclude" zone. */
  trueLabel: number;
  /** Whether the predicted class equals the true label (false when NO_LABEL). */
  correct: boolean;
  /** P&L after fees in quote currency (0 when the signal was not traded). */
  pnl: number;
  /** pnl / baseSize (the per-signal return the forward Sharpe is computed from). */
  pnlReturn: number;
}

/**
 * P&L of a trade of `size` (quote currency) in `direction` over a return `r`, paying `feeRate`
 * per side on notional: entry fee on `size`, exit fee on `size × (1 + r)`, as the backtest does.
 */
export function tradePnl(size: number, direction: 1 | -1, r: number, feeRate: number): number {
  if (size === 0) return 0;
  return size * (direction * r - feeRate - feeRate * (1 + r));
}

export interface ResolveInput {
  predicted: number;
  direction: 1 | -1;
  /** Size traded (0 when not tradeable). */
  size: number;
  baseSize: number;
  feeRate: number;
  /** Close of the signal's candle (t). */
  entryClose: number;
  /** Close of the outcome candle (t + horizon). */
  exitClose: number;
  labelSpec: LabelSpec;
  /** Label threshold multiplier (ATR scaling, see atrLabelScale); 1 when the spec is not ATR-scaled. */
  labelScale?: number;
}

/** The outcome from the two closes (see the module comment for which candles). */
export function resolveOutcome(input: ResolveInput): SignalOutcome {
  if (!(input.entryClose > 0) || !(input.exitClose > 0))
    throw new Error(`outcome needs positive closes, got entry ${input.entryClose} and exit ${input.exitClose}`);
  const r = input.exitClose / input.entryClose - 1;
  const trueLabel = labelOf(r, input.labelSpec, input.labelSpec.atrScaled ? (input.labelScale ?? NaN) : 1);
  const pnl = tradePnl(input.size, input.direction, r, input.feeRate);
  return {
    realizedReturn: r,
    trueLabel,
    correct: trueLabel >= 0 && trueLabel === input.predicted,
    pnl,
    pnlReturn: input.baseSize > 0 ? pnl / input.baseSize : 0,
  };
}

/**
 * Finds the close of the candle opened at exactly `openTime` in ascending open times, or
 * undefined when that candle is missing (a gap: the signal is then skipped with a note, never
 * resolved from a neighbour).
 */
export function closeAt(openTimes: ArrayLike<number>, closes: ArrayLike<number>, openTime: number): number | undefined {
  let lo = 0;
  let hi = openTimes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = openTimes[mid];
    if (t === openTime) return closes[mid];
    if (t < openTime) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** A signal waiting for its outcome: its candle and the close it was issued at. */
export interface PendingSignal {
  openTime: number;
  entryClose: number;
}

export type Resolution<S extends PendingSignal> =
  | { signal: S; status: "pending" }
  | { signal: S; status: "ready"; exitClose: number }
  | { signal: S; status: "gap"; note: string };

/**
 * Sorts pending signals by what the candles known at `now` allow: "ready" once the outcome
 * candle (t + horizon) has closed and is stored, "gap" when it has closed but the exchange has no
 * such candle, "pending" before its close. Candles: ascending open times and closes of the base
 * interval.
 */
export function resolvePending<S extends PendingSignal>(
  pending: readonly S[],
  candles: { openTime: ArrayLike<number>; close: ArrayLike<number> },
  now: number,
  intervalMs: number,
  horizon: number,
): Resolution<S>[] {
  return pending.map((signal) => {
    if (now < outcomeDueAt(signal.openTime, intervalMs, horizon)) return { signal, status: "pending" };
    const at = outcomeCandleTime(signal.openTime, intervalMs, horizon);
    const exitClose = closeAt(candles.openTime, candles.close, at);
    if (exitClose === undefined)
      return { signal, status: "gap", note: `no candle opened at ${new Date(at).toISOString()} (exchange gap)` };
    return { signal, status: "ready", exitClose };
  });
}
