import { describe, expect, it } from "vitest";
import { corsFetch } from "../../../test/cors-fetch";
import { fakeClock } from "../../../test/fake-clock";
import { BinanceError, isAbortError } from "./errors";
import { MIN_BAN_MS, REQUEST_HEADERS, buildUrl, getJson } from "./http";
import { fetchKlinePages, pageLimit, parseKlineRows, type KlinePage } from "./klines";
import { BINANCE_BASE_URLS, validateBaseUrl, validateRange, validateSymbol } from "./validate";
import { WINDOW_MARGIN_MS, WeightTracker, parseUsedWeight } from "./weight";

type Reply = { status: number; body: string; headers?: Record<string, string> } | Error;

/** A fetch that plays back `replies` in order and records the URLs asked for. */
function scripted(replies: Reply[]) {
  const urls: string[] = [];
  const impl = (async (input: RequestInfo | URL) => {
    urls.push(String(input));
    const r = replies.shift();
    if (!r) throw new Error("no more replies");
    if (r instanceof Error) throw r;
    return new Response(r.body, { status: r.status, headers: r.headers });
  }) as typeof fetch;
  return { impl, urls };
}

async function caught(p: Promise<unknown>): Promise<BinanceError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof BinanceError) return e;
    throw e;
  }
  throw new Error("expected a BinanceError");
}

const ok = (body: unknown, headers: Record<string, string> = {}) => ({
  status: 200,
  body: JSON.stringify(body),
  headers,
});

describe("getJson retry policy", () => {
  it("retries 5xx and network errors with capped exponential full-jitter backoff", async () => {
    const { impl, urls } = scripted([
      { status: 502, body: "" },
      new TypeError("fetch failed"),
      { status: 500, body: "" },
      new TypeError("terminated"),
      ok({ a: 1 }),
    ]);
    const delays: number[] = [];
    const out = await getJson("http://x/api", 1, {
      fetchImpl: impl,
      random: () => 0.5,
      retry: { baseDelayMs: 4, maxDelayMs: 10 },
      weight: new WeightTracker(),
      onRetry: (r) => void delays.push(r.delayMs),
    });
    expect(out).toEqual({ a: 1 });
    expect(urls.length).toBe(5);
    // 0.5 * min(10, 4 * 2^k): 2, 4, 5, 5
    expect(delays).toEqual([2, 4, 5, 5]);
  });

  it("stops after maxAttempts with a network error users can read", async () => {
    const { impl } = scripted([new TypeError("fetch failed"), new TypeError("fetch failed")]);
    const e = await caught(
      getJson("http://example.test/api", 1, {
        fetchImpl: impl,
        retry: { maxAttempts: 2, baseDelayMs: 1 },
        weight: new WeightTracker(),
      }),
    );
    expect(e.kind).toBe("network");
    expect(e.message).toMatch(/Could not reach example\.test/);
  });

  it("times out a hung request as a network error", async () => {
    const hang = ((_: RequestInfo | URL, init?: RequestInit) =>
      new Promise((_, reject) =>
        init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))),
      )) as typeof fetch;
    const e = await caught(
      getJson("http://x/api", 1, {
        fetchImpl: hang,
        retry: { maxAttempts: 1, timeoutMs: 30 },
        weight: new WeightTracker(),
      }),
    );
    expect(e.kind).toBe("network");
    expect(e.message).toMatch(/timed out/);
  });

  it("does not retry other 4xx and shows Binance's message", async () => {
    const { impl, urls } = scripted([
      { status: 400, body: JSON.stringify({ code: -1100, msg: "Illegal characters found in parameter 'symbol'." }) },
    ]);
    const e = await caught(getJson("http://x/api", 1, { fetchImpl: impl, weight: new WeightTracker() }));
    expect(urls.length).toBe(1);
    expect(e.kind).toBe("http");
    expect(e.code).toBe(-1100);
    expect(e.message).toMatch(/Illegal characters/);
  });

  it("reports non-JSON answers as bad-response without retrying", async () => {
    const { impl, urls } = scripted([{ status: 200, body: "<html>portal</html>" }]);
    const e = await caught(getJson("http://x/api", 1, { fetchImpl: impl, weight: new WeightTracker() }));
    expect(e.kind).toBe("bad-response");
    expect(urls.length).toBe(1);
  });

  it("honours Retry-After on 429 and records the weight header", async () => {
    const { impl } = scripted([
      { status: 429, body: "{}", headers: { "Retry-After": "0.05", "X-MBX-USED-WEIGHT-1M": "100" } },
      ok([], { "x-mbx-used-weight-1m": "12" }),
    ]);
    const weight = new WeightTracker();
    const delays: number[] = [];
    await getJson("http://x/api", 1, {
      fetchImpl: impl,
      weight,
      random: () => 0,
      onRetry: (r) => void delays.push(r.delayMs),
    });
    expect(delays).toEqual([50]);
    expect(weight.current()).toBe(12);
  });

  it("aborts before sending when the signal already fired", async () => {
    const { impl, urls } = scripted([ok({})]);
    const ctrl = new AbortController();
    ctrl.abort();
    const e = await caught(getJson("http://x/api", 1, { fetchImpl: impl, signal: ctrl.signal }));
    expect(isAbortError(e)).toBe(true);
    expect(urls.length).toBe(0);
  });
});

