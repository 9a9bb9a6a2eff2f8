import "fake-indexeddb/auto";
import { beforeAll, describe, expect, it } from "vitest";
import { buildDataset } from "@/lib/core/build-dataset";
import type { Dataset } from "@/lib/core/dataset";
import { getStudioDb, listModels, loadCheckpoint, loadRun, saveDataset } from "@/lib/db";
import { defaultConfig } from "@/lib/models/config";
import type { ModelId } from "@/lib/run/types";
import { runInProcess } from "@/test/in-process-workers";
import { fixtureMarket } from "@/test/market";
import { runEvaluation, trainRun, type RunConfig, type RunProgress } from "./train-run";

let dataset: Dataset;
let config: RunConfig;

beforeAll(async () => {
  dataset = buildDataset({ candles: fixtureMarket(4 * 24 * 40, 3).candles, symbol: "T", window: 24, createdAt: 0 });
  await saveDataset(getStudioDb(), dataset);
  const small = { epochs: 3, batchSize: 64, patience: 10, patch: 4 };
  config = {
    datasetId: dataset.id,
    backend: "cpu",
    transformer: { ...defaultConfig("transformer"), ...small, dModel: 8, heads: 2, blocks: 1, ff: 8 },
    lstm: { ...defaultConfig("lstm"), ...small, units: 6, layers: 1 },
    forest: { trees: 5, maxDepth: 4, seed: 1, view: "flat" },
  };
});

/** Runs trainRun with in-process workers; `stopAt` aborts when a progress event matches. */
function run(runId: string, stopAt?: (p: RunProgress) => boolean) {
  return runInProcess<RunProgress, Awaited<ReturnType<typeof trainRun>>>(
    (opts) => trainRun(runId, "test run", config, opts),
    stopAt,
  );
}

const storedNames = async (runId: string) => (await listModels(getStudioDb(), runId)).map((m) => m.name).sort();

