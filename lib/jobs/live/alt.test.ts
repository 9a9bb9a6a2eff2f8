import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { defaultBuildSpec } from "@/lib/core/build-spec";
import { liveWindow } from "@/lib/core/live-window";
import { loadDataset, storeAltValues, storeCandles, type StudioDb } from "@/lib/db";
import { buildDatasetFromStore, type AltMode } from "@/lib/jobs/dataset/build-from-store";
import { freshDb } from "@/test/db";
import { fixtureMarket } from "@/test/market";
import { liveAltInputs } from "./alt";

let db: StudioDb;
afterEach(() => db?.delete());
const H = 3_600_000;

describe("alternative data of the live loop", () => {
  const m = fixtureMarket(4 * 24 * 40, 3);

  async function built(alt: AltMode) {
    db = freshDb();
    await storeCandles(db, { key: { source: "file", symbol: "BTCUSDT", interval: "15m" }, candles: m.candles["15m"] });
    const pts = (p: { time: number; value: number }[]) => ({
      time: p.map((x) => x.time),
      value: p.map((x) => x.value),
    });
    await storeAltValues(db, { source: "funding", symbol: "BTCUSDT", ...pts(m.funding), origin: "file" });
    await storeAltValues(db, { source: "fearGreed", symbol: "MARKET", ...pts(m.fearGreed), origin: "file" });
    const spec = { ...defaultBuildSpec(), window: 24, splitSpec: { train: 0.7, val: 0.15, test: 0.15 } };
    await buildDatasetFromStore(db, { ...spec, source: "file", symbol: "BTCUSDT", name: "t", alt }, "d");
    return (await loadDataset(db, "d"))!;
  }

  for (const mode of [{ mode: "stored" }, { mode: "synthetic", seed: 7 }] as AltMode[])
    it(`gives the dataset's own feature rows at every part's candles (${mode.mode} alternative data)`, async () => {
      const ds = await built(mode);
      expect(ds.altOrigin!.funding).toBe(mode.mode === "stored" ? "real" : "synthetic");
      const last = ds.times[ds.rows - 1] + H;
      const { alt, missing } = await liveAltInputs(db, ds, last);
      expect(missing).toEqual([]);
      const F = ds.features.length;
      const funding = ds.features.findIndex((f) => f.name === "alt_funding_rate");
      const fg = ds.features.findIndex((f) => f.name === "alt_fear_greed");
      for (const t of [ds.split.train[5], ds.split.val[3], ds.split.test.at(-1)!]) {
        const w = liveWindow({ ...ds, candles: m.candles, alt, now: ds.times[t] + H });
        if (!w.ok) throw new Error(w.reason);
        expect(Array.from(w.raw)).toEqual(Array.from(ds.matrix.subarray((t - ds.window + 1) * F, (t + 1) * F)));
      }
      // Not the neutral fallback that live used before: the values move.
      const col = (j: number) => new Set(Array.from({ length: ds.rows }, (_, r) => ds.matrix[r * F + j]));
      expect(col(funding).size).toBeGreaterThan(5);
      expect(col(fg).size).toBeGreaterThan(5);
      // Without them, the same windows differ: the test would see a live loop fed the fallbacks.
      const t = ds.split.test[0];
      const bare = liveWindow({ ...ds, candles: m.candles, now: ds.times[t] + H });
      expect(bare.ok && Array.from(bare.raw)).not.toEqual(
        Array.from(ds.matrix.subarray((t - ds.window + 1) * F, (t + 1) * F)),
      );
    });

  it("says which sources it cannot give as the dataset had them", async () => {
    const ds = await built({ mode: "synthetic", seed: 7 });
    const { missing } = await liveAltInputs(db, { ...ds, syntheticAlt: undefined }, ds.times[ds.rows - 1]);
    expect(missing).toEqual(["funding", "fearGreed"]);
  });
});
