import "fake-indexeddb/auto";
import { beforeAll, describe, expect, it } from "vitest";
import { deleteRun, getStudioDb, loadDataset, loadRun, runEvaluation } from "@/lib/db";
import { testedConfigurations } from "./trials";
import { decodeSharedRun, encodeSharedRun } from "@/lib/export/share";
import { checkBacktestChoice, retradeRun, tuneAndRetradeRun } from "./retrade";
import { storeRunFixture } from "@/test/stored-run";
import type { RunEvaluation } from "./types";

async function loadDatasetOf(runId: string) {
  const db = getStudioDb();
  return (await loadDataset(db, (await loadRun(db, runId))!.datasetId))!;
}

describe("trading a stored run again with other backtest settings", () => {
  const runId = "run-retrade";
  let first: RunEvaluation;
  beforeAll(async () => {
    ({ evaluation: first } = await storeRunFixture(runId));
  });
  const base = { longOnly: false, minConfidence: 0.25, sizing: "confidence" as const, feeRate: 0.001 };

  it("starts from the defaults: the fixed ensemble, long and short, 10 bps", () => {
    expect(first.summary.backtest).toMatchObject({
      model: "ensemble",
      longOnly: false,
      minConfidence: 0.4,
      sizing: "confidence",
      feeBps: 10,
    });
  });

  it("stores the new figures with the settings they came from; metrics and confusion matrices stay", async () => {
    const next = await retradeRun(runId, {
      settings: { ...base, longOnly: true, feeRate: 0.002 },
      tradedModel: "lstm",
    });
    expect(next.summary.backtest).toMatchObject({ model: "lstm", longOnly: true, minConfidence: 0.25, feeBps: 20 });
    expect(next.summary.results).toEqual(first.summary.results);
    expect(next.metrics.lstm.backtest).toBeDefined();
    const stored = runEvaluation((await loadRun(getStudioDb(), runId))!);
    expect(stored!.summary.backtest).toEqual(next.summary.backtest);
    // A share link made now carries the settings.
    const shared = decodeSharedRun(encodeSharedRun(next.summary));
    expect(shared.ok && shared.run.backtest).toMatchObject({ longOnly: true, minConfidence: 0.25, feeBps: 20 });
  });

  it("fees only cost: the same signals with higher fees never end richer", async () => {
    const cheap = await retradeRun(runId, { settings: { ...base, feeRate: 0 }, tradedModel: "ensemble" });
    const dear = await retradeRun(runId, { settings: { ...base, feeRate: 0.01 }, tradedModel: "ensemble" });
    expect(dear.summary.backtest!.trades).toBe(cheap.summary.backtest!.trades);
    expect(cheap.summary.backtest!.trades).toBeGreaterThan(0);
    expect(dear.summary.backtest!.totalReturn).toBeLessThan(cheap.summary.backtest!.totalReturn);
  });

  it("a minimum confidence no prediction reaches means no trade", async () => {
    const none = await retradeRun(runId, { settings: { ...base, minConfidence: 1 }, tradedModel: "ensemble" });
    expect(none.summary.backtest!.trades).toBe(0);
    expect(none.summary.backtest!.totalReturn).toBe(0);
  });

  it("each application is one more trial, chosen by hand after the test result was seen", async () => {
    const before = runEvaluation((await loadRun(getStudioDb(), runId))!)!;
    const next = await retradeRun(runId, { settings: { ...base, minConfidence: 0.35 }, tradedModel: "forest" });
    expect(next.trials).toHaveLength(before.trials.length + 1);
    expect(next.trials.slice(0, -1)).toEqual(before.trials);
    expect(next.trials.at(-1)).toMatchObject({
      source: "manual",
      afterTestSeen: true,
      rules: { tradedModel: "forest", settings: { minConfidence: 0.35 } },
    });
    expect(next.summary.backtest!.rules).toEqual({
      source: "manual",
      afterTestSeen: true,
      applications: before.trials.length + 1,
    });
    expect(next.metrics.forest.backtest).toMatchObject({ rules_source: "manual", after_test_seen: true });
    const shared = decodeSharedRun(encodeSharedRun(next.summary));
    expect(shared.ok && shared.run.backtest?.rules).toEqual(next.summary.backtest!.rules);
  });

  it("tuning on validation applies the tuned rules as a trial of their own, with the user's fee", async () => {
    const before = runEvaluation((await loadRun(getStudioDb(), runId))!)!;
    const { evaluation, tuned } = await tuneAndRetradeRun(runId, 0.0015);
    expect(tuned.settings.feeRate).toBe(0.0015);
    const b = evaluation.summary.backtest!;
    expect(b).toMatchObject({
      model: tuned.tradedModel,
      longOnly: tuned.settings.longOnly,
      minConfidence: tuned.settings.minConfidence,
      sizing: tuned.settings.sizing,
      feeBps: 15,
    });
    // A test result was on the page before tuning: the mark stays, the source says where the rules came from.
    expect(b.rules).toEqual({
      source: "tuned-on-validation",
      afterTestSeen: true,
      applications: before.trials.length + 1,
    });
    const stored = runEvaluation((await loadRun(getStudioDb(), runId))!)!;
    expect(stored.trials.at(-1)!.source).toBe("tuned-on-validation");
    await expect(tuneAndRetradeRun(runId, 0.2)).rejects.toThrow(/fee must be between/);
  });

  it("refuses settings that make no sense, with a clear message", async () => {
    expect(checkBacktestChoice({ settings: { ...base, feeRate: -0.001 }, tradedModel: "ensemble" })).toMatch(
      /fee must be between/,
    );
    expect(checkBacktestChoice({ settings: { ...base, minConfidence: 1.5 }, tradedModel: "ensemble" })).toMatch(
      /minimum confidence/,
    );
    await expect(
      retradeRun(runId, { settings: { ...base, feeRate: Number.NaN }, tradedModel: "ensemble" }),
    ).rejects.toThrow(/fee must be between/);
    await expect(retradeRun("no-such-run", { settings: base, tradedModel: "ensemble" })).rejects.toThrow(
      /no stored evaluation/,
    );
    await expect(retradeRun(runId, { settings: base, tradedModel: "majority" })).rejects.toThrow(
      /not a result of this run/,
    );
  });

  it("counts the trials another run of the same dataset left on its test part", async () => {
    const db = getStudioDb();
    const mine = runEvaluation((await loadRun(db, runId))!)!;
    const otherId = `${runId}-other`;
    const { evaluation: other } = await storeRunFixture(otherId, await loadDatasetOf(runId));
    const next = await retradeRun(runId, { settings: { ...base, minConfidence: 0.45 }, tradedModel: "ensemble" });
    const own = testedConfigurations(next.trials).length;
    const theirs = testedConfigurations(other.trials).length;
    expect(theirs).toBeGreaterThan(0);
    expect(next.summary.backtest!.deflatedSharpe).toMatchObject({ trials: own + theirs, fromOtherRuns: theirs });
    expect(next.metrics.ensemble.backtest!.trials).toBe(own + theirs);
    expect(own).toBeGreaterThan(testedConfigurations(mine.trials).length);
    await deleteRun(db, otherId);
  });
});
