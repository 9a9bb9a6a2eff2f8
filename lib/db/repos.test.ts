import "fake-indexeddb/auto";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Dataset } from "../core/dataset";
import { defaultConfig } from "../models/config";
import type { ForestModel } from "../models/forest/types";
import { deleteDataset, listDatasets, loadDataset, saveDataset } from "./datasets";
import { RestoreError, restoreChunk, restoreJob } from "./restore";
import {
  deleteRun,
  listModels,
  listRuns,
  loadCheckpoint,
  loadModel,
  loadRun,
  saveCheckpoint,
  saveModel,
  saveRun,
  saveRunWithModels,
} from "./runs";
import { StorageFullError } from "./errors";
import type { StudioDb } from "./schema";
import { DEFAULT_SETTINGS, keyedSourceKeys, loadSettings, saveSettings, setApiKey } from "./settings";
import { freshDb } from "@/test/db";

let db: StudioDb;
afterEach(async () => {
  await db?.delete();
});

function tinyDataset(id: string, createdAt: number): Dataset {
  const rows = 6;
  const f = 2;
  return {
    version: 1,
    id,
    name: `ds ${id}`,
    createdAt,
    symbol: "BTCUSDT",
    synthetic: false,
    baseInterval: "1h",
    timeframes: ["15m", "1h", "4h"],
    features: [
      { name: "1h_rsi", timeframe: "1h", indicator: "rsi", params: { period: 14 } },
      { name: "4h_adx", timeframe: "4h", indicator: "adx", params: { period: 14 } },
    ],
    fallbackFeatures: [],
    labelSpec: { horizon: 4, strong: 0.015, weak: 0.005, weakZone: "sign", atrScaled: false },
    splitSpec: { train: 0.7, val: 0.15, test: 0.15, purge: 4, embargo: 2 },
    window: 2,
    rows,
    times: Float64Array.from({ length: rows }, (_, i) => i * 3_600_000),
    closes: Float64Array.from({ length: rows }, (_, i) => 100 + i),
    matrix: Float32Array.from({ length: rows * f }, (_, i) => i / 10),
    labels: Int8Array.from([0, 1, 2, 3, -1, -1]),
    forwardReturns: Float32Array.from([0.02, -0.01, 0.01, 0.03, NaN, NaN]),
    split: { train: Int32Array.from([1, 2]), val: Int32Array.from([3]), test: Int32Array.from([4]) },
    normalization: { mean: Float32Array.from([0.1, 0.2]), std: Float32Array.from([1, 2]) },
  };
}

describe("datasets", () => {
  it("round-trips typed arrays and lists summaries without arrays", async () => {
    db = freshDb();
    const a = tinyDataset("a", 1);
    const b = tinyDataset("b", 2);
    await saveDataset(db, a);
    await saveDataset(db, b);
    expect(await loadDataset(db, "a")).toEqual(a);
    const back = await loadDataset(db, "a");
    expect(back?.matrix).toBeInstanceOf(Float32Array);
    expect(back?.labels).toBeInstanceOf(Int8Array);
    const list = await listDatasets(db);
    expect(list.map((s) => s.id)).toEqual(["b", "a"]);
    expect(list[0].samples).toEqual({ train: 2, val: 1, test: 1 });
    expect(list[0].featureCount).toBe(2);
    expect("matrix" in list[0]).toBe(false);
    await deleteDataset(db, "a");
    expect(await loadDataset(db, "a")).toBeUndefined();
    expect((await listDatasets(db)).map((s) => s.id)).toEqual(["b"]);
  });

  it("rejects a stored dataset whose arrays disagree with its shape", async () => {
    db = freshDb();
    const d = tinyDataset("a", 1);
    await saveDataset(db, d);
    await db.datasets.put({ v: 1, id: "a", dataset: { ...d, matrix: new Float32Array(3) } });
    await expect(loadDataset(db, "a")).rejects.toThrow(/matrix has length 3, expected 12/);
    await db.datasets.put({ v: 1, id: "a", dataset: { ...d, split: { ...d.split, test: Int32Array.from([99]) } } });
    await expect(loadDataset(db, "a")).rejects.toBeInstanceOf(RestoreError);
  });
});

