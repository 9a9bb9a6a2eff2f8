/** The Binance client (lib/sources/binance) against the mock Binance over loopback. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { findGaps } from "../../lib/core/candles";
import {
  BinanceError,
  WeightTracker,
  checkSymbol,
  fetchFearGreed,
  fetchFundingRates,
  fetchKlinePages,
  fetchKlines,
  type KlinePage,
} from "../../lib/sources/binance";
import { corsFetch } from "../../test/cors-fetch";
import { fakeClock } from "../../test/fake-clock";
import { startMockBinance, type MockBinance } from "./binance-server";

const H = 3_600_000;
const ORIGIN = Date.UTC(2024, 0, 1);
const NOW = Date.UTC(2024, 2, 1, 0, 30); // 2024-03-01 00:30: the 00:00 1h candle is still forming
const FORMING = Date.UTC(2024, 2, 1); // open time of the candle still forming at NOW
const fast = { retry: { baseDelayMs: 5, maxDelayMs: 20 } };

let mock: MockBinance;
beforeAll(async () => {
  mock = await startMockBinance({ syntheticOrigin: ORIGIN, faults: { now: NOW } });
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  mock.reset();
  mock.setFaults({ now: NOW });
});

const base = () => ({
  baseUrl: mock.url,
  symbol: "BTCUSDT",
  interval: "1h" as const,
  startTime: ORIGIN,
  endTime: NOW,
  now: () => NOW,
  weight: new WeightTracker(),
  ...fast,
});

async function expectError(p: Promise<unknown>): Promise<BinanceError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(BinanceError);
    return e as BinanceError;
  }
  throw new Error("expected a BinanceError");
}

describe("fetchKlines against the mock", () => {
  it("walks pages forward and returns every closed candle once", async () => {
    const pages: KlinePage[] = [];
    const weight = new WeightTracker();
    const c = await fetchKlines({ ...base(), weight, onPage: (p) => void pages.push(p) });
    const expected = (NOW - 30 * 60_000 - ORIGIN) / H; // Jan + Feb 2024 = 1440 closed hourly candles
    expect(c.openTime.length).toBe(expected);
    expect(c.openTime[0]).toBe(ORIGIN);
    expect(c.openTime[expected - 1]).toBe(NOW - 30 * 60_000 - H);
    expect(findGaps(c.openTime, H)).toEqual([]);
    expect(pages.map((p) => p.candles.openTime.length)).toEqual([1000, 440]);
    expect(pages[1].requestedFrom).toBe(ORIGIN + 1000 * H);
    expect(pages[1].done).toBe(true);
    expect(pages[1].nextStart).toBe(ORIGIN + expected * H);
    expect(weight.current()).toBeGreaterThanOrEqual(4);
    expect(mock.stats().byPathStatus["/api/v3/klines 200"]).toBe(2);
  });

  it("the page generator can stop early and resume from nextStart", async () => {
    const gen = fetchKlinePages({ ...base(), limit: 100 });
    const first = (await gen.next()).value as KlinePage;
    await gen.return();
    const rest = await fetchKlines({ ...base(), startTime: first.nextStart, limit: 1000 });
    expect(first.candles.openTime.length).toBe(100);
    expect(rest.openTime[0]).toBe(first.candles.openTime[99] + H);
    expect(first.candles.openTime.length + rest.openTime.length).toBe(1440);
  });

  it("waits out a 429 storm honouring Retry-After", async () => {
    mock.setFaults({ rateLimit: { count: 2, retryAfterS: 1 } });
    const retries: number[] = [];
    const t = Date.now();
    const c = await fetchKlines({
      ...base(),
      startTime: FORMING - 48 * H,
      onRetry: (r) => void retries.push(r.delayMs),
    });
    expect(c.openTime.length).toBe(48);
    expect(Date.now() - t).toBeGreaterThanOrEqual(2000);
    expect(retries.length).toBe(2);
    for (const d of retries) expect(d).toBeGreaterThanOrEqual(1000);
    expect(mock.stats().byStatus["429"]).toBe(2);
  });

  it("gives up on a rate limit when attempts run out, with a clear message", async () => {
    mock.setFaults({ rateLimit: { count: 5, retryAfterS: 0 } });
    const e = await expectError(fetchKlines({ ...base(), retry: { ...fast.retry, maxAttempts: 2 } }));
    expect(e.kind).toBe("rate-limited");
    expect(e.message).toMatch(/rate-limiting requests \(HTTP 429\)/);
  });

  it("does not sit out a long IP ban", async () => {
    mock.setFaults({ ban: { count: 1, retryAfterS: 7200 } });
    const t = Date.now();
    const e = await expectError(fetchKlines(base()));
    expect(Date.now() - t).toBeLessThan(1000);
    expect(e.kind).toBe("banned");
    expect(e.retryAfterS).toBe(7200);
    expect(e.message).toMatch(/banned this IP.*Retry after 7200 s/);
  });

  it("retries server errors and dropped connections", async () => {
    mock.setFaults({ serverError: { count: 2 }, drop: { count: 2 } });
    const c = await fetchKlines({ ...base(), startTime: FORMING - 24 * H });
    expect(c.openTime.length).toBe(24);
    const s = mock.stats();
    expect(s.byStatus.dropped).toBe(2);
    expect(s.byStatus["500"]).toBe(2);
    expect(s.byStatus["200"]).toBe(1);
  });

  it("reports a persistent 5xx as an http error after maxAttempts", async () => {
    mock.setFaults({ serverError: { count: 10, status: 503 } });
    const e = await expectError(fetchKlines({ ...base(), retry: { ...fast.retry, maxAttempts: 3 } }));
    expect(e.kind).toBe("http");
    expect(e.status).toBe(503);
    expect(mock.stats().total).toBe(3);
  });

  it("does not retry an invalid symbol", async () => {
    const e = await expectError(fetchKlines({ ...base(), symbol: "NOPEUSDT" }));
    expect(e.kind).toBe("invalid-symbol");
    expect(e.code).toBe(-1121);
    expect(mock.stats().total).toBe(1);
    const info = await expectError(checkSymbol(mock.url, "NOPEUSDT", fast));
    expect(info.kind).toBe("invalid-symbol");
    expect(info.message).toMatch(/Unknown symbol "NOPEUSDT"/);
    await expect(checkSymbol(mock.url, "ETHUSDT", fast)).resolves.toMatchObject({
      symbol: "ETHUSDT",
      status: "TRADING",
    });
  });

  it("aborts promptly, also during a slow response and during a backoff wait", async () => {
    mock.setFaults({ delayMs: 3000 });
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 100);
    const t = Date.now();
    const e = await expectError(fetchKlines({ ...base(), signal: ctrl.signal }));
    expect(e.kind).toBe("aborted");
    expect(Date.now() - t).toBeLessThan(1500);

    mock.setFaults({ delayMs: 0, rateLimit: { count: 1, retryAfterS: 30 } });
    const ctrl2 = new AbortController();
    setTimeout(() => ctrl2.abort(), 300);
    const e2 = await expectError(fetchKlines({ ...base(), signal: ctrl2.signal }));
    expect(e2.kind).toBe("aborted");
    expect(Date.now() - t).toBeLessThan(3000);
  });

  it("leaves a removed range as a gap the caller can find", async () => {
    const from = Date.UTC(2024, 1, 10, 5);
    // Remove 15m candles 05:15..06:45: the 05:00 and 06:00 hourly candles are incomplete, so absent.
    mock.setFaults({ gaps: [{ symbol: "BTCUSDT", from: from + 15 * 60_000, to: from + 105 * 60_000 }] });
    const c = await fetchKlines({ ...base(), startTime: Date.UTC(2024, 1, 10), endTime: Date.UTC(2024, 1, 11) - 1 });
    expect(c.openTime.length).toBe(22);
    expect(findGaps(c.openTime, H)).toEqual([{ from, to: from + H, missing: 2 }]);
    const eth = await fetchKlines({
      ...base(),
      symbol: "ETHUSDT",
      startTime: Date.UTC(2024, 1, 10),
      endTime: Date.UTC(2024, 1, 11) - 1,
    });
    expect(eth.openTime.length).toBe(24);
  });

  it("flips faults over HTTP like a browser test would", async () => {
    const r = await fetch(`${mock.url}/__control`, {
      method: "POST",
      body: JSON.stringify({ serverError: { count: 1 } }),
    });
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    expect(r.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    await fetchKlines({ ...base(), startTime: FORMING - 2 * H });
    const stats = (await (await fetch(`${mock.url}/__stats`)).json()) as { byStatus: Record<string, number> };
    expect(stats.byStatus).toEqual({ "200": 1, "500": 1 });
    const pre = await fetch(`${mock.url}/api/v3/klines`, { method: "OPTIONS" });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-expose-headers")).toMatch(/X-MBX-USED-WEIGHT-1M/);
    await fetch(`${mock.url}/__reset`, { method: "POST" });
    expect(mock.stats().total).toBe(0);
  });
});

describe("alternative data against the mock", () => {
  it("pages funding rates every 8h", async () => {
    const f = await fetchFundingRates({
      baseUrl: mock.url,
      symbol: "BTCUSDT",
      startTime: ORIGIN,
      endTime: NOW,
      limit: 50,
      ...fast,
    });
    expect(f.time.length).toBe(60 * 3);
    expect(f.time[0]).toBe(ORIGIN + 8 * H);
    for (let i = 1; i < f.time.length; i++) expect(f.time[i] - f.time[i - 1]).toBe(8 * H);
    expect(mock.stats().byPath["/fapi/v1/fundingRate"]).toBe(4);
  });

  it("reads the Fear & Greed history ascending", async () => {
    const g = await fetchFearGreed({ baseUrl: mock.url, ...fast });
    expect(g.time.length).toBe(61);
    expect(g.time[0]).toBe(ORIGIN);
    expect(g.time[1] - g.time[0]).toBe(86_400_000);
    for (const v of g.value) expect(v >= 0 && v <= 100).toBe(true);
  });
});

describe("the budget holds whether or not a page can read the rate headers (issue 17)", () => {
  // A small limit so that a few hundred requests span several minutes; the mock and the client
  // share one fake clock, so those minutes pass in milliseconds.
  const LIMIT = 100;
  const START = Date.UTC(2024, 2, 1, 0, 0, 7);

  async function mockWith(limit: number, now: () => number) {
    return startMockBinance({ syntheticOrigin: ORIGIN, faults: { now: NOW }, weightLimit: limit, clock: now });
  }

  for (const hidden of [false, true]) {
    it(`never goes over the limit with the headers ${hidden ? "hidden" : "exposed"}`, async () => {
      const clock = fakeClock(START);
      const m = await mockWith(LIMIT, clock.now);
      try {
        m.setFaults({ hideRateHeaders: hidden });
        const browser = corsFetch();
        const weight = new WeightTracker(LIMIT, { now: clock.now });
        const seen: (string | null)[] = [];
        const c = await fetchKlines({
          ...base(),
          baseUrl: m.url,
          limit: 10,
          weight,
          sleep: clock.sleep,
          fetchImpl: (async (input, init) => {
            const res = await browser.fetch(input, init);
            seen.push(res.headers.get("x-mbx-used-weight-1m"));
            return res;
          }) as typeof fetch,
        });
        expect(c.openTime.length).toBe(1440);
        const s = m.stats();
        expect(s.byPathStatus["/api/v3/klines 200"]).toBe(144);
        expect(s.byStatus["429"]).toBeUndefined();
        expect(s.peakWeight1m).toBeLessThanOrEqual(LIMIT);
        expect(s.peakWeight1m).toBeGreaterThan(LIMIT * 0.8); // it did use the budget
        // 144 requests of KLINES_WEIGHT = 288 > 2 × LIMIT: they must span at least 3 calendar minutes.
        expect(clock.now() - START).toBeGreaterThan(2 * 60_000);
        expect(seen.every((v) => (hidden ? v === null : v !== null))).toBe(true);
        expect(browser.preflights).toEqual([]);
      } finally {
        await m.close();
      }
    });
  }

  for (const hidden of [false, true]) {
    it(`after a 429 waits for the window's end (Retry-After ${hidden ? "hidden" : "exposed"})`, async () => {
      // The mock allows 20 a minute while the client believes 6000 (e.g. another program spent
      // the rest): the 11th request of weight 2 gets a 429.
      const clock = fakeClock(START);
      const m = await mockWith(20, clock.now);
      try {
        m.setFaults({ hideRateHeaders: hidden });
        const retries: number[] = [];
        const c = await fetchKlines({
          ...base(),
          baseUrl: m.url,
          startTime: FORMING - 15 * H,
          limit: 1,
          weight: new WeightTracker(6000, { now: clock.now }),
          sleep: clock.sleep,
          fetchImpl: corsFetch().fetch,
          onRetry: (r) => void retries.push(r.delayMs),
        });
        expect(c.openTime.length).toBe(15);
        expect(m.stats().byStatus["429"]).toBe(1);
        expect(retries).toHaveLength(1);
        // 53 s were left in the minute; a quick retry (0.2 s before the fix) would have earned more 429s.
        expect(retries[0]).toBeGreaterThanOrEqual(53_000);
        expect(retries[0]).toBeLessThan(54_600);
        expect(clock.now()).toBeGreaterThanOrEqual(Date.UTC(2024, 2, 1, 0, 1));
      } finally {
        await m.close();
      }
    });
  }
});

describe("bans, headers and bad rows against the mock (issue 17)", () => {
  it("stops at a 418 without Retry-After and sends nothing more while the ban lasts", async () => {
    mock.setFaults({ ban: { count: 1 } });
    const weight = new WeightTracker();
    const e = await expectError(fetchKlines({ ...base(), weight }));
    expect(e.kind).toBe("banned");
    expect(e.message).toMatch(/2 minutes up to 3 days/);
    expect(e.retryAt).toBeGreaterThan(Date.now() + 100_000);
    expect(mock.stats().total).toBe(1);
    const again = await expectError(checkSymbol(mock.url, "BTCUSDT", { ...fast, weight }));
    expect(again.kind).toBe("banned");
    expect(mock.stats().total).toBe(1);
  });

  it("no client call needs a CORS preflight", async () => {
    const browser = corsFetch();
    const opts = { ...fast, fetchImpl: browser.fetch };
    await fetchKlines({ ...base(), startTime: FORMING - 2 * H, ...opts });
    await checkSymbol(mock.url, "BTCUSDT", opts);
    await fetchFundingRates({ baseUrl: mock.url, symbol: "BTCUSDT", startTime: ORIGIN, endTime: NOW, ...opts });
    await fetchFearGreed({ baseUrl: mock.url, ...opts });
    expect(mock.stats().total).toBe(4);
    expect(browser.preflights).toEqual([]);
  });

  it("reports candles it will not store: invalid rows and repeats with other values", async () => {
    const from = FORMING - 6 * H;
    mock.setFaults({
      tamper: [
        { openTime: from + H, set: { high: "1.00000000" } }, // high below low
        { openTime: from + 2 * H, set: { volume: "-5" } },
        { openTime: from + 3 * H, repeatWith: { volume: "999.00000000" } },
      ],
    });
    const pages: KlinePage[] = [];
    const c = await fetchKlines({ ...base(), startTime: from, onPage: (p) => void pages.push(p) });
    expect(Array.from(c.openTime)).toEqual([0, 3, 4, 5].map((k) => from + k * H));
    expect(c.volume[1]).not.toBe(999); // the first version is kept
    expect(pages).toHaveLength(1);
    expect(pages[0].report.rejected).toBe(2);
    expect(pages[0].report.firstRejected?.openTime).toBe(from + H);
    expect(pages[0].report.firstRejected?.problem).toMatch(/^high 1 is below low /);
    expect(pages[0].report.conflicts).toBe(1);
    expect(pages[0].report.firstConflict).toBe(from + 3 * H);
  });
});
