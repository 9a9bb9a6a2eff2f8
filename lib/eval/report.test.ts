import { describe, expect, it } from "vitest";
import { runBacktest } from "./backtest";
import { classPriorBaseline, majorityBaseline } from "./baselines";
import { comparisonTable, evaluationMetrics, evaluationMetricsJson } from "./report";

const labels = Uint8Array.from([0, 0, 1, 1, 2, 2, 3, 3, 3, 2]);
const predicted = [0, 1, 1, 1, 2, 3, 3, 3, 0, 2];
const probs = new Float32Array(40).fill(0.1);
predicted.forEach((c, i) => (probs[i * 4 + c] = 0.7));

describe("evaluation_metrics.json", () => {
  const train = Uint8Array.from([2, 2, 2, 1, 0, 3]);
  const closes = Float64Array.from({ length: 14 }, (_, i) => 100 + i);
  const times = Float64Array.from({ length: 14 }, (_, i) => i * 3_600_000);
  const bt = runBacktest(
    closes,
    times,
    Int32Array.from({ length: 10 }, (_, i) => i),
    probs,
    2,
    { feeRate: 0 },
  );
  const r = evaluationMetrics("transformer", labels, probs, {
    baselines: { majority: majorityBaseline(train, 10), class_prior: classPriorBaseline(train, 10) },
    backtest: bt,
  });
  it("has the guide's key and the rest", () => {
    expect(r.test_accuracy).toBeCloseTo(0.7, 12);
    expect(r.test_balanced_accuracy).toBeCloseTo(17 / 24, 12);
    expect(r.test_macro_f1).toBeCloseTo(83 / 120, 12);
    expect(r.test_samples).toBe(10);
    expect(r.per_class.SELL).toEqual({
      precision: expect.closeTo(2 / 3, 12),
      recall: 1,
      f1: expect.closeTo(0.8, 12),
      support: 2,
    });
    expect(r.confusion_matrix[3]).toEqual([1, 0, 0, 2]);
    expect(r.baselines!.majority.test_accuracy).toBeCloseTo(0.3, 12); // class 2 occurs 3 times in 10
    expect(r.signs).toHaveLength(6);
    expect(r.backtest!.trades).toBe(bt.metrics.trades);
    expect(r.targets.details[0]).toMatch(/^accuracy 70.0%: good/);
  });
  it("serialises non-finite figures as null", () => {
    // Rising prices and shorts/longs mixed: profit factor may be finite; force an all-win case.
    const allWin = runBacktest([100, 110], [0, 3_600_000], [0], Float32Array.from([0, 0, 0, 1]), 1, { feeRate: 0 });
    const j = JSON.parse(
      evaluationMetricsJson(evaluationMetrics("lstm", [3], Float32Array.from([0, 0, 0, 1]), { backtest: allWin })),
    );
    expect(j.backtest.profit_factor).toBeNull();
    expect(j.backtest.win_rate).toBe(1);
    expect(j.test_accuracy).toBe(1);
  });
  it("comparison table", () => {
    const ens = evaluationMetrics("ensemble", labels, probs, {
      ensembleWeights: { transformer: 1 },
      estimatedAccuracy: 0.65,
    });
    const rows = comparisonTable([r, ens]);
    expect(rows.map((x) => x.model)).toEqual(["transformer", "ensemble"]);
    expect(rows[0].accuracyOverBestBaseline).toBeCloseTo(0.4, 12);
    expect(rows[1].accuracyOverBestBaseline).toBeNull();
    expect(rows[1].estimatedAccuracy).toBe(0.65);
    expect(rows[1].sharpe).toBeNull();
    expect(rows[0].sharpe).toBe(r.backtest!.sharpe_ratio);
  });
});
