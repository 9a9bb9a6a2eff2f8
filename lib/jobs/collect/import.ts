/** Stores candles that did not come from a paged source: file imports and the synthetic market. */
import {
  columnsLength,
  seriesId,
  sliceColumns,
  type CandleColumns,
  type Gap,
  type SeriesKey,
} from "../../core/candles";
import type { Interval } from "../../core/intervals";
import { intervalMs } from "../../core/intervals";
import { deleteSeries, storeCandles } from "../../db/candles";
import { normalizeColumns } from "../../db/chunk-layout";
import type { SeriesRecord } from "../../db/records";
import type { StudioDb } from "../../db/schema";

export interface ImportSeriesOptions {
  db: StudioDb;
  /** Usually { source: "file", symbol, interval }. */
  key: SeriesKey;
  /** Candles to store, any order; repeats and rows off the interval grid are dropped and counted. */
  candles: CandleColumns;
  /** Candles per transaction (default 20 000): bounds memory and gives progress. */
  batchCandles?: number;
  onProgress?: (p: { done: number; total: number }) => void;
  signal?: AbortSignal;
}

export interface ImportSeriesResult {
  seriesId: string;
  /** Candles not stored before. */
  added: number;
  /** Candles already stored (skipped: the stored values are kept). */
  duplicates: number;
  /** Rows dropped because their open time repeats inside the input. */
  repeated: number;
  /** Rows dropped because their open time is not on the interval grid. */
  misaligned: number;
  /** True when `signal` stopped the import between batches (what was stored stays). */
  cancelled: boolean;
  series: SeriesRecord | undefined;
  /** Gaps of the stored series inside the imported span (never filled). */
  gaps: Gap[];
}

/**
 * Stores parsed candles into chunks exactly as the collector does (idempotent by open time).
 * The imported span counts as walked: holes inside it are recorded as gaps. Each batch is one
 * transaction; StorageFullError on quota leaves that batch unwritten.
 */
export async function importSeries(opts: ImportSeriesOptions): Promise<ImportSeriesResult> {
  const { db, key } = opts;
  const step = intervalMs(key.interval);
  const norm = normalizeColumns(opts.candles, step);
  const all = norm.columns;
  const total = columnsLength(all);
  const batch = Math.max(1, opts.batchCandles ?? 20_000);
  let added = 0;
  let duplicates = 0;
  let series: SeriesRecord | undefined;
  let cancelled = false;
  for (let at = 0; at < total; at += batch) {
    if (opts.signal?.aborted) {
      cancelled = true;
      break;
    }
    const part = sliceColumns(all, at, Math.min(total, at + batch));
    const last = part.openTime[columnsLength(part) - 1];
    // Start the covered range at the previous batch's last candle so a hole across the batch
    // boundary is still a recorded gap.
    const from = at === 0 ? part.openTime[0] : all.openTime[at - 1];
    const r = await storeCandles(db, { key, candles: part, covered: { from, to: last } });
    added += r.added;
    duplicates += r.duplicates;
    series = r.series;
    opts.onProgress?.({ done: Math.min(total, at + batch), total });
  }
  const first = total ? all.openTime[0] : NaN;
  const last = total ? all.openTime[total - 1] : NaN;
  const gaps = (series?.gaps ?? []).filter((g) => g.to >= first && g.from <= last);
  return {
    seriesId: seriesId(key),
    added,
    duplicates,
    repeated: norm.repeated,
    misaligned: norm.misaligned,
    cancelled,
    series,
    gaps,
  };
}

export interface StoreSyntheticOptions {
  db: StudioDb;
  /** Label of the synthetic market, e.g. "SYNTH-BTC" (the UI always marks it synthetic). */
  symbol: string;
  interval: Interval;
  candles: CandleColumns;
  /** Delete the stored series first (default true): a new seed must not merge with an old one. */
  replace?: boolean;
  onProgress?: (p: { done: number; total: number }) => void;
}

/** Stores a generated market as series { source: "synthetic", symbol, interval }, flagged synthetic. */
export async function storeSyntheticSeries(opts: StoreSyntheticOptions): Promise<ImportSeriesResult> {
  const key: SeriesKey = { source: "synthetic", symbol: opts.symbol, interval: opts.interval };
  if (opts.replace !== false) await deleteSeries(opts.db, key);
  return importSeries({ db: opts.db, key, candles: opts.candles, onProgress: opts.onProgress });
}
