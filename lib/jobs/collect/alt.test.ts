import "fake-indexeddb/auto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readAltSeries } from "../../db/alt";
import type { StudioDb } from "../../db/schema";
import { freshDb } from "@/test/db";
import { fetchAltIntoStore, importAltFiles, missingAltRanges, storedAltInputs, type FetchAltArgs } from "./alt";

const H8 = 8 * 3_600_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);
const NOW = Date.UTC(2024, 5, 1);
const fixture = (name: string) => ({
  name,
  data: new Uint8Array(readFileSync(path.join(__dirname, "../../../test/alt", name))),
});

let db: StudioDb;
const servers: Server[] = [];
afterEach(async () => {
  await db?.delete();
  await Promise.all(
    servers.splice(0).map((s) => {
      s.closeAllConnections();
      return new Promise((r) => s.close(r));
    }),
  );
});

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** A loopback server that accepts connections and never answers (an unreachable host as a browser sees it). */
async function silentServer(): Promise<string> {
  const s = createServer(() => {});
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

/** A fetch answering funding pages (every 8h in the asked range) and the Fear & Greed history; counts calls. */
function fakeSources() {
  const calls: string[] = [];
  const fetchImpl = (async (input: string | URL) => {
    const url = new URL(String(input));
    calls.push(url.pathname);
    if (url.pathname === "/fapi/v1/fundingRate") {
      const from = Number(url.searchParams.get("startTime"));
      const to = Number(url.searchParams.get("endTime"));
      const rows = [];
      for (let t = Math.ceil(from / H8) * H8; t <= to && rows.length < 1000; t += H8)
        rows.push({ symbol: "BTCUSDT", fundingTime: t + 1, fundingRate: "0.00010000" });
      return new Response(JSON.stringify(rows));
    }
    const data = [];
    for (let t = T0 - 30 * DAY; t < NOW; t += DAY) data.push({ value: "40", timestamp: String(t / 1000) });
    return new Response(JSON.stringify({ data: data.reverse() }));
  }) as typeof fetch;
  return { calls, fetchImpl };
}

const args = (over: Partial<FetchAltArgs> = {}): FetchAltArgs => ({
  symbol: "BTCUSDT",
  range: { from: T0, to: T0 + 10 * DAY },
  sources: ["funding", "fearGreed", "onchain", "sentiment"],
  futuresBaseUrl: "http://futures.test",
  fearGreedBaseUrl: "http://fng.test",
  ...over,
});

describe("alternative data into the store", () => {
  it("fetches only what is not stored: a second fetch of the same range sends nothing", async () => {
    db = freshDb();
    const { calls, fetchImpl } = fakeSources();
    const first = await fetchAltIntoStore(db, args(), { fetchImpl, now: NOW });
    expect(first.map((o) => [o.source, o.state])).toEqual([
      ["funding", "fetched"],
      ["fearGreed", "fetched"],
      ["onchain", "no-key"],
      ["sentiment", "no-key"],
    ]);
    expect(first[0].added).toBe(31);
    const sent = calls.length;
    const again = await fetchAltIntoStore(db, args(), { fetchImpl, now: NOW });
    expect(again.map((o) => o.state)).toEqual(["stored", "stored", "no-key", "no-key"]);
    expect(calls.length).toBe(sent);
    // The 1 ms jitter is normalised away: one value per funding time.
    const f = (await readAltSeries(db, "funding", "BTCUSDT"))!;
    expect(f.time[0]).toBe(T0);
    // A longer range asks only for the new part.
    calls.length = 0;
    await fetchAltIntoStore(db, args({ range: { from: T0, to: T0 + 12 * DAY }, sources: ["funding"] }), {
      fetchImpl,
      now: NOW,
    });
    expect(calls).toEqual(["/fapi/v1/fundingRate"]);
    expect((await readAltSeries(db, "funding", "BTCUSDT"))!.time.length).toBe(37);
  });

  it("an imported file counts as stored: only the rest of the range is fetched", async () => {
    db = freshDb();
    await importAltFiles(db, [fixture("BTCUSDT-funding-rate.csv")], { now: NOW });
    const covered = (await readAltSeries(db, "funding", "BTCUSDT"))!.covered;
    const file = { from: Date.UTC(2019, 8, 14, 8), to: Date.UTC(2019, 8, 17) };
    expect(covered).toEqual([file]);
    expect(missingAltRanges("funding", { from: file.from - H8, to: file.to + H8 }, covered, NOW)).toEqual([
      { from: file.from - H8, to: file.from - H8 },
      { from: file.to + H8, to: file.to + H8 },
    ]);
  });

  it("a refused connection fails at once and the stored values are used", async () => {
    db = freshDb();
    await importAltFiles(db, [fixture("BTCUSDT-funding-rate.csv"), fixture("fear-greed-index.csv")], { now: NOW });
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const range = { from: Date.UTC(2018, 3, 1), to: Date.UTC(2019, 8, 20) };
    const started = performance.now();
    const out = await fetchAltIntoStore(db, args({ range, futuresBaseUrl: url, fearGreedBaseUrl: url }));
    const ms = performance.now() - started;
    expect(out.map((o) => o.state)).toEqual(["failed", "failed", "no-key", "no-key"]);
    expect(out[0].message).toMatch(/^Funding rate: Could not reach 127\.0\.0\.1/);
    expect(ms).toBeLessThan(3000);
    const { counts } = await storedAltInputs(db, "BTCUSDT", range);
    expect(counts).toEqual({ funding: 8, fearGreed: 9 });
  });

  it("a server that never answers is given up after the request timeout", async () => {
    db = freshDb();
    const url = await silentServer();
    const started = performance.now();
    const out = await fetchAltIntoStore(db, args({ futuresBaseUrl: url, fearGreedBaseUrl: url }), {
      timeoutMs: 300,
      now: NOW,
    });
    const ms = performance.now() - started;
    expect(out.slice(0, 2).map((o) => o.state)).toEqual(["failed", "failed"]);
    expect(out[1].message).toMatch(/timed out/);
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(1500);
  });

  it("is cancellable", async () => {
    db = freshDb();
    const url = await silentServer();
    const ctrl = new AbortController();
    const run = fetchAltIntoStore(db, args({ futuresBaseUrl: url, fearGreedBaseUrl: url }), {
      signal: ctrl.signal,
      now: NOW,
    });
    setTimeout(() => ctrl.abort(), 50);
    await expect(run).rejects.toThrow(/Cancelled/);
  });

  it("imports files, deduplicated on a second import", async () => {
    db = freshDb();
    const [f] = await importAltFiles(db, [fixture("BTCUSDT-funding-rate.csv")]);
    expect([f.kind, f.symbol, f.added, f.series.gaps.length]).toEqual(["funding", "BTCUSDT", 8, 1]);
    const [g] = await importAltFiles(db, [fixture("fear-greed-index.csv")]);
    expect(g.series.gaps).toEqual([{ from: Date.UTC(2018, 3, 14), to: Date.UTC(2018, 3, 16), missing: 3 }]);
    const [again] = await importAltFiles(db, [fixture("BTCUSDT-funding-rate.csv")]);
    expect([again.added, again.duplicates]).toEqual([0, 8]);
  });

  it("refuses a funding file that names no pair, storing nothing", async () => {
    db = freshDb();
    const data = new TextEncoder().encode("fundingTime,fundingRate\n1704067200000,0.0001\n");
    await expect(importAltFiles(db, [fixture("fear-greed-index.csv"), { name: "rates.csv", data }])).rejects.toThrow(
      /^rates\.csv: the pair could not be read/,
    );
    expect(await db.altSeries.count()).toBe(0);
  });
});
