import { describe, expect, it } from "vitest";
import { independentSampleVerdict } from "@/lib/eval/verdict";
import { classCounts } from "@/lib/run/verdict";
import { summarizeRun } from "@/lib/run/summarize";
import { summarizedRun } from "@/test/summarized-run";
import { decodeSharedRun, encodeSharedRun, toShareable } from "./codec";
import { SHARE_LIMITS, type SharedRun } from "./types";
import { validateSharedRun } from "./validate";

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

  describe("the backtest's trials travel with it", () => {
    const { dataset, outcomes, evaluation } = summarizedRun();
    // Rules changed by hand after the first evaluation was shown: a second trial.
    const retraded = summarizeRun(dataset, outcomes, {
      fingerprint: evaluation.summary.fingerprint,
      createdAt: 1,
      resamples: 200,
      backtest: { longOnly: true, minConfidence: 0.5, sizing: "full", feeRate: 0.001 },
      trials: { prior: evaluation.trials, source: "manual", at: 2 },
    }).summary;

    it("round trip: the rules' source, the after-the-test mark and the trial count come back", () => {
      const b = retraded.backtest!;
      expect(b.rules).toEqual({ source: "manual", afterTestSeen: true, applications: 2 });
      const back = decodeSharedRun(encodeSharedRun(retraded));
      if (!back.ok) throw new Error(back.error);
      expect(back.run.backtest!.rules).toEqual(b.rules);
      expect(back.run.backtest!.deflatedSharpe!.trials).toBe(b.deflatedSharpe!.trials);
      expect(back.run.backtest!.deflatedSharpe!.dsr).toBeCloseTo(b.deflatedSharpe!.dsr, 3);
      expect(back.run.backtest!.deflatedSharpe!.benchmarkSharpe).toBeCloseTo(b.deflatedSharpe!.benchmarkSharpe, 2);
      // The first evaluation's link says its rules were not chosen after the test.
      const first = decodeSharedRun(encodeSharedRun(evaluation.summary));
      expect(first.ok && first.run.backtest!.rules).toEqual({
        source: "training",
        afterTestSeen: false,
        applications: 1,
      });
    });

    it("a hostile link's trial fields are refused, cleanly", () => {
      const valid = (mutate: (r: SharedRun) => void) => {
        const r = structuredClone(toShareable(retraded));
        mutate(r);
        return validateSharedRun(JSON.parse(JSON.stringify(r))).ok;
      };
      const rules = (r: SharedRun) => r.backtest!.rules as Record<string, unknown>;
      const dsr = (r: SharedRun) => r.backtest!.deflatedSharpe as Record<string, unknown>;
      expect(valid(() => {})).toBe(true);
      expect(valid((r) => (rules(r).source = "oracle"))).toBe(false);
      expect(valid((r) => (rules(r).afterTestSeen = "no"))).toBe(false);
      expect(valid((r) => (rules(r).applications = 0))).toBe(false);
      expect(valid((r) => (rules(r).applications = 2.5))).toBe(false);
      expect(valid((r) => (rules(r).note = "<script>"))).toBe(false);
      expect(valid((r) => (dsr(r).trials = -3))).toBe(false);
      expect(valid((r) => (dsr(r).dsr = 1.5))).toBe(false);
      expect(valid((r) => (dsr(r).benchmarkSharpe = "1"))).toBe(false);
      // Links made before trials were shared still open.
      expect(valid((r) => delete r.backtest!.rules)).toBe(true);
    });
  });
});
