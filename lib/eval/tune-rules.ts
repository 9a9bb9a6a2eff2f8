/**
 * Choosing backtest rules on the validation part (issue 12): a small grid of rules (whose signals,
 * long-only or not, minimum confidence, sizing; the fee is the user's and never tuned) is traded
 * over the validation samples with the same runBacktest as the test part, and the rule with the
 * highest validation Sharpe is kept. The caller passes validation window ends and validation
 * probabilities only: nothing here can see the test part, so applying the chosen rules to it is
 * one trial, not a search over it.
 *
 * Ties (the same Sharpe to 1e-9, e.g. two minimum confidences no prediction falls between) go to
 * the rule with fewer changes from the current rules (a change that moves nothing is not made),
 * then to more trades (more evidence behind the same Sharpe), then to the grid's order. A rule
 * with no trade has Sharpe 0 and may win: when every trading rule loses on validation, staying
 * flat is the honest choice.
 */
import { runBacktest, type BacktestSettings } from "./backtest";

/** The rules the tuner picks among (the fee is fixed by the user). */
export type TunableRules = Pick<BacktestSettings, "longOnly" | "minConfidence" | "sizing">;

/** The grid: every combination is tried for every candidate result. */
export interface RuleGrid {
  longOnly: readonly boolean[];
  minConfidence: readonly number[];
  sizing: readonly BacktestSettings["sizing"][];
}

/** 2 × 5 × 2 = 20 rules per result: short enough that the validation part is not mined either. */
export const DEFAULT_RULE_GRID: Readonly<RuleGrid> = Object.freeze({
  longOnly: [false, true],
  minConfidence: [0.3, 0.4, 0.5, 0.6, 0.7],
  sizing: ["confidence", "full"] as const,
});

/** A result whose signals may be traded: its validation probabilities [Nval * k] in split order. */
export interface RuleCandidate {
  id: string;
  probs: ArrayLike<number>;
}

export interface TuneRulesInput {
  /** Closes and open times (ms) of every row, [T]. */
  closes: ArrayLike<number>;
  times: ArrayLike<number>;
  /** Validation window ends, strictly increasing rows, [Nval]. */
  ends: ArrayLike<number>;
  /** Label horizon, candles. */
  horizon: number;
  candidates: readonly RuleCandidate[];
  /** Fee per side as a fraction of notional (the user's; not tuned). */
  feeRate: number;
  /** The rules in use now: ties go to the fewest changes from them. */
  current?: { tradedModel: string } & TunableRules;
  grid?: RuleGrid;
  /** Bar interval in ms; inferred by runBacktest when omitted. */
  barMs?: number;
}

/** A rule's figures on the validation part. */
export interface ValidationFigures {
  /** Annualised Sharpe of per-bar returns. */
  sharpe: number;
  totalReturn: number;
  buyHoldReturn: number;
  maxDrawdown: number;
  trades: number;
  /** Open times (UTC ms) of the first and last candle of the validation backtest. */
  start: number;
  end: number;
}

export interface TunedRules {
  tradedModel: string;
  settings: TunableRules & { feeRate: number };
  validation: ValidationFigures;
  /** Rules tried (candidates × grid). */
  tried: number;
}

const TIE = 1e-9;

function changes(a: { tradedModel: string } & TunableRules, b: TuneRulesInput["current"]): number {
  if (!b) return 0;
  return (
    Number(a.tradedModel !== b.tradedModel) +
    Number(a.longOnly !== b.longOnly) +
    Number(Math.abs(a.minConfidence - b.minConfidence) > 1e-12) +
    Number(a.sizing !== b.sizing)
  );
}

/**
 * The grid rule with the highest validation Sharpe (ties: see the module comment).
 * @throws with no candidate or no validation sample
 */
export function tuneBacktestRules(input: TuneRulesInput): TunedRules {
  const grid = input.grid ?? DEFAULT_RULE_GRID;
  if (input.candidates.length === 0) throw new Error("no result to tune the backtest rules for");
  if (input.ends.length === 0) throw new Error("the validation part has no sample to tune the backtest rules on");
  let best: (TunedRules & { changes: number }) | null = null;
  let tried = 0;
  for (const c of input.candidates)
    for (const longOnly of grid.longOnly)
      for (const minConfidence of grid.minConfidence)
        for (const sizing of grid.sizing) {
          tried++;
          const settings = { longOnly, minConfidence, sizing, feeRate: input.feeRate };
          const bt = runBacktest(input.closes, input.times, input.ends, c.probs, input.horizon, {
            ...settings,
            ...(input.barMs === undefined ? {} : { barMs: input.barMs }),
          });
          const m = bt.metrics;
          const rule = { tradedModel: c.id, ...settings };
          const next = {
            tradedModel: c.id,
            settings,
            validation: {
              sharpe: m.sharpe,
              totalReturn: m.totalReturn,
              buyHoldReturn: bt.buyHoldMetrics.totalReturn,
              maxDrawdown: m.maxDrawdown,
              trades: m.trades,
              start: bt.times[0],
              end: bt.times[bt.times.length - 1],
            },
            tried: 0,
            changes: changes(rule, input.current),
          };
          if (!best || better(next, best)) best = next;
        }
  const { changes: _changes, ...chosen } = best!;
  return { ...chosen, tried };
}

function better(a: TunedRules & { changes: number }, b: TunedRules & { changes: number }): boolean {
  // A Sharpe without a value (no spread at all) never wins over one with a value.
  const sa = Number.isFinite(a.validation.sharpe) ? a.validation.sharpe : -Infinity;
  const sb = Number.isFinite(b.validation.sharpe) ? b.validation.sharpe : -Infinity;
  const d = sa === sb ? 0 : sa - sb;
  if (Math.abs(d) > TIE) return d > 0;
  if (a.changes !== b.changes) return a.changes < b.changes;
  return a.validation.trades > b.validation.trades;
}