describe("runs, models, checkpoints", () => {
  it("round-trips a run with its tfjs and forest models and a checkpoint, and deletes them together", async () => {
    db = freshDb();
    const run = await saveRun(db, {
      id: "r1",
      name: "first",
      datasetId: "a",
      status: "running",
      createdAt: 5,
      config: { datasetId: "a", backend: "cpu" },
      history: { lstm: [{ epoch: 1, loss: 1.2, acc: 0.3, valLoss: 1.3, valAcc: 0.28 }] },
      metrics: {},
    });
    expect(await loadRun(db, "r1")).toEqual(run);
    const weightData = Float32Array.from([1, 2, 3]).buffer;
    await saveModel(db, {
      runId: "r1",
      name: "lstm",
      kind: "lstm",
      createdAt: 6,
      tfjs: { modelTopology: { a: 1 }, weightSpecs: [{ name: "w", shape: [3], dtype: "float32" }], weightData },
    });
    const forest: ForestModel = {
      kind: "forest",
      numClasses: 4,
      numFeatures: 1,
      featureNames: ["feat_1h_rsi_t1"],
      trees: [
        {
          feature: Int32Array.from([-1]),
          threshold: Float32Array.from([0]),
          left: Int32Array.from([-1]),
          right: Int32Array.from([-1]),
          value: Float32Array.from([0.25, 0.25, 0.25, 0.25]),
        },
      ],
      importances: Float32Array.from([1]),
    };
    await saveModel(db, { runId: "r1", name: "forest", kind: "forest", createdAt: 7, forest });
    const lstm = await loadModel(db, "r1", "lstm");
    expect(new Float32Array(lstm!.tfjs!.weightData)).toEqual(Float32Array.from([1, 2, 3]));
    expect((await loadModel(db, "r1", "forest"))?.forest).toEqual(forest);
    expect((await listModels(db, "r1")).length).toBe(2);
    // The trainer's state is typed now (lib/run CheckpointState), no longer any plain object.
    const state = {
      version: 1 as const,
      kind: "lstm" as const,
      config: defaultConfig("lstm"),
      epoch: 3,
      step: 30,
      history: [],
      bestEpoch: 2,
      bestValLoss: 1.1,
      wait: 1,
    };
    await saveCheckpoint(db, {
      runId: "r1",
      model: "lstm",
      epoch: 3,
      savedAt: 8,
      weights: { weightSpecs: [], weightData },
      state,
    });
    expect((await loadCheckpoint(db, "r1", "lstm"))?.state).toEqual(state);
    expect((await listRuns(db, "a")).map((r) => r.id)).toEqual(["r1"]);
    await deleteRun(db, "r1");
    expect(await loadRun(db, "r1")).toBeUndefined();
    expect(await listModels(db, "r1")).toEqual([]);
    expect(await loadCheckpoint(db, "r1", "lstm")).toBeUndefined();
  });

  it("saves a run with its models in one transaction: a quota error on the run keeps none of its models", async () => {
    db = freshDb();
    const run = {
      id: "imported",
      name: "Imported bundle.zip",
      datasetId: "a",
      status: "done" as const,
      createdAt: 5,
      config: { imported: { producer: "test", createdAt: 5 } },
      history: {},
      metrics: {},
    };
    const weightData = Float32Array.from([1, 2, 3]).buffer;
    const models = ["transformer", "lstm"].map((name) => ({
      runId: "imported",
      name,
      kind: name as "lstm",
      createdAt: 5,
      tfjs: {
        modelTopology: { a: 1 },
        weightSpecs: [{ name: "w", shape: [3], dtype: "float32" as const }],
        weightData,
      },
    }));
    const spy = vi.spyOn(db.runs, "put").mockImplementation(() => {
      throw new DOMException("quota", "QuotaExceededError");
    });
    await expect(saveRunWithModels(db, run, models)).rejects.toBeInstanceOf(StorageFullError);
    spy.mockRestore();
    // Both model puts ran before the failing run put, and were rolled back with it.
    expect(await db.models.count()).toBe(0);
    expect(await db.runs.count()).toBe(0);
    await saveRunWithModels(db, run, models);
    expect((await listModels(db, "imported")).map((m) => m.name).sort()).toEqual(["lstm", "transformer"]);
    expect((await loadRun(db, "imported"))?.name).toBe("Imported bundle.zip");
  });

  it("rejects a forest whose tree arrays disagree", async () => {
    db = freshDb();
    await db.models.put({
      v: 1,
      runId: "r",
      name: "forest",
      kind: "forest",
      createdAt: 1,
      forest: {
        kind: "forest",
        numClasses: 4,
        numFeatures: 1,
        featureNames: ["x"],
        importances: Float32Array.from([1]),
        trees: [
          {
            feature: Int32Array.from([-1]),
            threshold: Float32Array.from([0]),
            left: Int32Array.from([-1]),
            right: Int32Array.from([-1]),
            value: Float32Array.from([1]),
          },
        ],
      },
    });
    await expect(loadModel(db, "r", "forest")).rejects.toThrow(/value has length 1, expected 4/);
  });
});

