/** Candle sources of the live loop: the store kept current by incremental collection, or the store alone (replay). */
import type { CandleColumns } from "@/lib/core/candles";
import type { Interval } from "@/lib/core/intervals";
import { readSeries, type StudioDb } from "@/lib/db";
import { collectSeries } from "@/lib/jobs/collect/collect";
import type { PageFetcher } from "@/lib/jobs/collect/types";
import type { CandleSource } from "./loop";

export interface SeriesSpec {
  source: "binance" | "file" | "synthetic";
  symbol: string;
  timeframes: readonly Interval[];
}

/** Stored candles of each timeframe (the replay source; also what live reads after collecting). */
export function storeSource(db: StudioDb, spec: SeriesSpec): CandleSource {
  return {
    read: async () => {
      const out: Partial<Record<Interval, CandleColumns>> = {};
      for (const interval of spec.timeframes)
        out[interval] = await readSeries(db, { source: spec.source, symbol: spec.symbol, interval });
      return out;
    },
  };
}

/**
 * Live source: before each read, collects each timeframe incrementally from `from` (ms) up to
 * the last candle closed at `now` (collectSeries: what is stored is never fetched again,
 * resumable, locked per series). `from` is the run's first dataset row: the history the dataset
 * was computed on is then the history live features are computed on (recursive indicators such
 * as EMAs depend on where the series starts), and nothing older is fetched.
 */
export function collectingSource(
  db: StudioDb,
  spec: Omit<SeriesSpec, "source">,
  fetcher: PageFetcher,
  from: number,
  opts: { signal?: AbortSignal; clock?: () => number } = {},
): CandleSource {
  const clock = opts.clock ?? Date.now;
  return {
    read: async (now) => {
      for (const interval of spec.timeframes) {
        await collectSeries({
          db,
          fetcher,
          key: { source: "binance", symbol: spec.symbol, interval },
          range: { from, to: now },
          now: clock,
          signal: opts.signal,
        });
      }
      return storeSource(db, { ...spec, source: "binance" }).read(now);
    },
  };
}