describe("WeightTracker", () => {
  it("paces near the 6000/min budget and waits for the next minute at the top", () => {
    const w = new WeightTracker();
    const t = Date.UTC(2024, 0, 1, 0, 0, 30); // 30 s into a minute
    w.update(new Headers({ "X-MBX-USED-WEIGHT-1M": "1000" }), t);
    expect(w.delayBefore(2, t)).toBe(0);
    w.update(new Headers({ "X-MBX-USED-WEIGHT-1M": "5000" }), t);
    const paced = w.delayBefore(2, t);
    expect(paced).toBeGreaterThan(0);
    expect(paced).toBeLessThan(1000);
    w.update(new Headers({ "X-MBX-USED-WEIGHT-1M": "5699" }), t);
    expect(w.delayBefore(2, t)).toBe(30_000 + 250);
    // A new minute resets Binance's counter.
    expect(w.current(t + 30_000)).toBe(0);
    expect(w.delayBefore(2, t + 30_000)).toBe(0);
  });
});

const row = (t: number, c = 100) => [
  t,
  String(c - 1),
  String(c + 1),
  String(c - 2),
  String(c),
  "5",
  t + 59_999,
  "500",
  7,
  "2.5",
  "250",
  "0",
];

describe("klines parsing and paging", () => {
  it("parses Binance's 12-field rows", () => {
    const c = parseKlineRows([row(60_000, 100), [120_000, 1, 2, 0.5, 1.5, 3, 179_999, 4.5, 2, "", "0", "0"]]);
    expect(Array.from(c.openTime)).toEqual([60_000, 120_000]);
    expect(Array.from(c.close)).toEqual([100, 1.5]);
    expect(c.trades[0]).toBe(7);
    expect(c.takerBuyBase[0]).toBe(2.5);
    expect(Number.isNaN(c.takerBuyBase[1])).toBe(true);
    expect(() => parseKlineRows({})).toThrow(BinanceError);
    expect(() => parseKlineRows([[1, "x", 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]])).toThrow(/Kline 0/);
  });

  it("drops the still-forming candle and stops on a short page", async () => {
    const m = 60_000;
    const { impl, urls } = scripted([ok([row(0), row(m)]), ok([row(2 * m), row(3 * m)]), ok([row(4 * m), row(5 * m)])]);
    const pages: KlinePage[] = [];
    for await (const p of fetchKlinePages({
      baseUrl: "http://x/",
      symbol: "BTCUSDT",
      interval: "1m",
      startTime: 0,
      endTime: 10 * m,
      limit: 2,
      now: () => 5 * m + 30_000,
      fetchImpl: impl,
      weight: new WeightTracker(),
    }))
      pages.push(p);
    expect(pages.map((p) => Array.from(p.candles.openTime))).toEqual([[0, m], [2 * m, 3 * m], [4 * m]]);
    expect(pages[2].done).toBe(true);
    expect(pages[2].nextStart).toBe(5 * m);
    expect(urls[1]).toBe("http://x/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=120000&endTime=600000&limit=2");
  });

  it("keeps walking when a mirror caps pages below the limit; an empty page ends the walk", async () => {
    const m = 60_000;
    // Asked for 1000 per page, the server gives 2: stopping at the first short page would lose 0..3.
    const { impl, urls } = scripted([ok([row(0), row(m)]), ok([row(2 * m), row(3 * m)]), ok([])]);
    const got: number[] = [];
    for await (const p of fetchKlinePages({
      baseUrl: "http://x/",
      symbol: "BTCUSDT",
      interval: "1m",
      startTime: 0,
      endTime: 10 * m,
      now: () => 100 * m,
      fetchImpl: impl,
      weight: new WeightTracker(),
    }))
      got.push(...p.candles.openTime);
    expect(got).toEqual([0, m, 2 * m, 3 * m]);
    expect(urls).toHaveLength(3);
  });
});

