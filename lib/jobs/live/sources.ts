/** Candle sources of the live loop: the store kept current by incremental collection, or the store alone (replay). */
import type { CandleColumns } from "@/lib/core/candles";
import type { Interval } from "@/lib/core/intervals";
import { intervalMs } from "@/lib/core/intervals";
import { readSeries, type StudioDb } from "@/lib/db";
import { collectSeries } from "@/lib/jobs/collect/collect";
import type { PageFetcher } from "@/lib/jobs/collect/types";
import type { CandleSource } from "./loop";

export interface SeriesSpec {
  source: "binance" | "file" | "synthetic";
  symbol: string;
  timeframes: readonly Interval[];
}

/** How much history a live window needs at most: indicator warm-up beyond the window (candles). */
const HISTORY_CANDLES = 2000;

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
 * Live source: before each read, collects each timeframe incrementally up to the last candle
 * closed at `now` (collectSeries: what is stored is never fetched again, resumable, locked per
 * series), starting HISTORY_CANDLES back when the series is new.
 */
export function collectingSource(
  db: StudioDb,
  spec: Omit<SeriesSpec, "source">,
  fetcher: PageFetcher,
  opts: { signal?: AbortSignal; clock?: () => number } = {},
): CandleSource {
  const clock = opts.clock ?? Date.now;
  return {
    read: async (now) => {
      for (const interval of spec.timeframes) {
        const from = now - HISTORY_CANDLES * intervalMs(interval);
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
