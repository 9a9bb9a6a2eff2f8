import { aggregateColumns } from "../lib/core/aggregate";
import { emptyColumns, type CandleColumns } from "../lib/core/candles";
import type { AltPoint } from "../lib/core/features/alt-series";
import type { Interval } from "../lib/core/intervals";
import { mulberry32 } from "../lib/core/random";

/**
 * Test fixture: a seeded random walk of `n15` 15m candles from `start` (UTC ms, aligned), with
 * volatility regimes, volume, trades and taker-buy volume, plus 1h and 4h aggregates and
 * funding (8h) / Fear & Greed (daily) / on-chain score (daily) / sentiment score (hourly) series
 * over the same span, each stamped as its source stamps it (see ALT_PUBLICATION_DELAY_MS).
 */
export function fixtureMarket(
  n15: number,
  seed = 1,
  start = Date.UTC(2023, 0, 1),
): {
  candles: Record<Interval, CandleColumns>;
  funding: AltPoint[];
  fearGreed: AltPoint[];
  onchain: AltPoint[];
  sentiment: AltPoint[];
} {
  const r = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
  const c = emptyColumns(n15);
  let price = 20_000;
  let vol = 0.003;
  for (let i = 0; i < n15; i++) {
    if (r() < 0.01) vol = 0.0015 + r() * 0.006;
    const open = price;
    const ret = vol * gauss() + 0.00002;
    price = open * Math.exp(ret);
    const hi = Math.max(open, price) * (1 + Math.abs(gauss()) * vol * 0.5);
    const lo = Math.min(open, price) * (1 - Math.abs(gauss()) * vol * 0.5);
    const v = 100 * (1 + Math.abs(ret) / vol) * (0.5 + r());
    c.openTime[i] = start + i * 900_000;
    c.open[i] = open;
    c.high[i] = hi;
    c.low[i] = lo;
    c.close[i] = price;
    c.volume[i] = v;
    c.quoteVolume[i] = v * price;
    c.trades[i] = Math.round(v * 10 * (0.8 + 0.4 * r()));
    c.takerBuyBase[i] = v * (0.5 + 0.5 * Math.tanh(ret / vol) * 0.5);
  }
  const end = start + n15 * 900_000;
  const funding: AltPoint[] = [];
  for (let t = start; t <= end; t += 8 * 3_600_000) funding.push({ time: t, value: 0.0001 * (1 + gauss()) });
  const fearGreed: AltPoint[] = [];
  for (let t = start; t <= end; t += 86_400_000) fearGreed.push({ time: t, value: Math.round(20 + 60 * r()) });
  // Drawn after the others, so adding them left every older fixture value unchanged.
  const onchain: AltPoint[] = [];
  for (let t = start; t <= end; t += 86_400_000) onchain.push({ time: t, value: 2 * r() - 1 });
  const sentiment: AltPoint[] = [];
  for (let t = start; t <= end; t += 3_600_000) sentiment.push({ time: t, value: 2 * r() - 1 });
  return {
    candles: { "15m": c, "1h": aggregateColumns(c, "15m", "1h"), "4h": aggregateColumns(c, "15m", "4h") } as Record<
      Interval,
      CandleColumns
    >,
    funding,
    fearGreed,
    onchain,
    sentiment,
  };
}
