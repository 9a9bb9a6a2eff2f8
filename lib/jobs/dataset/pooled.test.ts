/** Issue 16: a dataset pooling several stored symbols, built, saved, reopened. */
import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { defaultBuildSpec } from "@/lib/core/build-spec";
import { loadDataset, storeCandles, type StudioDb } from "@/lib/db";
import { freshDb } from "@/test/db";
import { fixtureMarket } from "@/test/market";
import { buildDatasetFromStore, storedReport } from "./build-from-store";

let db: StudioDb;
afterEach(() => db?.delete());

const args = {
  ...defaultBuildSpec(),
  window: 24,
  source: "binance" as const,
  symbol: "AAAUSDT",
  name: "pooled",
  alt: { mode: "none" as const },
};

async function storeSymbol(symbol: string, seed: number, days: number) {
  const { candles } = fixtureMarket(4 * 24 * days, seed);
  await storeCandles(db, { key: { source: "binance", symbol, interval: "15m" }, candles: candles["15m"] });
}

describe("a multi-symbol dataset from the store", () => {
  it("pools the symbols with one split by time, saves them and reopens the per-symbol report", async () => {
    db = freshDb();
    await storeSymbol("AAAUSDT", 1, 60);
    await storeSymbol("BBBUSDT", 2, 60);
    const built = await buildDatasetFromStore(
      db,
      { ...args, poolSymbols: ["BBBUSDT"], normalization: "per-symbol", symbolOneHot: true },
      "ds-pool",
      0,
    );
    const ds = (await loadDataset(db, "ds-pool"))!;
    expect(ds.symbols).toEqual(["AAAUSDT", "BBBUSDT"]);
    expect(ds.features).toHaveLength(44);
    expect(ds.symbolNormalization!.mean).toHaveLength(88);
    expect(built.summary.symbol).toBe("AAAUSDT_BBBUSDT");
    expect(built.quality.perSymbol!.map((p) => p.symbol)).toEqual(["AAAUSDT", "BBBUSDT"]);
    expect(built.notes).toContain(
      "BBBUSDT: 1h candles were aggregated from the stored 15m series (only complete candles).",
    );
    expect((await storedReport(db, "ds-pool")).quality).toEqual(built.quality);
  });

  it("names the symbol whose candles cannot build the spec", async () => {
    db = freshDb();
    await storeSymbol("AAAUSDT", 1, 60);
    await storeCandles(db, {
      key: { source: "binance", symbol: "CCCUSDT", interval: "4h" },
      candles: fixtureMarket(4 * 24 * 60, 3).candles["4h"],
    });
    await expect(buildDatasetFromStore(db, { ...args, poolSymbols: ["CCCUSDT"] }, "ds-x", 0)).rejects.toThrow(
      /^Dataset settings of CCCUSDT: Timeframes: 15m, 1h cannot be built from the stored 4h candles/,
    );
  });
});
