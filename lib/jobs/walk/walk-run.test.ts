import "fake-indexeddb/auto";
import { beforeAll, describe, expect, it } from "vitest";
import { buildDataset } from "@/lib/core/build-dataset";
import type { Dataset } from "@/lib/core/dataset";
import { foldData, planWalk } from "@/lib/core/fold-data";
import { defaultWalkSpec } from "@/lib/core/folds";
import { candidateEnds } from "@/lib/core/splits";
import { intervalMs } from "@/lib/core/intervals";
import { deleteRun, getStudioDb, listModels, listOutcomes, loadCheckpoint, loadRun, saveDataset } from "@/lib/db";
import { defaultConfig } from "@/lib/models/config";
import type { RunConfig } from "@/lib/run/types";
import { runInProcess } from "@/test/in-process-workers";
import { fixtureMarket } from "@/test/market";
import { walkRun, type WalkProgress } from "./walk-run";

let dataset: Dataset;
let config: RunConfig;

beforeAll(async () => {
  // Jan 1 to Mar 15: biweekly folds over the last 2 months are Feb 1-15, Feb 15-Mar 1, Mar 1-15.
  const candles = fixtureMarket(4 * 24 * (31 + 28 + 14), 3).candles;
  dataset = buildDataset({ candles, symbol: "T", window: 24, createdAt: 0 });
  await saveDataset(getStudioDb(), dataset);
  const small = { epochs: 2, batchSize: 128, patience: 10, patch: 4 };
  config = {
    datasetId: dataset.id,
    backend: "cpu",
    transformer: { ...defaultConfig("transformer"), ...small, dModel: 8, heads: 2, blocks: 1, ff: 8 },
    lstm: { ...defaultConfig("lstm"), ...small, units: 6, layers: 1 },
    forest: { trees: 4, maxDepth: 4, seed: 1, view: "compact" },
    walk: {
      spec: { ...defaultWalkSpec(4, 24), cadence: "biweekly", walkMonths: 2, minTrainSamples: 200 },
    },
  };
});

function run(runId: string, cfg: RunConfig, stopAt?: (p: WalkProgress) => boolean) {
  return runInProcess<WalkProgress, Awaited<ReturnType<typeof walkRun>>>(
    (opts) => walkRun(runId, "walk", cfg, opts),
    stopAt,
  );
}

const names = async (runId: string) => (await listModels(getStudioDb(), runId)).map((m) => m.name).sort();

