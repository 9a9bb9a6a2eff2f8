import { describe, expect, it } from "vitest";
import { mulberry32 } from "@/lib/core/random";
import { DEFAULT_RULE_GRID, runBacktest } from "@/lib/eval";
import { resultProbabilities } from "@/lib/export/predictions";
import { summarizedRun } from "@/test/summarized-run";
import { tuneRunRules } from "./tune";
import type { ModelOutcome } from "./types";

describe("a run's backtest rules tuned on its validation part", () => {
  const { dataset, outcomes, evaluation } = summarizedRun();
  const summary = evaluation.summary;
  const fee = 0.001;
  const horizon = dataset.labelSpec.horizon;
  const tuned = tuneRunRules(dataset, outcomes, summary, fee);

  it("tries every model and ensemble with every rule of the grid, and keeps the best validation Sharpe", () => {
    const val = resultProbabilities(dataset, outcomes, summary, "val");
    const ids = summary.results.filter((r) => r.kind !== "baseline").map((r) => r.id);
    expect(Object.keys(val).sort()).toEqual([...ids].sort());
    const perResult =
      DEFAULT_RULE_GRID.longOnly.length * DEFAULT_RULE_GRID.minConfidence.length * DEFAULT_RULE_GRID.sizing.length;
    expect(tuned.tried).toBe(ids.length * perResult);
    expect(ids).toContain(tuned.tradedModel);
    expect(tuned.settings.feeRate).toBe(fee);
    const own = runBacktest(dataset.closes, dataset.times, dataset.split.val, val[tuned.tradedModel], horizon, {
      ...tuned.settings,
    });
    expect(tuned.validation.sharpe).toBe(own.metrics.sharpe);
    // Its figures are the validation part's: the backtest starts at the first validation sample.
    expect(tuned.validation.start).toBe(dataset.times[dataset.split.val[0]]);
    expect(tuned.validation.end).toBeLessThan(dataset.times[dataset.split.test[0]]);
  });

  it("never reads the test part: NaN test probabilities and garbage closes after the validation span change nothing", () => {
    const nanTest: ModelOutcome[] = outcomes.map((o) => ({
      ...o,
      testProbs: new Float32Array(o.testProbs.length).fill(NaN),
    }));
    const lastUsed = dataset.split.val[dataset.split.val.length - 1] + horizon;
    expect(lastUsed).toBeLessThan(dataset.split.test[0]);
    const closes = Float64Array.from(dataset.closes, (c, t) => (t > lastUsed ? NaN : c));
    expect(tuneRunRules({ ...dataset, closes }, nanTest, summary, fee)).toEqual(tuned);
  });

  it("picks a model planted to be right on validation over noisy ones", () => {
    const rnd = mulberry32(3);
    const noise = (n: number) => Float32Array.from({ length: n * 4 }, () => 0.2 + rnd());
    // "lstm" knows the sign of each validation sample's forward return; the others guess.
    const planted = new Float32Array(dataset.split.val.length * 4).fill(0.01);
    dataset.split.val.forEach((t, i) => (planted[i * 4 + (dataset.forwardReturns[t] > 0 ? 3 : 0)] = 0.97));
    const rigged: ModelOutcome[] = outcomes.map((o) => ({
      ...o,
      valProbs: o.id === "lstm" ? planted : noise(dataset.split.val.length),
    }));
    // The ensembles mix the guessers only, so the planted model is the one result that knows.
    const guessers = [
      { model: "transformer", weight: 0.5 },
      { model: "lstm", weight: 0 },
      { model: "forest", weight: 0.5 },
    ];
    const best = tuneRunRules(dataset, rigged, { ...summary, ensemble: { weights: guessers, learned: guessers } }, fee);
    expect(best.tradedModel).toBe("lstm");
    expect(best.validation.sharpe).toBeGreaterThan(tuned.validation.sharpe);
    expect(best.validation.trades).toBeGreaterThan(0);
  });
});
