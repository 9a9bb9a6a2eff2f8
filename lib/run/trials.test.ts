import { describe, expect, it } from "vitest";
import { barReturns, expectedMaxSharpe, returnMoments, YEAR_MS } from "@/lib/eval";
import { summarizedRun } from "@/test/summarized-run";
import { summarizeRun } from "./summarize";
import { newTrial, otherRunsConfigurations, rulesOf, testedConfigurations, trialReport } from "./trials";
import type { BacktestTrial } from "./types";

const settings = { longOnly: false, minConfidence: 0.4, sizing: "confidence" as const, feeRate: 0.001 };
const measure = (over: Partial<Parameters<typeof newTrial>[1]> = {}): Parameters<typeof newTrial>[1] => ({
  at: 1,
  source: "training",
  rules: { tradedModel: "ensemble", settings },
  testSharpe: 0.5,
  bars: 100,
  strategies: [
    { model: "lstm", sharpe: 0.01 },
    { model: "ensemble", sharpe: 0.02 },
  ],
  ...over,
});

describe("trial bookkeeping", () => {
  it("the first application is not after the test was seen; every later one is, tuned on validation too", () => {
    const first = newTrial([], measure());
    expect(first.afterTestSeen).toBe(false);
    const manual = newTrial([first], measure({ source: "manual" }));
    expect(manual.afterTestSeen).toBe(true);
    const tuned = newTrial([first, manual], measure({ source: "tuned-on-validation" }));
    expect(tuned).toMatchObject({ source: "tuned-on-validation", afterTestSeen: true });
    expect(rulesOf([first, manual, tuned])).toEqual({
      source: "tuned-on-validation",
      afterTestSeen: true,
      applications: 3,
    });
    expect(rulesOf([])).toBeUndefined();
    expect(trialReport([])).toEqual({});
  });

  it("counts configurations: new rules add one per result, the same rules again or another traded result none", () => {
    const first = newTrial([], measure());
    const again = newTrial([first], measure({ rules: { tradedModel: "lstm", settings } }));
    expect(testedConfigurations([first, again])).toHaveLength(2);
    const other = newTrial(
      [first, again],
      measure({
        rules: { tradedModel: "ensemble", settings: { ...settings, longOnly: true } },
        strategies: [
          { model: "lstm", sharpe: -0.01 },
          { model: "ensemble", sharpe: 0.03 },
        ],
      }),
    );
    const configs = testedConfigurations([first, again, other]);
    expect(configs.map((c) => c.sharpe)).toEqual([0.01, 0.02, -0.01, 0.03]);
    expect(trialReport([first, again, other])).toEqual({
      trials: 4,
      test_applications: 3,
      rules_source: "training",
      after_test_seen: true,
    });
  });
});

