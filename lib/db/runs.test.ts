import "fake-indexeddb/auto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../models/config";
import { legacyVerdict } from "../run/verdict";
import type { ModelOutcome, RunEvaluation } from "../run/types";
import { RUN_RECORD_VERSION } from "./records";
import { RestoreError } from "./restore";
import {
  listOutcomes,
  listRuns,
  loadCheckpoint,
  loadEvaluation,
  loadOutcome,
  loadRun,
  saveEvaluation,
  saveOutcome,
  saveRunConfig,
  type RunHead,
} from "./runs";
import type { StudioDb } from "./schema";
import { freshDb } from "@/test/db";
import { summarizedRun } from "@/test/summarized-run";

let db: StudioDb;
afterEach(async () => {
  await db?.delete();
});

let evaluation: RunEvaluation;
let outcomes: ModelOutcome[];
beforeAll(() => {
  ({ evaluation, outcomes } = summarizedRun());
});

const head: RunHead = {
  id: "r1",
  name: "a run",
  datasetId: "d1",
  status: "done",
  createdAt: 5,
  config: { datasetId: "d1", backend: "cpu", transformer: defaultConfig("transformer") },
};

describe("a run read from IndexedDB is checked as strictly as a share link", () => {
  it("round-trips the run's config, evaluation and outcomes through the typed functions", async () => {
    db = freshDb();
    await saveRunConfig(db, { ...head, status: "running" });
    expect((await loadRun(db, "r1"))?.config).toEqual(head.config);
    expect(await loadEvaluation(db, "r1")).toBeUndefined();
    await saveEvaluation(db, head, evaluation);
    expect(await loadEvaluation(db, "r1")).toEqual(evaluation);
    expect((await loadRun(db, "r1"))?.history).toEqual(evaluation.curves);
    const forest = outcomes.find((o) => o.id === "forest")!;
    const tree = {
      feature: Int32Array.from([-1]),
      threshold: Float32Array.from([0]),
      left: Int32Array.from([-1]),
      right: Int32Array.from([-1]),
      value: Float32Array.from([0.25, 0.25, 0.25, 0.25]),
    };
    const model = {
      kind: "forest" as const,
      numClasses: 4,
      numFeatures: 1,
      featureNames: ["x"],
      trees: [tree],
      importances: Float32Array.from([1]),
    };
    await saveOutcome(db, "r1", forest, { forest: model }, { imported: true, createdAt: 3 });
    const saved = await loadOutcome(db, "r1", "forest");
    expect(saved?.outcome).toEqual(forest);
    expect(saved?.forest).toEqual(model);
    expect(saved?.imported).toBe(true);
    expect((await listOutcomes(db, "r1")).map((m) => m.outcome.id)).toEqual(["forest"]);
  });

  it("names the field of a corrupt evaluation, and a list skips that run", async () => {
    db = freshDb();
    await saveEvaluation(db, head, evaluation);
    const raw = await db.runs.get("r1");
    const bad = structuredClone(raw!);
    (bad.metrics.evaluation!.summary.results[2].metrics as Record<string, unknown>).accuracy = "0.4";
    await db.runs.put(bad);
    await expect(loadRun(db, "r1")).rejects.toBeInstanceOf(RestoreError);
    await expect(loadRun(db, "r1")).rejects.toThrow(
      /Stored run is corrupt: metrics\.evaluation\.summary\.results\[2\]\.metrics\.accuracy: expected a number/,
    );
    expect(await listRuns(db)).toEqual([]);
  });

  it("refuses a field the schema does not name, as a share link does", async () => {
    db = freshDb();
    await saveEvaluation(db, head, evaluation);
    const raw = await db.runs.get("r1");
    await db.runs.put({ ...raw!, apiKey: "SECRET" } as never);
    await expect(loadRun(db, "r1")).rejects.toThrow(/unknown field "apiKey"/);
  });

  it("checks what training produced: probabilities of 4 classes, a config of the checkpoint's kind", async () => {
    db = freshDb();
    const lstm = outcomes.find((o) => o.id === "lstm")!;
    await db.models.put({
      v: 1,
      runId: "r1",
      name: "lstm",
      kind: "lstm",
      createdAt: 1,
      tfjs: { modelTopology: {}, weightSpecs: [], weightData: new ArrayBuffer(0) },
      meta: { outcome: { ...lstm, testProbs: lstm.testProbs.subarray(1) } },
    });
    await expect(loadOutcome(db, "r1", "lstm")).rejects.toThrow(
      /meta\.outcome\.testProbs: has length \d+, not a multiple of 4 classes/,
    );
    await db.checkpoints.put({
      v: 1,
      runId: "r1",
      model: "lstm",
      epoch: 1,
      savedAt: 1,
      weights: { weightSpecs: [], weightData: new ArrayBuffer(0) },
      state: {
        version: 1,
        kind: "lstm",
        config: defaultConfig("transformer"),
        epoch: 1,
        step: 1,
        history: [],
        bestEpoch: 0,
        bestValLoss: Infinity,
        wait: 0,
      },
    });
    await expect(loadCheckpoint(db, "r1", "lstm")).rejects.toThrow(/state: config is not a lstm's/);
  });

  it("never stores what it could not read back: a bad write is refused with the field", async () => {
    db = freshDb();
    const broken = { ...evaluation, summary: { ...evaluation.summary, fingerprint: "" } };
    await expect(saveEvaluation(db, head, broken)).rejects.toThrow(
      /Cannot store the run: metrics\.evaluation\.summary\.fingerprint: string length outside \[1, 64\]/,
    );
    expect(await db.runs.count()).toBe(0);
  });

  it("migrates a run stored by the previous format: its share-link summary gains the verdict and the estimate", async () => {
    db = freshDb();
    const { verdict: _verdict, ensemble, ...summary } = evaluation.summary;
    const { estimatedAccuracy: _estimate, ...oldEnsemble } = ensemble;
    await db.runs.put({
      v: 1,
      id: "old",
      name: "old",
      datasetId: "d1",
      status: "done",
      createdAt: 1,
      updatedAt: 1,
      config: { datasetId: "d1", backend: "auto" },
      history: {},
      metrics: { evaluation: { ...evaluation, summary: { v: 1, ...summary, ensemble: oldEnsemble } } },
    } as never);
    const run = await loadRun(db, "old");
    expect(run?.v).toBe(RUN_RECORD_VERSION);
    expect(run?.metrics.evaluation?.summary.verdict).toEqual(legacyVerdict(summary.results));
    expect(run?.metrics.evaluation?.summary.ensemble.estimatedAccuracy).toBeCloseTo(ensemble.estimatedAccuracy!, 12);
    expect(run?.metrics.evaluation?.summary).not.toHaveProperty("v");
  });

  /** An evaluation as format 2 stored it: no trial list, no rules provenance, no trial report. */
  function beforeTrials(e: RunEvaluation) {
    const { trials: _trials, ...rest } = e;
    const { rules: _rules, ...backtest } = e.summary.backtest!;
    const metrics = Object.fromEntries(
      Object.entries(e.metrics).map(([id, m]) => {
        const { trials: _t, test_applications: _a, rules_source: _s, after_test_seen: _f, ...bt } = m.backtest!;
        return [id, { ...m, backtest: bt }];
      }),
    );
    return { ...rest, summary: { ...e.summary, backtest }, metrics };
  }
  const v2Run = (config: object) => ({
    v: 2,
    id: "old",
    name: "old",
    datasetId: "d1",
    status: "done",
    createdAt: 1,
    updatedAt: 77,
    config,
    history: {},
    metrics: { evaluation: beforeTrials(evaluation) },
  });

  it("migrates a run stored before trials: its one backtest becomes its one trial, from training", async () => {
    db = freshDb();
    expect(Object.keys(beforeTrials(evaluation))).not.toContain("trials");
    await db.runs.put(v2Run({ datasetId: "d1", backend: "auto" }) as never);
    const run = await loadRun(db, "old");
    expect(run?.v).toBe(RUN_RECORD_VERSION);
    const migrated = run!.metrics.evaluation!;
    expect(migrated.trials).toHaveLength(1);
    const [trial] = migrated.trials;
    expect(trial).toMatchObject({ source: "training", afterTestSeen: false, reconstructed: true, at: 77 });
    expect(trial.rules.tradedModel).toBe(evaluation.summary.backtest!.model);
    // The per-bar Sharpes rebuilt from the reports are the ones the evaluation measured.
    const measured = evaluation.trials[0].strategies;
    expect(trial.strategies.map((s) => s.model).sort()).toEqual(measured.map((s) => s.model).sort());
    for (const s of measured)
      expect(trial.strategies.find((x) => x.model === s.model)!.sharpe).toBeCloseTo(s.sharpe, 9);
    expect(migrated.summary.backtest!.rules).toEqual({ source: "training", afterTestSeen: false, applications: 1 });
    for (const m of Object.values(migrated.metrics))
      expect(m.backtest).toMatchObject({ test_applications: 1, rules_source: "training", after_test_seen: false });
  });

  it("a run re-traded before trials were recorded is marked as chosen by hand after the test was seen", async () => {
    db = freshDb();
    const b = evaluation.summary.backtest!;
    const choice = {
      tradedModel: b.model,
      settings: { longOnly: b.longOnly!, minConfidence: b.minConfidence!, sizing: b.sizing!, feeRate: b.feeBps / 1e4 },
    };
    await db.runs.put(v2Run({ datasetId: "d1", backend: "auto", backtest: choice }) as never);
    const migrated = (await loadEvaluation(db, "old"))!;
    expect(migrated.trials[0]).toMatchObject({ source: "manual", afterTestSeen: true, reconstructed: true });
    expect(migrated.summary.backtest!.rules).toEqual({ source: "manual", afterTestSeen: true, applications: 1 });
  });

  it("a format-2 run with a corrupt backtest is refused with the field, not migrated into nonsense", async () => {
    db = freshDb();
    const raw = v2Run({ datasetId: "d1", backend: "auto" });
    const e = raw.metrics.evaluation;
    await db.runs.put({
      ...raw,
      metrics: { evaluation: { ...e, summary: { ...e.summary, backtest: { ...e.summary.backtest, trades: -1 } } } },
    } as never);
    await expect(loadRun(db, "old")).rejects.toThrow(/summary\.backtest\.trades/);
  });
});
