/**
 * Node step of the collect bench: starts the mock Binance (synthetic market, one injected outage)
 * on a free loopback port, warms its caches so the page times the studio and not the mock's
 * first-request generation, and computes what the page must end up storing. The page gets
 * `mock` (base URL) and `expected` (JSON, by interval).
 */
import { loadavg } from "node:os";
import { startMockBinance } from "../../e2e/mock/binance-server";
import { MockMarket } from "../../e2e/mock/data";
import { intervalMs } from "../../lib/core/intervals";
import { closeChecksum, INTERVALS, OUTAGE, RANGE_END, RANGE_FROM, SYMBOL, type Expected } from "./shared";

/** The mock's candles in the range, read from a second MockMarket with the same seed and gap. */
function expectedFor(market: MockMarket): Record<string, Expected> {
  const out: Record<string, Expected> = {};
  for (const interval of INTERVALS) {
    const step = intervalMs(interval);
    const c = market.candles(SYMBOL, interval, Date.now());
    if (!c) throw new Error(`mock cannot serve ${interval}`);
    const times: number[] = [];
    const closes: number[] = [];
    for (let i = 0; i < c.openTime.length; i++) {
      const t = c.openTime[i];
      if (t < RANGE_FROM || t > RANGE_END - step) continue;
      times.push(t);
      closes.push(Number(c.close[i].toFixed(8))); // what the wire carries
    }
    const gaps: Expected["gaps"] = [];
    for (let i = 1; i < times.length; i++) {
      if (times[i] - times[i - 1] !== step)
        gaps.push({ from: times[i - 1] + step, to: times[i] - step, missing: (times[i] - times[i - 1]) / step - 1 });
    }
    out[interval] = { count: times.length, closeSum: closeChecksum(closes), gaps };
  }
  return out;
}

export async function setup(): Promise<{ params: Record<string, string>; teardown: () => Promise<void> }> {
  const mock = await startMockBinance({ faults: { gaps: [OUTAGE] } });
  // Warm the mock: synthetic generation and per-interval aggregation happen on the first request.
  for (const interval of [...INTERVALS, "1d"]) {
    const r = await fetch(
      `${mock.url}/api/v3/klines?symbol=${SYMBOL}&interval=${interval}&startTime=${RANGE_FROM}&limit=1`,
    );
    if (!r.ok) throw new Error(`mock warm-up ${interval}: HTTP ${r.status}`);
  }
  const market = new MockMarket({ symbols: ["BTCUSDT", "ETHUSDT"] });
  market.setGaps([OUTAGE]);
  const expected = expectedFor(market);
  console.error(`mock Binance at ${mock.url}; expected ${INTERVALS.map((i) => `${i}:${expected[i].count}`).join(" ")}`);
  return {
    params: { mock: mock.url, expected: JSON.stringify(expected), load_avg: loadavg()[0].toFixed(2) },
    teardown: () => mock.close(),
  };
}