describe("settings", () => {
  it("falls back to defaults and merges patches", async () => {
    db = freshDb();
    expect(await loadSettings(db)).toEqual(DEFAULT_SETTINGS);
    await saveSettings(db, { binanceBaseUrl: "http://127.0.0.1:9999" });
    await saveSettings(db, { apiKeys: { glassnode: "k" } });
    expect(await loadSettings(db)).toEqual({
      ...DEFAULT_SETTINGS,
      binanceBaseUrl: "http://127.0.0.1:9999",
      apiKeys: { glassnode: "k" },
    });
  });
});

describe("API keys of keyed sources", () => {
  it("are set, trimmed, read by source, and forgotten", async () => {
    db = freshDb();
    await setApiKey(db, "glassnode", "  gn-key ");
    await setApiKey(db, "lunarcrush", "lc-key");
    expect(keyedSourceKeys(await loadSettings(db))).toEqual({ onchain: "gn-key", sentiment: "lc-key" });
    await setApiKey(db, "glassnode", "");
    const s = await loadSettings(db);
    expect(s.apiKeys).toEqual({ lunarcrush: "lc-key" });
    expect(keyedSourceKeys(s)).toEqual({ sentiment: "lc-key" });
  });
});

describe("settings read back", () => {
  it("fall back field by field: a bad field gets its default, the other fields are kept", async () => {
    db = freshDb();
    await db.settings.put({
      key: "studio",
      value: { binanceBaseUrl: "", binanceFuturesBaseUrl: "http://127.0.0.1:1", apiKeys: { a: "k", b: 3 } },
    });
    expect(await loadSettings(db)).toEqual({
      binanceBaseUrl: DEFAULT_SETTINGS.binanceBaseUrl,
      binanceFuturesBaseUrl: "http://127.0.0.1:1",
      glassnodeBaseUrl: DEFAULT_SETTINGS.glassnodeBaseUrl,
      lunarCrushBaseUrl: DEFAULT_SETTINGS.lunarCrushBaseUrl,
      apiKeys: { a: "k" },
      persistAsked: false,
    });
    await db.settings.put({ key: "studio", value: "garbage" });
    expect(await loadSettings(db)).toEqual(DEFAULT_SETTINGS);
  });
});

describe("restore", () => {
  it("rejects unknown versions, wrong types and chunks whose times leave their chunk", () => {
    const cols = new Float64Array(9);
    cols[0] = 5000;
    expect(restoreChunk({ v: 1, seriesId: "s", chunkStart: 0, count: 1, cols }, 10_000).count).toBe(1);
    expect(() => restoreChunk({ v: 1, seriesId: "s", chunkStart: 0, count: 1, cols }, 1000)).toThrow(
      /outside its chunk/,
    );
    expect(() => restoreChunk({ v: 2, seriesId: "s", chunkStart: 0, count: 1, cols })).toThrow(/newer than this app/);
    expect(() => restoreChunk({ seriesId: "s", chunkStart: 0, count: 1, cols })).toThrow(/unknown format version 0/);
    expect(() => restoreChunk({ v: 1, seriesId: "s", chunkStart: 0, count: 1, cols: Array.from(cols) })).toThrow(
      /not a Float64Array/,
    );
    expect(() => restoreChunk(null)).toThrow(RestoreError);
    expect(() => restoreJob({ v: 1, id: "j", state: "weird" })).toThrow(/unknown state/);
  });
});