describe("trainRun: one loop over TRAINERS", () => {
  it("trains every chosen model, stores each with its outcome, and evaluates the run", async () => {
    const { evaluation, progress } = await run("run-all");
    expect(evaluation).not.toBeNull();
    expect(Object.keys(evaluation!.metrics)).toEqual(expect.arrayContaining(["transformer", "lstm", "forest"]));
    expect(await storedNames("run-all")).toEqual(["forest", "lstm", "transformer"]);
    const record = await loadRun(getStudioDb(), "run-all");
    expect(record?.status).toBe("done");
    expect(runEvaluation(record!)?.summary).toEqual(evaluation!.summary);
    expect(Object.keys(record!.history).sort()).toEqual(["lstm", "transformer"]);
    // Each model reports done once, in the guide's order; the checkpoint phase carries the curves.
    expect(progress.filter((p) => p.phase === "done").map((p) => p.model)).toEqual(["transformer", "lstm", "forest"]);
    const checkpoints = progress.flatMap((p) => (p.phase === "checkpoint" ? [`${p.model}:${p.epoch}`] : []));
    expect(checkpoints).toEqual(["transformer:1", "transformer:2", "transformer:3", "lstm:1", "lstm:2", "lstm:3"]);
    for (const id of ["transformer", "lstm"])
      expect(await loadCheckpoint(getStudioDb(), "run-all", id)).toBeUndefined();
  });

  it("resumes after an abort: a stored outcome is reused, not retrained", async () => {
    const first = await run("run-resume", (p) => p.model === "transformer" && p.phase === "done");
    expect(first.evaluation).toBeNull();
    expect((await loadRun(getStudioDb(), "run-resume"))?.status).toBe("paused");
    expect(await storedNames("run-resume")).toEqual(["transformer"]);
    const createdAt = (await loadRun(getStudioDb(), "run-resume"))!.createdAt;
    const stored = (await listModels(getStudioDb(), "run-resume"))[0].meta as { outcome: { testProbs: Float32Array } };

    const again = await run("run-resume");
    expect(again.requests.map((r) => r.kind)).toEqual(["lstm"]);
    const trained = new Set(again.progress.filter((p) => p.phase === "done").map((p) => p.model));
    expect(trained).toEqual(new Set<ModelId>(["lstm", "forest"]));
    expect(again.evaluation).not.toBeNull();
    const record = (await loadRun(getStudioDb(), "run-resume"))!;
    expect(record.status).toBe("done");
    expect(record.createdAt).toBe(createdAt);
    expect(await storedNames("run-resume")).toEqual(["forest", "lstm", "transformer"]);
    // The stored Transformer is the one trained before the abort.
    const reread = (await listModels(getStudioDb(), "run-resume")).find((m) => m.name === "transformer")!;
    expect((reread.meta as typeof stored).outcome.testProbs).toEqual(stored.outcome.testProbs);
  });

  it("an abort while the run is evaluated pauses it; the resume evaluates without retraining", async () => {
    const first = await run("run-eval-abort", (p) => p.model === "run" && p.phase === "evaluate");
    expect(first.evaluation).toBeNull();
    expect((await loadRun(getStudioDb(), "run-eval-abort"))?.status).toBe("paused");
    expect(await storedNames("run-eval-abort")).toEqual(["forest", "lstm", "transformer"]);
    const second = await run("run-eval-abort");
    expect(second.requests).toHaveLength(0);
    expect(second.evaluation).not.toBeNull();
    expect((await loadRun(getStudioDb(), "run-eval-abort"))?.status).toBe("done");
  });

  it("an abort inside an epoch keeps the last checkpoint, and the resumed model continues after it", async () => {
    const first = await run("run-epoch", (p) => p.model === "lstm" && p.phase === "checkpoint" && p.epoch === 1);
    expect(first.evaluation).toBeNull();
    const cp = await loadCheckpoint(getStudioDb(), "run-epoch", "lstm");
    expect(cp?.epoch).toBe(1);
    expect(await storedNames("run-epoch")).toEqual(["transformer"]);

    const again = await run("run-epoch");
    expect(again.requests.map((r) => [r.kind, r.resume?.epoch])).toEqual([["lstm", 1]]);
    const epochs = again.progress.flatMap((p) => (p.model === "lstm" && p.phase === "train" ? [p.progress.epoch] : []));
    expect(Math.min(...epochs)).toBe(2);
    expect(again.evaluation!.curves.lstm.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(await loadCheckpoint(getStudioDb(), "run-epoch", "lstm")).toBeUndefined();
  });
});

describe("trainRun: seeds and the shuffled-label control, through the same loop", () => {
  const tiny = () => ({
    datasetId: dataset.id,
    backend: "cpu" as const,
    lstm: { ...defaultConfig("lstm"), epochs: 1, batchSize: 64, patience: 10, patch: 4, units: 4, layers: 1, seed: 7 },
    forest: { trees: 3, maxDepth: 3, seed: 1, view: "flat" as const },
  });
  const runWith = (runId: string, c: RunConfig) =>
    runInProcess<RunProgress, Awaited<ReturnType<typeof trainRun>>>((opts) => trainRun(runId, "seeded", c, opts));

  it("seeds = 3 trains every model with seed, seed + 1, seed + 2 and records 3 results", async () => {
    const { evaluation, progress, requests } = await runWith("run-seeds", { ...tiny(), seeds: 3 });
    expect(requests.map((r) => r.config.seed)).toEqual([7, 8, 9]);
    expect(evaluation!.seeds.map((s) => s.offset)).toEqual([0, 1, 2]);
    for (const s of evaluation!.seeds)
      expect(s.results.map((r) => r.id)).toEqual(["lstm", "forest", "ensemble", "ensemble-learned"]);
    // Different seeds, different models: the forest's test accuracy is not the same three times.
    const forestAcc = evaluation!.seeds.map((s) => s.results.find((r) => r.id === "forest")!.accuracy);
    expect(new Set(forestAcc).size).toBeGreaterThan(1);
    const row = evaluation!.summary.seeds!.rows.find((r) => r.id === "forest")!;
    expect(evaluation!.summary.seeds!.count).toBe(3);
    expect(row.accuracy!.mean).toBeCloseTo(forestAcc.reduce((a, b) => a + b, 0) / 3, 12);
    // The run's own results are seed 0's.
    expect(evaluation!.summary.results.find((r) => r.id === "forest")!.metrics.accuracy).toBe(forestAcc[0]);
    expect(progress.flatMap((p) => (p.model === "run" && p.phase === "seed" ? [p.offset] : []))).toEqual([0, 1, 2]);
    expect(await storedNames("run-seeds")).toEqual([
      "forest",
      "lstm",
      "seed1/forest",
      "seed1/lstm",
      "seed2/forest",
      "seed2/lstm",
    ]);
    const record = await loadRun(getStudioDb(), "run-seeds");
    expect(runEvaluation(record!)!.seeds).toEqual(evaluation!.seeds);
  });

  it("a control run trains and is scored on labels shuffled within each part, and says so", async () => {
    const c: RunConfig = { ...tiny(), lstm: undefined, control: { kind: "shuffled-labels", seed: 3 } };
    const { evaluation } = await runWith("run-control", c);
    const control = evaluation!.summary.control!;
    expect(control).toMatchObject({ kind: "shuffled-labels", seed: 3 });
    expect(control.rows.map((r) => r.id)).toEqual(["forest"]);
    expect(evaluation!.metrics.forest.control_run?.description).toBe("control run: labels shuffled within each part");
    // Scored against the permuted test labels: the same class mix, other rows.
    const truth = Array.from(dataset.split.test, (t) => dataset.labels[t]);
    const confusion = evaluation!.summary.results.find((r) => r.id === "majority")!.confusion;
    expect(confusion.map((row) => row.reduce((a, b) => a + b, 0))).toEqual(
      [0, 1, 2, 3].map((k) => truth.filter((y) => y === k).length),
    );
    const plain = await runWith("run-plain", { ...c, control: undefined });
    const prev = (e: typeof evaluation) => e!.summary.results.find((r) => r.id === "previous_label")!.metrics.accuracy;
    expect(prev(evaluation)).not.toBe(prev(plain.evaluation));
    expect(plain.evaluation!.summary.control).toBeUndefined();
  });
});