describe("page alignment to storage chunks", () => {
  it("shortens only the first page, so every later page starts on a chunk boundary", async () => {
    const m = 60_000;
    const span = 4 * m; // a 4-candle chunk
    const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => row(from + i * m));
    const { impl, urls } = scripted([ok(rows(m, 3)), ok(rows(4 * m, 4)), ok(rows(8 * m, 3))]);
    const got: number[] = [];
    for await (const p of fetchKlinePages({
      baseUrl: "http://x/",
      symbol: "BTCUSDT",
      interval: "1m",
      startTime: m,
      endTime: 10 * m,
      limit: 4,
      alignTo: span,
      now: () => 100 * m,
      fetchImpl: impl,
      weight: new WeightTracker(),
    }))
      got.push(...p.candles.openTime);
    expect(got).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((k) => k * m));
    expect(urls.map((u) => new URL(u).searchParams.get("limit"))).toEqual(["3", "4", "4"]);
    expect(urls.map((u) => Number(new URL(u).searchParams.get("startTime")) % span)).toEqual([m, 0, 0]);
  });
  it("computes page sizes up to the boundary, never below one candle", () => {
    expect(pageLimit(0, 1000, 1, 1000)).toBe(1000);
    expect(pageLimit(999, 1000, 1, 1000)).toBe(1);
    expect(pageLimit(250, 1000, 1, 1000)).toBe(750);
    expect(pageLimit(250, 500, 1, 1000)).toBe(500);
    expect(pageLimit(250, 500, 1)).toBe(500);
  });
});

describe("validation messages", () => {
  it("checks symbols, ranges and base URLs", () => {
    expect(validateSymbol("BTCUSDT")).toBeNull();
    expect(validateSymbol("")).toMatch(/Enter a symbol/);
    expect(validateSymbol("BTC/USDT")).toMatch(/without separators/);
    expect(validateSymbol("B$")).toMatch(/letters or digits/);
    const now = Date.UTC(2024, 5, 1);
    expect(validateRange(Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1), "1h", now)).toBeNull();
    expect(validateRange(Date.UTC(2024, 1, 1), Date.UTC(2024, 0, 1), "1h", now)).toMatch(/start date must be before/);
    expect(validateRange(Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 1), "1h", now)).toMatch(/end date is in the future/);
    expect(validateRange(Date.UTC(2024, 6, 1), Date.UTC(2024, 7, 1), "1h", now)).toMatch(/start date is in the future/);
    expect(validateBaseUrl(BINANCE_BASE_URLS[1])).toBeNull();
    expect(validateBaseUrl("api.binance.com")).toMatch(/not a URL/);
    // The CSP allows http only on loopback: say so now rather than fail with "could not reach".
    expect(validateBaseUrl("http://127.0.0.1:9100")).toBeNull();
    expect(validateBaseUrl("http://192.168.1.5:8080")).toMatch(/http:\/\/ works only for a mirror on this computer/);
    expect(buildUrl("http://127.0.0.1:9/", "/fng/", { limit: 0, x: undefined })).toBe(
      "http://127.0.0.1:9/fng/?limit=0",
    );
  });
});

