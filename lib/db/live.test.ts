import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { freshDb } from "@/test/db";
import {
  addSignalOnce,
  deleteDeployment,
  listDeployments,
  listSignals,
  resolveSignalOnce,
  saveDeployment,
} from "./live";
import type { DeploymentRecord, SignalRecord } from "./live-records";
import type { StudioDb } from "./schema";

let db: StudioDb;
afterEach(async () => {
  await db?.delete();
});

const dep: DeploymentRecord = {
  v: 1,
  id: "d1",
  createdAt: 5,
  replay: false,
  championRunId: "r1",
  rules: { minOutcomes: 100, minDays: 7, alpha: 0.05, maxOutcomes: 1000 },
  settings: { minConfidence: 0.4, baseSize: 1000, longOnly: false, feeRate: 0.001 },
  lastCandle: null,
  notes: [],
};
const decision = {
  runId: "r1",
  predicted: 2,
  probs: [0.1, 0.2, 0.6, 0.1],
  modelProbs: { forest: [0.1, 0.2, 0.6, 0.1] },
  confidence: 0.6,
  direction: 1 as const,
  tradeable: true,
  size: 600,
};
const sig = (openTime: number): SignalRecord => ({
  v: 1,
  deploymentId: "d1",
  openTime,
  issuedAt: openTime + 3_600_000,
  close: 100,
  champion: decision,
  served: "champion",
  traffic: 0,
});
const outcome = {
  resolvedAt: 9,
  exitClose: 101,
  champion: { realizedReturn: 0.01, trueLabel: 2, correct: true, pnl: 4.8, pnlReturn: 0.0048 },
};

describe("live records", () => {
  it("records a signal and its outcome once per (deployment, candle)", async () => {
    db = freshDb();
    await saveDeployment(db, dep);
    expect(await addSignalOnce(db, sig(2))).toBe(true);
    expect(await addSignalOnce(db, sig(1))).toBe(true);
    expect(await addSignalOnce(db, { ...sig(2), close: 999 })).toBe(false);
    expect((await listSignals(db, "d1")).map((s) => [s.openTime, s.close])).toEqual([
      [1, 100],
      [2, 100],
    ]);
    expect(await resolveSignalOnce(db, "d1", 2, { outcome })).toBe(true);
    expect(await resolveSignalOnce(db, "d1", 2, { outcome: { ...outcome, exitClose: 1 } })).toBe(false);
    expect(await resolveSignalOnce(db, "d1", 7, { skipped: "gap" })).toBe(false);
    expect((await listSignals(db, "d1"))[1].outcome!.exitClose).toBe(101);
    expect(await listDeployments(db)).toEqual([dep]);
    await deleteDeployment(db, "d1");
    expect(await listSignals(db, "d1")).toEqual([]);
  });

  it("refuses malformed records by field", async () => {
    db = freshDb();
    await expect(saveDeployment(db, { ...dep, rules: { ...dep.rules, alpha: 2 } })).rejects.toThrow(/rules\.alpha/);
    await expect(addSignalOnce(db, { ...sig(1), traffic: 20 as 10 })).rejects.toThrow(/traffic/);
    await db.signals.put({ ...sig(3), champion: { ...decision, predicted: 9 } });
    await expect(listSignals(db, "d1")).rejects.toThrow(/champion\.predicted/);
  });
});
