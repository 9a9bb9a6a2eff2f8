/**
 * Issue 16, "what a dataset is built from": a 30m file with a 1h file of other dates lost most
 * rows to "without aligned candles" and the form did not say why. Base 30m now builds with 1h
 * and 4h aggregated from it, and `aggregateFromBase` reads them from the base series even where
 * series of their own are stored.
 */
import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { aggregateColumns } from "@/lib/core/aggregate";
import { sliceColumns } from "@/lib/core/candles";
import { buildPreset } from "@/lib/core/features";
import { DEFAULT_LABEL_SPEC } from "@/lib/core/labels";
import { storeCandles, type StudioDb } from "@/lib/db";
import { freshDb } from "@/test/db";
import { fixtureMarket } from "@/test/market";
import { buildDatasetFromStore } from "./build-from-store";

let db: StudioDb;
afterEach(() => db?.delete());

const m = fixtureMarket(4 * 24 * 60, 7); // 60 days of 15m
const m30 = aggregateColumns(m.candles["15m"], "15m", "30m");

async function store(interval: "30m" | "1h", candles: typeof m30) {
  await storeCandles(db, {
    key: { source: "file", symbol: "ETHUSDT", interval },
    candles,
    covered: { from: candles.openTime[0], to: candles.openTime[candles.openTime.length - 1] },
  });
}

const args = {
  source: "file" as const,
  symbol: "ETHUSDT",
  baseInterval: "30m" as const,
  timeframes: ["30m", "1h", "4h"] as ("30m" | "1h" | "4h")[],
  features: buildPreset(["30m", "1h", "4h"]),
  labelSpec: DEFAULT_LABEL_SPEC,
  window: 24,
  name: "30m",
  alt: { mode: "none" as const },
};

describe("building from a 30m series", () => {
  it("base 30m works with 1h and 4h aggregated from it", async () => {
    db = freshDb();
    await store("30m", m30);
    const built = await buildDatasetFromStore(db, args, "ds-30m", 0);
    expect(built.summary.baseInterval).toBe("30m");
    expect(built.summary.featureCount).toBe(42);
    expect(built.quality.dropped?.unaligned).toBe(0);
    expect(built.notes).toEqual([
      "1h candles were aggregated from the stored 30m series (only complete candles).",
      "4h candles were aggregated from the stored 30m series (only complete candles).",
    ]);
  });

  it("a 1h file of other dates drops rows; aggregating from the base keeps them", async () => {
    db = freshDb();
    await store("30m", m30);
    const h = m.candles["1h"];
    await store("1h", sliceColumns(h, 0, Math.floor(h.openTime.length / 2))); // the first month only
    const own = await buildDatasetFromStore(db, args, "ds-own", 0);
    const fromBase = await buildDatasetFromStore(db, { ...args, aggregateFromBase: true }, "ds-base", 0);
    expect(own.quality.dropped!.unaligned).toBeGreaterThan(1000);
    expect(fromBase.quality.dropped!.unaligned).toBe(0);
    expect(fromBase.quality.rows).toBeGreaterThan(own.quality.rows + 1000);
    expect(fromBase.notes[0]).toBe("1h candles were aggregated from the stored 30m series (only complete candles).");
  });
});