describe("every application of rules to the test part is a trial of the run's evaluation", () => {
  const { dataset, outcomes, evaluation } = summarizedRun();
  const opts = { title: "t", fingerprint: evaluation.summary.fingerprint, createdAt: 1, resamples: 200 };
  const tradedResults = evaluation.summary.results.filter((r) => r.kind !== "baseline");
  const periodsPerYear = (b: NonNullable<typeof evaluation.summary.backtest>) =>
    YEAR_MS / ((b.end - b.start) / (b.equity.length - 1));

  it("the evaluation after training is the first trial, over every model and ensemble", () => {
    expect(evaluation.trials).toHaveLength(1);
    const [t] = evaluation.trials;
    expect(t).toMatchObject({ source: "training", afterTestSeen: false, at: 1 });
    expect(t.strategies.map((s) => s.model).sort()).toEqual(tradedResults.map((r) => r.id).sort());
    const b = evaluation.summary.backtest!;
    expect(t.testSharpe).toBe(b.sharpe);
    expect(t.bars).toBe(b.equity.length);
    expect(b.rules).toEqual({ source: "training", afterTestSeen: false, applications: 1 });
    expect(b.deflatedSharpe?.trials).toBe(tradedResults.length);
    const m = returnMoments(barReturns(b.equity));
    expect(t.strategies.find((s) => s.model === b.model)!.sharpe).toBeCloseTo(m.sharpe, 12);
    for (const r of Object.values(evaluation.metrics))
      expect(r.backtest).toMatchObject({
        trials: tradedResults.length,
        test_applications: 1,
        rules_source: "training",
        after_test_seen: false,
      });
  });

  it("a later application appends a trial after the test was seen, and the deflated Sharpe counts and spreads them all", () => {
    const again = summarizeRun(dataset, outcomes, {
      ...opts,
      backtest: { longOnly: true, minConfidence: 0.3, sizing: "full", feeRate: 0.002 },
      tradedModel: "lstm",
      trials: { prior: evaluation.trials, source: "manual", at: 5 },
    });
    expect(again.trials).toHaveLength(2);
    expect(again.trials[0]).toEqual(evaluation.trials[0]);
    expect(again.trials[1]).toMatchObject({
      source: "manual",
      afterTestSeen: true,
      at: 5,
      rules: { tradedModel: "lstm", settings: { longOnly: true, minConfidence: 0.3, sizing: "full", feeRate: 0.002 } },
    });
    const b = again.summary.backtest!;
    expect(b.rules).toEqual({ source: "manual", afterTestSeen: true, applications: 2 });
    const sharpes = [...evaluation.trials[0].strategies, ...again.trials[1].strategies].map((s) => s.sharpe);
    expect(b.deflatedSharpe!.trials).toBe(sharpes.length);
    const mean = sharpes.reduce((a, x) => a + x, 0) / sharpes.length;
    const variance = sharpes.reduce((a, x) => a + (x - mean) ** 2, 0) / (sharpes.length - 1);
    expect(b.deflatedSharpe!.benchmarkSharpe).toBeCloseTo(
      expectedMaxSharpe(sharpes.length, variance) * Math.sqrt(periodsPerYear(b)),
      9,
    );
    expect(again.metrics.lstm.backtest).toMatchObject({
      trials: sharpes.length,
      test_applications: 2,
      rules_source: "manual",
      after_test_seen: true,
    });

    // The same rules once more: one more application, no new configuration.
    const third = summarizeRun(dataset, outcomes, {
      ...opts,
      backtest: { longOnly: true, minConfidence: 0.3, sizing: "full", feeRate: 0.002 },
      tradedModel: "ensemble",
      trials: { prior: again.trials, source: "manual", at: 9 },
    });
    expect(third.summary.backtest!.rules!.applications).toBe(3);
    expect(third.summary.backtest!.deflatedSharpe!.trials).toBe(sharpes.length);
  });

  it("a reconstructed trial of an old run counts like any other", () => {
    const old: BacktestTrial = { ...evaluation.trials[0], reconstructed: true, source: "manual", afterTestSeen: true };
    const next = summarizeRun(dataset, outcomes, {
      ...opts,
      backtest: { longOnly: false, minConfidence: 0.5, sizing: "confidence", feeRate: 0.001 },
      trials: { prior: [old], source: "tuned-on-validation", at: 3 },
    });
    expect(next.trials[1]).toMatchObject({ source: "tuned-on-validation", afterTestSeen: true });
    expect(next.summary.backtest!.deflatedSharpe!.trials).toBe(2 * tradedResults.length);
  });

  it("counts the configurations other single-split runs of the dataset evaluated on its test part", () => {
    const other = summarizeRun(dataset, outcomes, {
      ...opts,
      backtest: { longOnly: true, minConfidence: 0.5, sizing: "full", feeRate: 0.001 },
    });
    const runs = [
      { id: "self", walk: false, trials: evaluation.trials },
      { id: "other", walk: false, trials: other.trials },
      { id: "walked", walk: true, trials: other.trials }, // another span: not this test part
    ];
    const others = otherRunsConfigurations(runs, "self");
    expect(others).toEqual(testedConfigurations(other.trials));
    const next = summarizeRun(dataset, outcomes, { ...opts, otherTrials: others });
    const d = next.summary.backtest!.deflatedSharpe!;
    expect(d.trials).toBe(tradedResults.length + others.length);
    expect(d.fromOtherRuns).toBe(others.length);
    expect(next.metrics.ensemble.backtest!.trials).toBe(d.trials);
    // The bar for luck is the best of all of them, this run's and the others'.
    const sharpes = [...testedConfigurations(evaluation.trials), ...others].map((c) => c.sharpe);
    const mean = sharpes.reduce((a, x) => a + x, 0) / sharpes.length;
    const variance = sharpes.reduce((a, x) => a + (x - mean) ** 2, 0) / (sharpes.length - 1);
    const b = next.summary.backtest!;
    expect(d.benchmarkSharpe).toBeCloseTo(
      expectedMaxSharpe(sharpes.length, variance) * Math.sqrt(periodsPerYear(b)),
      9,
    );
    expect(evaluation.summary.backtest!.deflatedSharpe!.fromOtherRuns).toBeUndefined();
  });
});
