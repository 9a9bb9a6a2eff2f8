import { describe, expect, it } from "vitest";
import { independentSampleVerdict } from "@/lib/eval/verdict";
import { classCounts } from "@/lib/run/verdict";
import { summarizedRun } from "@/test/summarized-run";
import { decodeSharedRun, encodeSharedRun, toShareable } from "./codec";
import { SHARE_LIMITS } from "./types";

describe("a share link is a projection of the run's summary", () => {
  it("down-samples curves and equity, keeps real metrics, confusion and trades, and decodes", () => {
    const { evaluation } = summarizedRun();
    const s = evaluation.summary;
    // The run's own summary: every epoch and every test row, no share limits.
    const full = s.results.find((r) => r.id === "transformer")!.curve!;
    expect(full.epoch.length).toBe(137);
    expect(s.backtest!.equity.length).toBeGreaterThan(SHARE_LIMITS.maxEquityPoints);
    const back = decodeSharedRun(encodeSharedRun(s));
    if (!back.ok) throw new Error(back.error);
    const curve = back.run.results.find((r) => r.id === "transformer")!.curve!;
    expect(curve.epoch.length).toBeLessThanOrEqual(60);
    expect(curve.epoch[0]).toBe(1);
    expect(curve.epoch[curve.epoch.length - 1]).toBe(137);
    expect(curve.bestEpoch).toBe(120);
    const bt = back.run.backtest!;
    expect(bt.equity.length).toBeLessThanOrEqual(200);
    expect(bt.equity.length).toBe(bt.buyHold.length);
    expect(bt.trades).toBe(s.backtest!.trades);
    for (const [i, r] of back.run.results.entries()) {
      expect(r.metrics.accuracy).toBeCloseTo(s.results[i].metrics.accuracy, 3);
      expect(r.confusion).toEqual(s.results[i].confusion);
    }
  });

  it("a run on fitted thresholds shares: the link carries the fitted strong / weak, not the fit target", () => {
    const { evaluation } = summarizedRun();
    const s = evaluation.summary;
    const fitted = {
      ...s,
      config: { ...s.config, labelSpec: { ...s.config.labelSpec, strong: 0.007, fitTarget: 0.15 } },
    };
    const back = decodeSharedRun(encodeSharedRun(fitted));
    if (!back.ok) throw new Error(back.error);
    expect(back.run.config.labelSpec.strong).toBe(0.007);
    expect(back.run.config.labelSpec).not.toHaveProperty("fitTarget");
  });

  it("a run with a NaN-loss epoch shares and opens: that epoch is left out of the shared curve", () => {
    const { evaluation } = summarizedRun({ nanEpochs: [7, 60] });
    const s = evaluation.summary;
    const full = s.results.find((r) => r.id === "transformer")!.curve!;
    // The run keeps what training recorded: NaN where the loss was NaN.
    expect(Number.isNaN(full.valLoss[6])).toBe(true);
    expect(Number.isNaN(full.loss[6])).toBe(true);
    let link = "";
    expect(() => (link = encodeSharedRun(s))).not.toThrow();
    const back = decodeSharedRun(link);
    if (!back.ok) throw new Error(back.error);
    const curve = back.run.results.find((r) => r.id === "transformer")!.curve!;
    expect(curve.epoch).not.toContain(7);
    expect(curve.epoch).not.toContain(60);
    expect([...curve.loss, ...curve.valLoss].every(Number.isFinite)).toBe(true);
    expect(curve.epoch[curve.epoch.length - 1]).toBe(137);
  });

  it("carries the verdict as the Results page computed it: same gaps, same clearly-better set", () => {
    const { evaluation } = summarizedRun();
    const page = evaluation.summary.verdict;
    expect(page.length).toBe(2);
    const shared = toShareable(evaluation.summary);
    const back = decodeSharedRun(encodeSharedRun(evaluation.summary));
    if (!back.ok) throw new Error(back.error);
    expect(back.run.verdict).toEqual(page);
    expect(shared.verdict).toEqual(page);
    const clear = (vs: typeof page) => vs.map((v) => v.rows.filter((r) => r.clear).map((r) => r.id));
    expect(clear(back.run.verdict)).toEqual(clear(page));
    expect(clear(page).flat().length).toBeGreaterThan(0);
    // What the share view did before: the verdict recomputed from the link's rounded metrics
    // has other gaps than the page's (the 0.1 pp differences this fixes).
    const recomputed = independentSampleVerdict(back.run.results, classCounts(back.run.results));
    const gaps = (vs: typeof page) => vs.flatMap((v) => v.rows.map((r) => r.gap));
    expect(gaps(recomputed)).not.toEqual(gaps(page));
  });

  it("carries the ensemble estimate the summary has instead of leaving it to the dashboard", () => {
    const { evaluation } = summarizedRun();
    const estimate = evaluation.summary.ensemble.estimatedAccuracy!;
    expect(estimate).toBe(evaluation.metrics.ensemble.estimated_accuracy);
    const back = decodeSharedRun(encodeSharedRun(evaluation.summary));
    expect(back.ok && back.run.ensemble.estimatedAccuracy).toBeCloseTo(estimate, 3);
  });

  it("free text in the summary (a run's name) reaches the link only as safe text", () => {
    const { evaluation } = summarizedRun();
    const shared = toShareable({ ...evaluation.summary, title: 'Run "7" <b>javascript:alert(1)</b>' });
    expect(shared.title).toBe("Run -7- -b-javascript-alert(1)-/b-");
    expect(evaluation.summary.title).toBe("summarised run");
  });
});
