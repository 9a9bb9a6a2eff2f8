/** The collect worker's fetchAlt: keys and keyed base URLs come from this browser's settings, never from the page. */
import "fake-indexeddb/auto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteStudioDb, getStudioDb, readAltSeries, saveSettings, setApiKey } from "../../db";
import { MOCK_API_KEYS, startMockBinance, type MockBinance } from "@/e2e/mock/binance-server";
import { createCollectApi } from "./api";

const NOW = Date.UTC(2024, 2, 1);
const DB = "alt-api-test";
let mock: MockBinance;
beforeAll(async () => {
  mock = await startMockBinance({ faults: { now: NOW } });
});
afterAll(async () => {
  await mock.close();
  await deleteStudioDb(DB);
});

describe("collect worker: fetchAlt", () => {
  it("fetches a keyed source whose key is set, skips the other, reports each source", async () => {
    const db = getStudioDb(DB);
    await saveSettings(db, { glassnodeBaseUrl: mock.url, lunarCrushBaseUrl: mock.url });
    await setApiKey(db, "glassnode", MOCK_API_KEYS.glassnode);
    const api = createCollectApi({ dbName: DB, now: () => NOW, locks: null });
    const seen: string[] = [];
    const out = await api.fetchAlt(
      "t1",
      {
        symbol: "BTCUSDT",
        range: { from: Date.UTC(2024, 1, 1), to: Date.UTC(2024, 1, 10) },
        sources: ["onchain", "sentiment"],
        futuresBaseUrl: mock.url,
        fearGreedBaseUrl: mock.url,
      },
      (o) => seen.push(`${o.source} ${o.state}`),
    );
    expect(out.map((o) => [o.source, o.state, o.added])).toEqual([
      ["onchain", "fetched", 10],
      ["sentiment", "no-key", 0],
    ]);
    expect(seen.sort()).toEqual(["onchain fetched", "sentiment no-key"]);
    expect((await readAltSeries(db, "onchain", "BTCUSDT"))!.origins).toEqual(["fetch"]);
    // A wrong key: the source fails with its own message, nothing else.
    await setApiKey(db, "lunarcrush", "not-the-key");
    const [bad] = await api.fetchAlt("t2", {
      symbol: "BTCUSDT",
      range: { from: Date.UTC(2024, 1, 1), to: Date.UTC(2024, 1, 2) },
      sources: ["sentiment"],
      futuresBaseUrl: mock.url,
      fearGreedBaseUrl: mock.url,
    });
    expect(bad.state).toBe("failed");
    expect(bad.message).toBe(
      "Social sentiment (LunarCrush): LunarCrush refused the API key (HTTP 401); check it on the Data page.",
    );
  });
});
