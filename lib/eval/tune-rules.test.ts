import { describe, expect, it } from "vitest";
import { mulberry32 } from "../core/random";
import { runBacktest } from "./backtest";
import { DEFAULT_RULE_GRID, tuneBacktestRules, type TuneRulesInput } from "./tune-rules";

const H = 3_600_000;
const HORIZON = 3;

/** One row of probabilities: `p` on class c, the rest shared. */
const row = (c: number, p: number) => [0, 1, 2, 3].map((k) => (k === c ? p : (1 - p) / 3));

/**
 * A random walk and two candidates. "planted" is right with high confidence on half the rises
 * (BUY 0.8), wrong with high confidence on the other half (SELL 0.75, so shorting loses) and
 * wrong with low confidence on falls (BUY 0.55): its best rule is long-only with a minimum
 * confidence above 0.55 and at most 0.75. "noise" is random.
 */
function market(seed = 5) {
  const rnd = mulberry32(seed);
  const T = 700;
  const closes = new Float64Array(T);
  closes[0] = 100;
  for (let t = 1; t < T; t++) closes[t] = closes[t - 1] * (1 + (rnd() - 0.5) * 0.02);
  const times = Float64Array.from({ length: T }, (_, i) => i * H);
  const ends = Int32Array.from({ length: 400 }, (_, i) => 50 + i);
  const planted: number[] = [];
  const noise: number[] = [];
  for (const t of ends) {
    const up = closes[t + HORIZON] > closes[t];
    planted.push(...(up ? (t % 2 === 0 ? row(2, 0.8) : row(1, 0.75)) : row(2, 0.55)));
    const raw = [rnd(), rnd(), rnd(), rnd()];
    const s = raw.reduce((a, b) => a + b, 0);
    noise.push(...raw.map((x) => x / s));
  }
  const input: TuneRulesInput = {
    closes,
    times,
    ends,
    horizon: HORIZON,
    feeRate: 0.0005,
    candidates: [
      { id: "noise", probs: Float32Array.from(noise) },
      { id: "planted", probs: Float32Array.from(planted) },
    ],
  };
  return input;
}

describe("backtest rules tuned on validation", () => {
  it("finds the planted rule, and nothing in the grid has a higher validation Sharpe", () => {
    const input = market();
    const tuned = tuneBacktestRules(input);
    expect(tuned.tradedModel).toBe("planted");
    expect(tuned.settings.longOnly).toBe(true);
    expect(tuned.settings.minConfidence).toBeGreaterThan(0.55);
    expect(tuned.settings.minConfidence).toBeLessThanOrEqual(0.75);
    expect(tuned.settings.feeRate).toBe(input.feeRate);
    expect(tuned.tried).toBe(
      input.candidates.length *
        DEFAULT_RULE_GRID.longOnly.length *
        DEFAULT_RULE_GRID.minConfidence.length *
        DEFAULT_RULE_GRID.sizing.length,
    );
    expect(tuned.validation.trades).toBeGreaterThan(0);
    for (const c of input.candidates)
      for (const longOnly of DEFAULT_RULE_GRID.longOnly)
        for (const minConfidence of DEFAULT_RULE_GRID.minConfidence)
          for (const sizing of DEFAULT_RULE_GRID.sizing) {
            const bt = runBacktest(input.closes, input.times, input.ends, c.probs, HORIZON, {
              longOnly,
              minConfidence,
              sizing,
              feeRate: input.feeRate,
            });
            expect(bt.metrics.sharpe).toBeLessThanOrEqual(tuned.validation.sharpe + 1e-9);
          }
    // The planted rule's figures are its own backtest's.
    const own = runBacktest(input.closes, input.times, input.ends, input.candidates[1].probs, HORIZON, tuned.settings);
    expect(tuned.validation.sharpe).toBe(own.metrics.sharpe);
    expect(tuned.validation.trades).toBe(own.metrics.trades);
  });

  it("never reads past the validation span: garbage in every later row gives the same choice and figures", () => {
    const input = market();
    const tuned = tuneBacktestRules(input);
    const lastUsed = input.ends[input.ends.length - 1] + HORIZON;
    const closes = Float64Array.from(input.closes, (c, t) => (t > lastUsed ? NaN : c));
    expect(tuneBacktestRules({ ...input, closes })).toEqual(tuned);
    const wild = Float64Array.from(input.closes, (c, t) => (t > lastUsed ? 1e9 * (t % 7) : c));
    expect(tuneBacktestRules({ ...input, closes: wild })).toEqual(tuned);
  });

  it("a tie goes to the fewest changes from the current rules", () => {
    // No planted confidence lies in [0.6, 0.7): both minimums trade the same signals.
    const input = market();
    const first = tuneBacktestRules(input);
    for (const minConfidence of [0.6, 0.7]) {
      const tuned = tuneBacktestRules({
        ...input,
        current: { tradedModel: "planted", longOnly: true, sizing: first.settings.sizing, minConfidence },
      });
      expect(tuned.settings.minConfidence).toBe(minConfidence);
      expect(tuned.validation.sharpe).toBeCloseTo(first.validation.sharpe, 9);
    }
  });

  it("refuses to tune without a candidate or a validation sample", () => {
    const input = market();
    expect(() => tuneBacktestRules({ ...input, candidates: [] })).toThrow(/no result/);
    expect(() => tuneBacktestRules({ ...input, ends: new Int32Array(0), candidates: [] })).toThrow(/no result/);
    expect(() => tuneBacktestRules({ ...input, ends: new Int32Array(0) })).toThrow(/validation part has no sample/);
  });
});