describe("bans and rate limits (issue 17)", () => {
  const T = Date.UTC(2024, 2, 1, 12, 0, 20); // 20 s into a minute

  it("does not retry a 418 without Retry-After, says when to try again, and sends nothing until then", async () => {
    const clock = fakeClock(T);
    const weight = new WeightTracker(6000, { now: clock.now });
    const { impl, urls } = scripted([
      { status: 418, body: JSON.stringify({ code: -1003, msg: "Way too many requests; IP banned." }) },
      ok({}),
      ok({}),
    ]);
    const opts = { fetchImpl: impl, weight, sleep: clock.sleep };
    const e = await caught(getJson("http://api.example.test/api/v3/klines", 2, opts));
    expect(urls).toHaveLength(1);
    expect(clock.slept).toEqual([]);
    expect(e.kind).toBe("banned");
    expect(e.retryAt).toBe(T + MIN_BAN_MS);
    expect(e.message).toMatch(/HTTP 418/);
    expect(e.message).toMatch(/from 2 minutes up to 3 days/);
    expect(e.message).toMatch(/try again after 2024-03-01 12:03 UTC at the earliest/);

    // Another call while the ban lasts fails at once without a request (it would lengthen the ban).
    const again = await caught(getJson("http://api.example.test/api/v3/exchangeInfo", 20, opts));
    expect(again.kind).toBe("banned");
    expect(again.message).toMatch(/nothing is sent to it before 2024-03-01 12:03 UTC/);
    expect(urls).toHaveLength(1);
    // Once the assumed ban is over, requests go out again.
    await clock.sleep(MIN_BAN_MS);
    await expect(getJson("http://api.example.test/api/v3/klines", 2, opts)).resolves.toEqual({});
    expect(urls).toHaveLength(2);
  });

  it("waits out the rest of the rate-limit window after a 429 without Retry-After, and holds other callers", async () => {
    const clock = fakeClock(T);
    const weight = new WeightTracker(6000, { now: clock.now });
    const { impl, urls } = scripted([{ status: 429, body: "{}" }, ok({ a: 1 })]);
    const delays: number[] = [];
    const heldOthers: number[] = [];
    const out = await getJson("http://x/api", 2, {
      fetchImpl: impl,
      weight,
      sleep: clock.sleep,
      random: () => 0.5,
      onRetry: (r) => {
        delays.push(r.delayMs);
        heldOthers.push(weight.delayBefore(1));
      },
    });
    expect(out).toEqual({ a: 1 });
    expect(urls).toHaveLength(2);
    // 40 s left in the minute, the skew margin, and 0.5 * 250 ms of jitter (not 0.2 s of backoff).
    expect(delays).toEqual([40_000 + WINDOW_MARGIN_MS + 125]);
    expect(heldOthers[0]).toBe(delays[0]);
    expect(clock.now()).toBeGreaterThanOrEqual(Date.UTC(2024, 2, 1, 12, 1));
  });
});

describe("request headers", () => {
  it("sends only CORS-safelisted headers, so a browser needs no preflight", async () => {
    const { impl } = scripted([ok({}, { "Access-Control-Allow-Origin": "*" })]);
    const browser = corsFetch(impl);
    await getJson("http://x/api", 1, { fetchImpl: browser.fetch, weight: new WeightTracker() });
    expect(browser.preflights).toEqual([]);
    expect(Object.keys(REQUEST_HEADERS)).toEqual(["Accept"]);
  });

  it("the browser check itself flags a header that forces a preflight", async () => {
    const { impl } = scripted([ok({}, { "Access-Control-Allow-Origin": "*" })]);
    const browser = corsFetch(impl);
    await browser.fetch("http://x/api", { headers: { "X-MBX-APIKEY": "k", Accept: "application/json" } });
    expect(browser.preflights).toEqual(["http://x/api: header x-mbx-apikey: k"]);
  });
});

