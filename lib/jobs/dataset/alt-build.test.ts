/**
 * Issue 16: an offline build waited ~20 s for funding and Fear & Greed fetches that could not
 * succeed, and could not use the files at hand. A build now reads the store first; unreachable
 * sources cost at most one short request each, and the stored values are used.
 */
import "fake-indexeddb/auto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { defaultBuildSpec } from "@/lib/core/build-spec";
import { loadDataset, storeAltValues, storeCandles, setApiKey, type StudioDb } from "@/lib/db";
import { freshDb } from "@/test/db";
import { fixtureMarket } from "@/test/market";
import { buildDatasetFromStore, type AltMode } from "./build-from-store";

let db: StudioDb;
afterEach(() => db?.delete());

const args = (alt: AltMode) => ({
  ...defaultBuildSpec(),
  window: 24,
  splitSpec: { train: 0.7, val: 0.15, test: 0.15 },
  source: "file" as const,
  symbol: "BTCUSDT",
  name: "t",
  alt,
});

async function closedUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}`;
}

async function storeMarket(withAlt: boolean): Promise<void> {
  const m = fixtureMarket(4 * 24 * 40, 3);
  await storeCandles(db, { key: { source: "file", symbol: "BTCUSDT", interval: "15m" }, candles: m.candles["15m"] });
  if (!withAlt) return;
  const pts = (p: { time: number; value: number }[]) => ({ time: p.map((x) => x.time), value: p.map((x) => x.value) });
  await storeAltValues(db, { source: "funding", symbol: "BTCUSDT", ...pts(m.funding), origin: "file" });
  await storeAltValues(db, { source: "fearGreed", symbol: "MARKET", ...pts(m.fearGreed), origin: "file" });
}

describe("a build's alternative data", () => {
  it("with unreachable sources uses the stored values and adds under 3 s", async () => {
    db = freshDb();
    await storeMarket(true);
    await setApiKey(db, "glassnode", "k"); // a keyed source with a key but no reachable server
    await db.settings.update("studio", (s) => {
      (s.value as Record<string, unknown>).glassnodeBaseUrl = "http://127.0.0.1:1";
    });
    const t0 = performance.now();
    await buildDatasetFromStore(db, args({ mode: "stored" }), "a");
    const storedMs = performance.now() - t0;
    const url = await closedUrl();
    const t1 = performance.now();
    const r = await buildDatasetFromStore(db, args({ mode: "fetch", futuresBaseUrl: url, fearGreedBaseUrl: url }), "b");
    const fetchMs = performance.now() - t1;
    console.log(`alt build: stored-only ${storedMs.toFixed(0)} ms, with unreachable sources ${fetchMs.toFixed(0)} ms`);
    expect(fetchMs - storedMs).toBeLessThan(3000);
    expect(r.notes.filter((n) => /could not reach/i.test(n))).toHaveLength(3);
    expect(r.notes.some((n) => /^Funding rate: .*The stored values are used\.$/.test(n))).toBe(true);
    const ds = (await loadDataset(db, "b"))!;
    expect(ds.altOrigin).toEqual({ funding: "real", fearGreed: "real", onchain: "fallback", sentiment: "fallback" });
    expect(ds.fallbackFeatures).toEqual(["alt_onchain_score", "alt_sentiment_score"]);
  });

  it("with sources that accept connections and never answer, adds one request timeout (under 3 s)", async () => {
    db = freshDb();
    await storeMarket(true);
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const t0 = performance.now();
      await buildDatasetFromStore(db, args({ mode: "stored" }), "a");
      const storedMs = performance.now() - t0;
      const t1 = performance.now();
      const r = await buildDatasetFromStore(
        db,
        args({ mode: "fetch", futuresBaseUrl: url, fearGreedBaseUrl: url }),
        "b",
      );
      const fetchMs = performance.now() - t1;
      console.log(`alt build: stored-only ${storedMs.toFixed(0)} ms, with silent sources ${fetchMs.toFixed(0)} ms`);
      expect(fetchMs - storedMs).toBeLessThan(3000);
      expect(r.notes.filter((n) => /timed out after 2 s/.test(n))).toHaveLength(2);
    } finally {
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
    }
  });

  it("without stored values falls back and says so; synthetic alt data on real candles is recorded", async () => {
    db = freshDb();
    await storeMarket(false);
    const r = await buildDatasetFromStore(db, args({ mode: "stored" }), "c");
    expect(r.notes).toContain("Funding rate: nothing stored for this period; its features use the neutral fallback.");
    expect((await loadDataset(db, "c"))!.fallbackFeatures).toContain("alt_funding_rate");
    await buildDatasetFromStore(db, args({ mode: "synthetic", seed: 1 }), "d");
    expect((await loadDataset(db, "d"))!.altOrigin?.funding).toBe("synthetic");
  });
});
