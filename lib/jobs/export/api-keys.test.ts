/**
 * Issue 16: keys of keyed sources stay in this browser. A run built with both keys set and
 * used (its on-chain and sentiment features are real) leaves no key in its share link, its
 * bundle (every file), its evaluation_metrics.json files, or its stored dataset and run.
 */
import "fake-indexeddb/auto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultBuildSpec } from "@/lib/core/build-spec";
import { getStudioDb, loadDataset, saveSettings, setApiKey, storeCandles } from "@/lib/db";
import { evaluationMetricsJson } from "@/lib/eval/report";
import { decodeSharedRun, shareFragment } from "@/lib/export/share";
import { startMockBinance, type MockBinance } from "@/e2e/mock/binance-server";
import { fixtureMarket } from "@/test/market";
import { storeRunFixture } from "@/test/stored-run";
import { buildDatasetFromStore } from "../dataset/build-from-store";
import { runBundle } from "./export-run";

const KEYS = { glassnode: "gn-SECRET-4f1c9a", lunarcrush: "lc-SECRET-77be02" };

let mock: MockBinance;
beforeAll(async () => {
  mock = await startMockBinance({ apiKeys: KEYS, faults: { now: Date.UTC(2023, 2, 1) } });
});
afterAll(() => mock.close());

async function closedUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}`;
}

describe("API keys never leave the browser's settings", () => {
  it("are absent from the share link, bundle, evaluation_metrics.json and stored records of a run that used them", async () => {
    const db = getStudioDb();
    const m = fixtureMarket(4 * 24 * 40, 3);
    await storeCandles(db, { key: { source: "file", symbol: "BTCUSDT", interval: "15m" }, candles: m.candles["15m"] });
    await saveSettings(db, { glassnodeBaseUrl: mock.url, lunarCrushBaseUrl: mock.url });
    await setApiKey(db, "glassnode", KEYS.glassnode);
    await setApiKey(db, "lunarcrush", KEYS.lunarcrush);
    const url = await closedUrl();
    const { summary } = await buildDatasetFromStore(
      db,
      {
        ...defaultBuildSpec(),
        window: 24,
        splitSpec: { train: 0.7, val: 0.15, test: 0.15 },
        source: "file",
        symbol: "BTCUSDT",
        name: "keyed",
        alt: { mode: "fetch", futuresBaseUrl: url, fearGreedBaseUrl: url },
      },
      "keyed-ds",
    );
    const dataset = (await loadDataset(db, summary.id))!;
    expect(dataset.altOrigin).toMatchObject({ onchain: "real", sentiment: "real" }); // the keys were used
    const { evaluation } = await storeRunFixture("keyed-run", dataset);

    // The link is compressed: what it carries is read back by decoding it.
    const link = shareFragment(evaluation.summary);
    const shared = decodeSharedRun(link);
    expect(shared.ok).toBe(true);
    const texts: [string, string][] = [
      ["share link", link],
      ["share link (decoded)", JSON.stringify(shared)],
    ];
    const bundle = unzipSync(await runBundle("keyed-run", dataset.id, evaluation, { float16: false, onnx: false }));
    expect(Object.keys(bundle)).toContain("manifest.json");
    for (const [name, bytes] of Object.entries(bundle)) texts.push([name, new TextDecoder("latin1").decode(bytes)]);
    for (const [id, metrics] of Object.entries(evaluation.metrics))
      texts.push([`evaluation_metrics.json (${id})`, evaluationMetricsJson(metrics)]);
    for (const store of ["datasets", "datasetSummaries", "runs"] as const)
      texts.push([store, JSON.stringify(await db.table(store).toArray())]);
    for (const [name, text] of texts)
      for (const key of Object.values(KEYS)) expect(text.includes(key), `${name} holds a key`).toBe(false);
    // The check itself can see a key where one is.
    expect(JSON.stringify(await db.settings.toArray())).toContain(KEYS.glassnode);
  });
});
