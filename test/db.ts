/** Test helpers: deterministic candles and a fresh database per test (fake-indexeddb in Node). */
import { columnsFromCandles, type Candle, type CandleColumns } from "../lib/core/candles";
import { StudioDb } from "../lib/db/schema";

let counter = 0;

/** A new, empty database with a unique name (call `db.delete()` after). */
export function freshDb(): StudioDb {
  counter++;
  return new StudioDb(`test-${process.pid}-${counter}-${Math.random().toString(36).slice(2)}`);
}

/** Candle at open time `t`, with values derived from t (so a corrupted merge shows). */
export function candleAt(t: number): Candle {
  const base = 100 + ((t / 3_600_000) % 97);
  return {
    openTime: t,
    open: base,
    high: base + 2,
    low: base - 1,
    close: base + 1,
    volume: t % 1000,
    quoteVolume: 5,
    trades: 7,
    takerBuyBase: 1,
  };
}

/** `n` consecutive candles from `start`, every `stepMs`, minus open times in `skip`. */
export function makeCandles(
  start: number,
  n: number,
  stepMs: number,
  skip: ReadonlySet<number> = new Set(),
): CandleColumns {
  const rows: Candle[] = [];
  for (let i = 0; i < n; i++) {
    const t = start + i * stepMs;
    if (!skip.has(t)) rows.push(candleAt(t));
  }
  return columnsFromCandles(rows);
}
