/** The keyed alternative sources (lib/sources/alt/keyed) against the mock's Glassnode- and LunarCrush-like endpoints. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BinanceError } from "../../lib/sources/binance";
import { fetchOnchainScore, fetchSentimentScore } from "../../lib/sources/alt/keyed";
import { corsFetch } from "../../test/cors-fetch";
import { MOCK_API_KEYS, startMockBinance, type MockBinance } from "./binance-server";

const DAY = 86_400_000;
const NOW = Date.UTC(2024, 2, 1, 0, 30);
const START = Date.UTC(2024, 1, 1);

let mock: MockBinance;
beforeAll(async () => {
  mock = await startMockBinance({ faults: { now: NOW } });
});
afterAll(async () => {
  await mock.close();
});

const browser = corsFetch();
const opts = (apiKey: string) => ({
  baseUrl: mock.url,
  apiKey,
  symbol: "BTCUSDT",
  startTime: START,
  endTime: NOW,
  fetchImpl: browser.fetch,
  retry: { maxAttempts: 1 },
});

describe("keyed sources", () => {
  it("Glassnode-like: daily scores in -1..1 for finished days only, no preflight", async () => {
    const s = await fetchOnchainScore(opts(MOCK_API_KEYS.glassnode));
    expect(s.time[0]).toBe(START);
    expect(s.time[s.time.length - 1]).toBe(NOW - 30 * 60_000 - DAY); // Feb 29: the last finished day
    for (const v of s.value) expect(Math.abs(v)).toBeLessThan(1);
    expect(browser.preflights).toEqual([]);
  });

  it("LunarCrush-like: hourly scores in -1..1", async () => {
    const s = await fetchSentimentScore(opts(MOCK_API_KEYS.lunarcrush));
    expect(s.time.length).toBe(29 * 24);
    for (const v of s.value) expect(Math.abs(v)).toBeLessThanOrEqual(0.4);
  });

  it("a wrong key is refused with a message that names the source, never the key", async () => {
    for (const run of [fetchOnchainScore, fetchSentimentScore]) {
      const err = await run(opts("wrong-secret-key")).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BinanceError);
      expect((err as Error).message).toMatch(/refused the API key \(HTTP 401\)/);
      expect(JSON.stringify({ ...(err as object), message: (err as Error).message })).not.toContain("wrong-secret");
    }
  });
});