describe("walkRun", () => {
  it("trains every model on every fold, stores each fold's models, and pools every walked test sample exactly once", async () => {
    const { evaluation, progress } = await run("walk-all", config);
    expect(evaluation).not.toBeNull();
    const walk = evaluation!.walk!;
    expect(walk.folds.map((f) => f.index)).toEqual([1, 2, 3]);
    expect(await names("walk-all")).toEqual(
      [1, 2, 3].flatMap((k) => ["forest", "lstm", "transformer"].map((m) => `fold${k}/${m}`)).sort(),
    );
    // Fold models are not the run's own models.
    expect(await listOutcomes(getStudioDb(), "walk-all")).toEqual([]);
    expect((await loadRun(getStudioDb(), "walk-all"))?.status).toBe("done");

    // Every labelled candidate end inside the walked span is one pooled test sample, none twice.
    const plan = planWalk(dataset, config.walk!.spec);
    const from = Date.UTC(2023, 1, 1);
    const expected = Array.from(
      candidateEnds(dataset.times, dataset.forwardReturns, 24, intervalMs(dataset.baseInterval)),
    ).filter((t) => dataset.times[t] >= from && dataset.labels[t] >= 0);
    const pooled = plan.folds.flatMap((f) => Array.from(foldData(dataset, f).ends.test));
    expect(pooled).toEqual(expected);
    expect(evaluation!.summary.config.samples.test).toBe(expected.length);
    expect(evaluation!.metrics.transformer.test_samples).toBe(expected.length);
    expect(walk.folds.map((f) => f.firstPooled)).toEqual([
      0,
      walk.folds[0].samples.test,
      walk.folds[0].samples.test + walk.folds[1].samples.test,
    ]);

    // Retrain markers sit on the pooled equity curve, in order; pooled figures carry bootstrap intervals.
    const equityIdx = walk.folds.map((f) => f.equityIndex);
    expect(equityIdx[0]).toBe(0);
    expect(equityIdx[1]).toBeGreaterThan(0);
    expect(equityIdx[2]).toBeGreaterThan(equityIdx[1]);
    expect(equityIdx[2]).toBeLessThan(evaluation!.summary.backtest!.equity.length);
    expect(evaluation!.summary.results.find((r) => r.id === "transformer")!.metrics.ci95).toBeDefined();

    // Per fold: every model beside the three baselines, each with accuracy, balanced accuracy and Sharpe.
    for (const f of walk.folds) {
      expect(f.results.map((r) => r.id)).toEqual([
        "transformer",
        "lstm",
        "forest",
        "majority",
        "class_prior",
        "previous_label",
      ]);
      for (const r of f.results) expect(Number.isFinite(r.accuracy) && Number.isFinite(r.sharpe)).toBe(true);
    }
    // Progress: each fold announced in order, then its models, then the pooling.
    const phases = progress.flatMap((p) =>
      p.phase === "model"
        ? p.progress.phase === "done"
          ? [`${p.fold}:${p.model}`]
          : []
        : [p.phase === "fold" ? `fold${p.fold}` : p.phase],
    );
    expect(phases).toEqual([
      "fold1",
      "1:transformer",
      "1:lstm",
      "1:forest",
      "fold2",
      "2:transformer",
      "2:lstm",
      "2:forest",
      "fold3",
      "3:transformer",
      "3:lstm",
      "3:forest",
      "pool",
    ]);
    await deleteRun(getStudioDb(), "walk-all");
    expect(await names("walk-all")).toEqual([]);
  });

  it("a resumed walk skips finished folds and resumes at the fold in progress", async () => {
    const cfg = { ...config, forest: undefined };
    const first = await run(
      "walk-resume",
      cfg,
      (p) => p.phase === "model" && p.fold === 2 && p.model === "transformer" && p.progress.phase === "done",
    );
    expect(first.evaluation).toBeNull();
    expect((await loadRun(getStudioDb(), "walk-resume"))?.status).toBe("paused");
    expect(await names("walk-resume")).toEqual(["fold1/lstm", "fold1/transformer", "fold2/transformer"]);

    const again = await run("walk-resume", cfg);
    expect(again.evaluation!.walk!.folds).toHaveLength(3);
    // Trained now: fold 2's LSTM and fold 3's two models; nothing of fold 1 again.
    expect(again.requests.map((r) => r.kind)).toEqual(["lstm", "transformer", "lstm"]);
    const folds = again.progress.filter((p) => p.phase === "fold");
    expect(folds.map((p) => [p.fold, p.stored])).toEqual([
      [1, true],
      [2, false],
      [3, false],
    ]);
    expect(again.progress.some((p) => p.phase === "model" && p.fold === 1)).toBe(false);
  });

  it("warm start: later folds continue from the previous fold's best weights with fewer epochs, marked so", async () => {
    const cfg: RunConfig = {
      ...config,
      forest: undefined,
      lstm: undefined,
      walk: { ...config.walk!, warmStartEpochs: 1 },
    };
    const { evaluation, requests } = await run("walk-warm", cfg);
    expect(requests.map((r) => [r.resume?.epoch, r.config.epochs])).toEqual([
      [undefined, 2],
      [0, 1],
      [0, 1],
    ]);
    expect(requests[1].resume!.history).toEqual([]);
    // The weights fold 2 starts from are fold 1's stored (best) weights.
    const fold1 = (await listModels(getStudioDb(), "walk-warm")).find((m) => m.name === "fold1/transformer")!;
    expect(new Uint8Array(requests[1].resume!.weights.data)).toEqual(new Uint8Array(fold1.tfjs!.weightData));
    const results = evaluation!.walk!.folds.map((f) => f.results.find((r) => r.id === "transformer")!);
    expect(results.map((r) => [r.epochs, r.warmStart ?? false])).toEqual([
      [2, false],
      [1, true],
      [1, true],
    ]);
    // Checkpoints kept for the next fold are gone once the walk is done.
    for (const k of [1, 2, 3])
      expect(await loadCheckpoint(getStudioDb(), `walk-warm/fold${k}`, "transformer")).toBeUndefined();
  });
});
