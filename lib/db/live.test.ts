import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { freshDb } from "@/test/db";
import { commitTick, deleteDeployment, mergeTick, listDeployments, listSignals, saveDeployment } from "./live";
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
    const tick = (signals: SignalRecord[], resolutions: Parameters<typeof commitTick>[1]["resolutions"] = []) =>
      commitTick(db, { signals, resolutions, deployment: dep });
    expect(await tick([sig(2), sig(1)])).toEqual({ added: 2, resolved: 0 });
    expect(await tick([{ ...sig(2), close: 999 }])).toEqual({ added: 0, resolved: 0 });
    expect((await listSignals(db, "d1")).map((s) => [s.openTime, s.close])).toEqual([
      [1, 100],
      [2, 100],
    ]);
    expect(await tick([], [{ openTime: 2, resolution: { outcome } }])).toEqual({ added: 0, resolved: 1 });
    const again = [{ openTime: 2, resolution: { outcome: { ...outcome, exitClose: 1 } } }];
    expect(await tick([], [...again, { openTime: 7, resolution: { skipped: "gap" } }])).toEqual({
      added: 0,
      resolved: 0,
    });
    expect((await listSignals(db, "d1"))[1].outcome!.exitClose).toBe(101);
    // A signal added and resolved in the same tick (a catch-up), and a range read.
    expect(await tick([sig(3)], [{ openTime: 3, resolution: { skipped: "gap" } }])).toEqual({ added: 1, resolved: 1 });
    expect((await listSignals(db, "d1", { from: 2 })).map((s) => [s.openTime, s.skipped])).toEqual([
      [2, undefined],
      [3, "gap"],
    ]);
    expect(await listDeployments(db)).toEqual([dep]);
    await deleteDeployment(db, "d1");
    expect(await listSignals(db, "d1")).toEqual([]);
  });

  it("refuses malformed records by field", async () => {
    db = freshDb();
    await expect(saveDeployment(db, { ...dep, rules: { ...dep.rules, alpha: 2 } })).rejects.toThrow(/rules\.alpha/);
    await expect(
      commitTick(db, { signals: [{ ...sig(1), traffic: 20 as 10 }], resolutions: [], deployment: dep }),
    ).rejects.toThrow(/traffic/);
    // A tick is written whole or not at all: a bad outcome leaves its good signal and the deployment unwritten.
    await saveDeployment(db, dep);
    const bad = { ...outcome, champion: { ...outcome.champion, trueLabel: 7 } };
    await expect(
      commitTick(db, {
        signals: [sig(5)],
        resolutions: [{ openTime: 5, resolution: { outcome: bad } }],
        deployment: { ...dep, lastCandle: 5 },
      }),
    ).rejects.toThrow(/trueLabel/);
    expect(await db.signals.get(["d1", 5])).toBeUndefined();
    expect((await db.deployments.get("d1"))?.lastCandle).toBeNull();
    await db.signals.put({ ...sig(3), champion: { ...decision, predicted: 9 } });
    await expect(listSignals(db, "d1")).rejects.toThrow(/champion\.predicted/);
  });

  it("does not bring back a deleted deployment, and commits by the same rules as mergeTick", async () => {
    db = freshDb();
    await saveDeployment(db, dep);
    await commitTick(db, { signals: [sig(1)], resolutions: [], deployment: { ...dep, lastCandle: 1 } });
    await deleteDeployment(db, "d1");
    await expect(
      commitTick(db, { signals: [sig(2)], resolutions: [], deployment: { ...dep, lastCandle: 2 } }),
    ).rejects.toThrow(/deleted/);
    expect(await listDeployments(db)).toEqual([]);
    expect(await listSignals(db, "d1")).toEqual([]);
    // mergeTick alone: a stored signal is kept, a resolved one is not resolved again.
    const stored = new Map([
      [1, sig(1)],
      [2, { ...sig(2), outcome }],
    ]);
    const m = mergeTick((t) => stored.get(t), {
      signals: [{ ...sig(1), close: 5 }, sig(3), { ...sig(3), close: 7 }],
      resolutions: [
        { openTime: 1, resolution: { skipped: "gap" } },
        { openTime: 2, resolution: { skipped: "gap" } },
        { openTime: 3, resolution: { outcome } },
        { openTime: 4, resolution: { outcome } },
      ],
    });
    expect([m.added, m.resolved]).toEqual([1, 2]);
    expect([...m.writes.entries()].map(([t, s]) => [t, s.close, s.skipped, s.outcome?.exitClose])).toEqual([
      [3, 100, undefined, outcome.exitClose],
      [1, 100, "gap", undefined],
    ]);
  });
});