describe("WeightTracker counts locally and reads the header strictly", () => {
  const t = Date.UTC(2024, 0, 1, 0, 0, 30);

  it("accepts only a non-negative decimal integer as the used weight", () => {
    expect(parseUsedWeight("12")).toBe(12);
    expect(parseUsedWeight("0")).toBe(0);
    for (const bad of [null, "", "-5", "0x10", "1e3", "12.5", " 12", "12abc", "Infinity"])
      expect(parseUsedWeight(bad)).toBeNull();
  });

  it("a malformed header leaves pacing on (a negative one used to switch it off)", () => {
    const w = new WeightTracker();
    w.update(new Headers({ "X-MBX-USED-WEIGHT-1M": "5699" }), t);
    for (const bad of ["-1", "0x10", "1e1", ""]) {
      w.update(new Headers({ "X-MBX-USED-WEIGHT-1M": bad }), t);
      expect(w.delayBefore(2, t)).toBe(30_000 + WINDOW_MARGIN_MS);
    }
  });

  it("paces by its own count when the header cannot be read, and by the larger of the two", () => {
    const w = new WeightTracker(100);
    for (let i = 0; i < 47; i++) w.charge(2, t + i); // 94 of 100; hard stop at 95
    expect(w.current(t + 46)).toBe(94);
    // The next request waits until the oldest one leaves the 60 s window.
    expect(w.delayBefore(2, t + 46)).toBe(60_000 - 46);
    expect(w.delayBefore(2, t + 60_000)).toBeGreaterThan(0); // 93 left: spread, not a burst
    expect(w.delayBefore(2, t + 60_000)).toBeLessThan(60_000);
    expect(w.current(t + 60_046)).toBe(0);

    // A header above the local count wins (another tab spent the budget) ...
    const h = new WeightTracker(100);
    h.charge(2, t);
    h.update(new Headers({ "X-MBX-USED-WEIGHT-1M": "94" }), t);
    expect(h.current(t)).toBe(94);
    expect(h.delayBefore(2, t)).toBe(30_000 + WINDOW_MARGIN_MS);
    // ... and a header below it does not lower it.
    const l = new WeightTracker(100);
    for (let i = 0; i < 47; i++) l.charge(2, t);
    l.update(new Headers({ "X-MBX-USED-WEIGHT-1M": "3" }), t);
    expect(l.current(t)).toBe(94);
    expect(l.delayBefore(2, t)).toBe(60_000);
  });
});

describe("klines pages are screened like CSV rows (issue 17)", () => {
  it("leaves out invalid rows and repeats, reports them, and keeps paging from what was received", async () => {
    const m = 60_000;
    const bad = (t: number, patch: Record<number, unknown>) => {
      const r: unknown[] = row(t);
      for (const [k, v] of Object.entries(patch)) r[Number(k)] = v;
      return r;
    };
    const { impl, urls } = scripted([
      ok([
        row(0),
        bad(m, { 2: "90", 3: "95" }), // high below low
        bad(2 * m, { 1: "-1" }), // negative open
        row(3 * m),
        bad(3 * m, { 4: "100.5" }), // the 3m candle again, other close: a conflict
        row(3 * m), // an exact repeat: dropped silently
      ]),
      {
        status: 200,
        // A JSON number too big for a double parses as Infinity: not malformed, but not a price either.
        body: JSON.stringify([bad(4 * m, { 5: "-3" }), row(5 * m), bad(6 * m, { 2: "HUGE" })]).replace(
          '"HUGE"',
          "1e400",
        ),
      },
      ok([]),
    ]);
    const pages: KlinePage[] = [];
    for await (const p of fetchKlinePages({
      baseUrl: "http://x/",
      symbol: "BTCUSDT",
      interval: "1m",
      startTime: 0,
      endTime: 100 * m,
      limit: 6,
      now: () => 1000 * m,
      fetchImpl: impl,
      weight: new WeightTracker(),
    }))
      pages.push(p);
    expect(pages.map((p) => Array.from(p.candles.openTime))).toEqual([[0, 3 * m], [5 * m], []]);
    expect(pages[0].candles.close[1]).toBe(100);
    expect(pages[0].report).toEqual({
      rejected: 2,
      firstRejected: { openTime: m, problem: "high 90 is below low 95." },
      conflicts: 1,
      firstConflict: 3 * m,
      rejectedTimes: [m, 2 * m],
    });
    expect(pages[1].report.rejected).toBe(2);
    expect(pages[1].report.firstRejected).toEqual({ openTime: 4 * m, problem: "volume -3 is negative." });
    // The walk goes on from the last row received, rejected or not.
    expect(pages[0].nextStart).toBe(4 * m);
    expect(new URL(urls[1]).searchParams.get("startTime")).toBe(String(4 * m));
    expect(new URL(urls[2]).searchParams.get("startTime")).toBe(String(7 * m));
  });
});
