import "fake-indexeddb/auto";
import { beforeAll, describe, expect, it } from "vitest";
import { defaultBuildSpec } from "@/lib/core/build-spec";
import { getStudioDb, loadDataset, storeCandles } from "@/lib/db";
import { fixtureMarket } from "@/test/market";
import { createDatasetApi } from "./api";

const DB = "dataset-api-test";
const api = createDatasetApi(DB);
// Shares only, as the form sends them: purge and embargo follow the horizon and the window.
const args = {
  ...defaultBuildSpec(),
  splitSpec: { train: 0.7, val: 0.15, test: 0.15 },
  source: "binance" as const,
  symbol: "T",
  name: "t",
  alt: { mode: "none" as const },
};

beforeAll(async () => {
  const { candles } = fixtureMarket(4 * 24 * 40, 3);
  await storeCandles(getStudioDb(DB), {
    key: { source: "binance", symbol: "T", interval: "15m" },
    candles: candles["15m"],
  });
});

describe("the dataset worker's build", () => {
  it("builds the default spec from stored 15m candles", async () => {
    const { summary } = await api.build({ ...args, window: 24 });
    expect((await loadDataset(getStudioDb(DB), summary.id))?.features).toHaveLength(42);
  });

  it("refuses a spec validateBuildSpec does not pass, naming each problem, and stores nothing", async () => {
    const before = await getStudioDb(DB).datasets.count();
    await expect(api.build({ ...args, window: 1 })).rejects.toThrow(
      "Dataset settings of T: Window: 1 must be a whole number of steps in 2..512.",
    );
    await expect(api.build({ ...args, splitSpec: { train: 0.8, val: 0.2, test: 0.1 } })).rejects.toThrow(
      /add up to 100%, not 110% \(the parts would overlap\)/,
    );
    await expect(api.build({ ...args, baseInterval: "5m", timeframes: ["5m", "15m"] })).rejects.toThrow(
      /5m cannot be built from the stored 15m candles/,
    );
    expect(await getStudioDb(DB).datasets.count()).toBe(before);
  });
});
