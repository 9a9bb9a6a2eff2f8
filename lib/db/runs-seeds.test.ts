import "fake-indexeddb/auto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { evaluateRun } from "../run/evaluate-run";
import type { RunEvaluation } from "../run/types";
import { RUN_RECORD_VERSION } from "./records";
import { loadEvaluation, loadRun, saveEvaluation, type RunHead } from "./runs";
import type { StudioDb } from "./schema";
import { freshDb } from "@/test/db";
import { summarizedRun } from "@/test/summarized-run";

let db: StudioDb;
afterEach(async () => {
  await db?.delete();
});

let evaluation: RunEvaluation;
beforeAll(() => {
  ({ evaluation } = summarizedRun());
});

const head: RunHead = {
  id: "r1",
  name: "a run",
  datasetId: "d1",
  status: "done",
  createdAt: 5,
  config: { datasetId: "d1", backend: "cpu" },
};

describe("every seed's results are stored with the run", () => {
  it("migrates a run stored before seeds: it is a run of one seed, its own models' figures", async () => {
    db = freshDb();
    const { seeds: _seeds, ...before } = evaluation;
    await db.runs.put({ ...head, v: 3, updatedAt: 9, history: {}, metrics: { evaluation: before } } as never);
    const run = await loadRun(db, "r1");
    expect(run?.v).toBe(RUN_RECORD_VERSION);
    const [seed] = run!.metrics.evaluation!.seeds;
    expect(run!.metrics.evaluation!.seeds).toHaveLength(1);
    expect(seed.offset).toBe(0);
    const models = evaluation.summary.results.filter((r) => r.kind !== "baseline");
    expect(seed.results.map((r) => r.id)).toEqual(models.map((r) => r.id));
    for (const r of models) {
      const s = seed.results.find((x) => x.id === r.id)!;
      expect(s.accuracy).toBe(r.metrics.accuracy);
      expect(s.logLoss).toBe(r.metrics.logLoss);
      expect(s.sharpe).toBe(evaluation.metrics[r.id].backtest!.sharpe_ratio);
    }
    // What summarizeRun records today for one seed is what the migration rebuilds.
    expect(run!.metrics.evaluation!.seeds).toEqual(evaluation.seeds);
    expect(run!.metrics.evaluation!.summary.seeds).toBeUndefined();
  });

  it("round-trips a run of three seeds, and refuses seeds out of order", async () => {
    db = freshDb();
    const runs = [11, 12, 13].map((seed) => summarizedRun({ seed }));
    const three = evaluateRun(
      runs[0].dataset,
      {},
      runs.map((r) => r.outcomes),
      { fingerprint: "5".repeat(64), createdAt: 1 },
    );
    await saveEvaluation(db, { ...head, config: { ...head.config, seeds: 3 } }, three);
    const back = (await loadEvaluation(db, "r1"))!;
    expect(back.seeds).toEqual(three.seeds);
    expect(back.summary.seeds).toEqual(three.summary.seeds);
    expect((await loadRun(db, "r1"))!.config).toMatchObject({ seeds: 3 });

    const bad = { ...three, seeds: [three.seeds[0], three.seeds[2]] };
    await expect(saveEvaluation(db, head, bad)).rejects.toThrow(/seed offsets 0, 2/);
  });
});
