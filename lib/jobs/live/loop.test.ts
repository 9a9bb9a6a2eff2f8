import "fake-indexeddb/auto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildDataset } from "@/lib/core/build-dataset";
import { sliceColumns, type CandleColumns } from "@/lib/core/candles";
import type { Dataset } from "@/lib/core/dataset";
import type { Interval } from "@/lib/core/intervals";
import { saveDeployment, listSignals, loadDeployment, type DeploymentRecord, type StudioDb } from "@/lib/db";
import { DEFAULT_PROMOTION_RULES, startChallenger } from "@/lib/live/ramp";
import { DEFAULT_SIGNAL_SETTINGS } from "@/lib/live/signal";
import { freshDb } from "@/test/db";
import { fixtureMarket } from "@/test/market";
import { liveTick, type LiveModel } from "./loop";
import { replay, storedCandleSource } from "./replay";
import { datasetLiveModel } from "@/test/live-model";

const H = 3_600_000;
let db: StudioDb;
afterEach(async () => {
  await db?.delete();
});

let m: ReturnType<typeof fixtureMarket>;
let ds: Dataset;
let trainCandles: Record<Interval, CandleColumns>;
let dataEnd: number;

beforeAll(() => {
  m = fixtureMarket(4 * 24 * 24, 5); // 24 days of 15m candles
  dataEnd = m.candles["1h"].openTime[400];
  trainCandles = {} as Record<Interval, CandleColumns>;
  for (const tf of ["15m", "1h", "4h"] as Interval[]) {
    const c = m.candles[tf];
    const n = c.openTime.findIndex((t) => t > dataEnd);
    trainCandles[tf] = sliceColumns(c, 0, n < 0 ? c.openTime.length : n);
  }
  ds = buildDataset({ candles: trainCandles, symbol: "TEST", window: 24, synthetic: true });
});

/** A model that reads the last normalised row (deterministic, no look-ahead). */
function model(runId: string, calls: number[] = []): LiveModel {
  const F = ds.features.length;
  return datasetLiveModel(ds, runId, async (w) => {
    calls.push(1);
    const x = w[(ds.window - 1) * F + 1];
    const up = 1 / (1 + Math.exp(-x));
    return { forest: [(1 - up) * 0.6, (1 - up) * 0.4, up * 0.4, up * 0.6] };
  });
}

function deployment(over: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    v: 1,
    id: "dep1",
    createdAt: 1,
    replay: true,
    championRunId: "champ",
    rules: { ...DEFAULT_PROMOTION_RULES },
    settings: { ...DEFAULT_SIGNAL_SETTINGS },
    lastCandle: dataEnd,
    notes: [],
    ...over,
  };
}

