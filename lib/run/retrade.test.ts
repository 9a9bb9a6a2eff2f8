import "fake-indexeddb/auto";
import { beforeAll, describe, expect, it } from "vitest";
import { getStudioDb, loadRun, runEvaluation } from "@/lib/db";
import { decodeSharedRun, encodeSharedRun } from "@/lib/export/share";
import { checkBacktestChoice, retradeRun } from "./retrade";
import { storeRunFixture } from "@/test/stored-run";
import type { RunEvaluation } from "./types";

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
});