describe("live loop", () => {
  it("makes one signal per closed candle and each outcome exactly at the horizon, idempotently", async () => {
    db = freshDb();
    await saveDeployment(db, deployment());
    const champion = model("champ");
    const source = storedCandleSource(m.candles);
    const t1 = dataEnd + H;
    // Clock at the close of the first candle after the data end: one signal, no outcome yet.
    let r = await liveTick({ db, deploymentId: "dep1", now: t1 + H, candles: source, champion });
    expect(r).toMatchObject({ signals: 1, outcomes: 0 });
    // The same tick again records nothing twice.
    r = await liveTick({ db, deploymentId: "dep1", now: t1 + H, candles: source, champion });
    expect(r).toMatchObject({ signals: 0, outcomes: 0 });
    // Horizon 4: the outcome candle t1 + 4h closes at t1 + 5h. One ms before, nothing.
    r = await liveTick({ db, deploymentId: "dep1", now: t1 + 5 * H - 1, candles: source, champion });
    expect(r.outcomes).toBe(0);
    expect(r.signals).toBe(3); // candles t1+1h .. t1+3h closed
    r = await liveTick({ db, deploymentId: "dep1", now: t1 + 5 * H, candles: source, champion });
    expect(r).toMatchObject({ signals: 1, outcomes: 1 });
    const sigs = await listSignals(db, "dep1");
    expect(sigs.map((s) => s.openTime)).toEqual([0, 1, 2, 3, 4].map((k) => t1 + k * H));
    const c = m.candles["1h"];
    const i = c.openTime.indexOf(t1);
    const first = sigs[0];
    expect(first.close).toBe(c.close[i]);
    expect(first.outcome!.exitClose).toBe(c.close[i + 4]);
    expect(first.outcome!.champion.realizedReturn).toBeCloseTo(c.close[i + 4] / c.close[i] - 1, 12);
    expect(sigs.slice(1).every((s) => !s.outcome)).toBe(true);
  });

  it("catches up after a closed tab and says so, without duplicates", async () => {
    db = freshDb();
    await saveDeployment(db, deployment({ replay: false }));
    const calls: number[] = [];
    const champion = model("champ", calls);
    const source = storedCandleSource(m.candles);
    await liveTick({ db, deploymentId: "dep1", now: dataEnd + 3 * H, candles: source, champion });
    // "Tab closed" for 20 hours.
    const r = await liveTick({ db, deploymentId: "dep1", now: dataEnd + 23 * H, candles: source, champion });
    expect(r.signals).toBe(20);
    expect(r.caughtUp).toBe(19);
    expect(r.deployment.notes.at(-1)!.text).toMatch(/caught up on 19 1h candles/);
    const sigs = await listSignals(db, "dep1");
    expect(new Set(sigs.map((s) => s.openTime)).size).toBe(sigs.length);
    expect(sigs.length).toBe(22);
    expect(calls.length).toBe(22);
  });

  it("skips a gap with a note and never resolves an outcome from a neighbour", async () => {
    db = freshDb();
    await saveDeployment(db, deployment());
    const c = m.candles["1h"];
    const hole = dataEnd + 5 * H;
    const k = c.openTime.indexOf(hole);
    const holed = Object.fromEntries(
      Object.entries(c).map(([f, col]) => [f, (col as Float64Array).filter((_, i) => i !== k)]),
    ) as unknown as CandleColumns;
    const source = storedCandleSource({ ...m.candles, "1h": holed });
    const champion = model("champ");
    await liveTick({ db, deploymentId: "dep1", now: dataEnd + 4 * H, candles: source, champion });
    const r = await liveTick({ db, deploymentId: "dep1", now: dataEnd + 12 * H, candles: source, champion });
    const notes = r.deployment.notes.map((n) => n.text).join("\n");
    expect(notes).toMatch(/1 1h candles missing before/);
    const sigs = await listSignals(db, "dep1");
    expect(sigs.some((s) => s.openTime === hole)).toBe(false);
    // The signal at hole - 4h has its outcome candle missing: skipped with a note.
    const victim = sigs.find((s) => s.openTime === hole - 4 * H)!;
    expect(victim.outcome).toBeUndefined();
    expect(victim.skipped).toMatch(/exchange gap/);
  });

  it("ramps a better challenger to promotion on a replay, keeping the decision history", async () => {
    db = freshDb();
    const quick = { minOutcomes: 20, minDays: 0, alpha: 0.05, maxOutcomes: 200 };
    await saveDeployment(db, deployment({ challengerRunId: "chall", ab: startChallenger(dataEnd), rules: quick }));
    const c = m.candles["1h"];
    const i0 = c.openTime.indexOf(dataEnd) + 1;
    // A test oracle for the A/B plumbing only: its n-th call is for the n-th replayed candle, and it
    // answers that candle's true class (the default label spec) from the full series.
    let n = 0;
    const challenger: LiveModel = {
      ...model("chall"),
      predict: async () => {
        const i = i0 + n++;
        const r = c.close[i + 4] / c.close[i] - 1;
        const p = [0.1, 0.1, 0.1, 0.1];
        p[r >= 0.015 ? 3 : r >= 0.005 ? 2 : r > 0 ? 2 : r > -0.015 ? 1 : 0] = 0.7;
        return { forest: p };
      },
    };
    const seen: number[] = [];
    const last = await replay({
      db,
      deploymentId: "dep1",
      candles: m.candles,
      after: dataEnd,
      champion: model("champ"),
      challenger,
      maxCandles: 200,
      onTick: (r) => seen.push(r.deployment.ab!.traffic),
    });
    const d = (await loadDeployment(db, "dep1"))!;
    expect(last!.deployment).toEqual(d);
    expect(d.ab!.decisions.map((x) => `${x.kind}:${x.from}->${x.to}`)).toEqual([
      "start:0->0",
      "advance:0->10",
      "advance:10->50",
      "advance:50->100",
      "promote:100->100",
    ]);
    expect(d.ab!.status).toBe("promoted");
    expect(d.championRunId).toBe("chall");
    expect(d.challengerRunId).toBeUndefined();
    // Traffic climbed in order, and served signals followed it.
    expect(seen.filter((t, k) => k === 0 || t !== seen[k - 1])).toEqual([0, 10, 50, 100]);
    const sigs = await listSignals(db, "dep1");
    const at50 = sigs.filter((s) => s.traffic === 50);
    expect(at50.length).toBeGreaterThan(10);
    const share = at50.filter((s) => s.served === "challenger").length / at50.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.8);
    // After the promotion the former challenger serves alone, as champion.
    const promotedAt = d.ab!.decisions.at(-1)!.at;
    const before = sigs.filter((s) => s.openTime + H < promotedAt);
    const after = sigs.filter((s) => s.openTime + H > promotedAt);
    expect(before.every((s) => s.challenger?.runId === "chall" && s.champion.runId === "champ")).toBe(true);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((s) => !s.challenger && s.champion.runId === "chall")).toBe(true);
  });
  it("a replay that predicts candles ahead in batches records exactly what one predicting each candle records", async () => {
    const record = async (batched: boolean) => {
      db = freshDb();
      await saveDeployment(db, deployment({ challengerRunId: "chall", ab: startChallenger(dataEnd) }));
      const calls = { one: 0, many: 0 };
      const withBatches = (x: LiveModel): LiveModel => ({
        ...x,
        datasetId: ds.id, // champion and challenger share the dataset: liveTick hands both one window
        predict: (w) => (calls.one++, x.predict(w)),
        ...(batched
          ? { predictMany: (ws: Float32Array[]) => (calls.many++, Promise.all(ws.map((w) => x.predict(w)))) }
          : {}),
      });
      const challenger = model("chall");
      const flipped: LiveModel = {
        ...challenger,
        predict: async (w) => ({ forest: Array.from((await challenger.predict(w)).forest).reverse() }),
      };
      await replay({
        db,
        deploymentId: "dep1",
        candles: m.candles,
        after: dataEnd,
        champion: withBatches(model("champ")),
        challenger: withBatches(flipped),
        maxCandles: 100,
      });
      const signals = await listSignals(db, "dep1");
      await db.delete();
      return { signals, calls };
    };
    const one = await record(false);
    const many = await record(true);
    expect(many.signals).toEqual(one.signals);
    expect(one.signals.length).toBe(100);
    // The challenger's own prediction, not the champion's, although both got the same window.
    expect(many.signals.some((s) => s.challenger!.predicted !== s.champion.predicted)).toBe(true);
    expect(one.calls).toEqual({ one: 200, many: 0 });
    expect(many.calls.one).toBe(0);
    expect(many.calls.many).toBeLessThanOrEqual(2 * Math.ceil(100 / 32));
  });

  it("a replay committing every few candles records what a tick per candle records; an abort or a reload loses and duplicates nothing", async () => {
    const challenger = (): LiveModel => {
      const c = model("chall");
      return { ...c, predict: async (w) => ({ forest: Array.from((await c.predict(w)).forest).reverse() }) };
    };
    const fresh = async () => {
      db = freshDb();
      await saveDeployment(db, deployment({ challengerRunId: "chall", ab: startChallenger(dataEnd) }));
      let puts = 0;
      db.deployments.hook("updating", () => void puts++);
      return () => puts;
    };
    const N = 100;
    const clocks = Array.from(m.candles["1h"].openTime.filter((t) => t > dataEnd).subarray(0, N), (t) => t + H);
    // Reference: the live loop's path, one tick and one IndexedDB commit per candle.
    const refPuts = await fresh();
    for (const now of clocks)
      await liveTick({
        db,
        deploymentId: "dep1",
        now,
        candles: storedCandleSource(m.candles),
        champion: model("champ"),
        challenger: challenger(),
      });
    const reference = { signals: await listSignals(db, "dep1"), deployment: await loadDeployment(db, "dep1") };
    expect(refPuts()).toBe(N);
    expect(reference.signals.filter((s) => s.outcome).length).toBeGreaterThan(N - 8);
    await db.delete();

    const input = () => ({
      db,
      deploymentId: "dep1",
      candles: m.candles,
      after: dataEnd,
      champion: model("champ"),
      challenger: challenger(),
      maxCandles: N,
    });
    // Group commits: the same records and deployment, in a few transactions.
    const puts = await fresh();
    await replay(input());
    expect(await listSignals(db, "dep1")).toEqual(reference.signals);
    expect(await loadDeployment(db, "dep1")).toEqual(reference.deployment);
    expect(puts()).toBeLessThanOrEqual(Math.ceil(N / 32));
    await db.delete();

    // Aborted after 45 candles (mid-group): the 45 are committed; a second replay (a reload) resumes there.
    await fresh();
    const ac = new AbortController();
    let n = 0;
    await expect(
      replay({ ...input(), signal: ac.signal, onTick: () => void (++n === 45 && ac.abort()) }),
    ).rejects.toThrow();
    expect((await loadDeployment(db, "dep1"))!.lastCandle).toBe(clocks[44] - H);
    expect((await listSignals(db, "dep1")).length).toBe(45);
    await replay({ ...input(), maxCandles: N - 45 });
    expect(await listSignals(db, "dep1")).toEqual(reference.signals);
    expect(await loadDeployment(db, "dep1")).toEqual(reference.deployment);
  });
});
