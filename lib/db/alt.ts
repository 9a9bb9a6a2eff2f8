/**
 * Alternative-data repository: one record per (source, symbol) holding every stored value,
 * unique by stamp. Writes merge (a stamp already stored keeps its stored value, as candles do),
 * so importing or fetching the same data twice adds nothing.
 */
import { ALT_CADENCE_MS, type AltSourceName } from "../core/features/alt-series";
import type { Gap } from "../core/candles";
import { guardQuota } from "./errors";
import { unionRanges, type TimeRange } from "./ranges";
import type { AltSeriesRecord } from "./records";
import { checkedRecord, restoreAltSeries } from "./restore";
import { altSeriesRecordSchema } from "./records";
import type { StudioDb } from "./schema";

export type AltOrigin = AltSeriesRecord["origins"][number];

/** Key of an alternative series, e.g. "funding:BTCUSDT", "fearGreed:MARKET". */
export function altSeriesId(source: AltSourceName, symbol: string): string {
  return `${source}:${symbol}`;
}

/** What the Data page lists for one alternative series (no values). */
export interface AltSeriesSummary {
  id: string;
  source: AltSourceName;
  symbol: string;
  count: number;
  /** First / last stamp (UTC ms; NaN when empty). */
  first: number;
  last: number;
  covered: TimeRange[];
  /** Holes longer than the source's cadence between stored stamps, inside covered ranges. */
  gaps: Gap[];
  origins: AltOrigin[];
  updatedAt: number;
}

/**
 * Holes between consecutive stamps longer than `stepMs` that lie inside a covered range.
 * `missing` = values the cadence expected there. [time] sorted ascending.
 */
export function altGaps(time: Float64Array, covered: readonly TimeRange[], stepMs: number): Gap[] {
  const gaps: Gap[] = [];
  for (let i = 1; i < time.length; i++) {
    const d = time[i] - time[i - 1];
    // Half a step of slack: funding times drift by seconds, not by periods.
    if (d < 1.5 * stepMs) continue;
    const hole = { from: time[i - 1] + stepMs, to: time[i] - stepMs };
    if (covered.some((r) => r.from <= time[i - 1] && time[i] <= r.to))
      gaps.push({ ...hole, missing: Math.round(d / stepMs) - 1 });
  }
  return gaps;
}

export function summarizeAltSeries(r: AltSeriesRecord): AltSeriesSummary {
  const n = r.time.length;
  return {
    id: r.id,
    source: r.source,
    symbol: r.symbol,
    count: n,
    first: n ? r.time[0] : NaN,
    last: n ? r.time[n - 1] : NaN,
    covered: r.covered,
    gaps: altGaps(r.time, r.covered, ALT_CADENCE_MS[r.source]),
    origins: r.origins,
    updatedAt: r.updatedAt,
  };
}

export interface StoreAltOptions {
  source: AltSourceName;
  symbol: string;
  /** Stamps (UTC ms, any order) and values. [n] */
  time: ArrayLike<number>;
  value: ArrayLike<number>;
  origin: AltOrigin;
  /** Stamp range this write went through (default: its first..last stamp); holes inside are gaps. */
  covered?: TimeRange;
  now?: number;
}

export interface StoreAltResult {
  added: number;
  /** Values whose stamp was already stored (the stored value kept) or repeated in the input. */
  duplicates: number;
  series: AltSeriesSummary;
}

/** Merges values into the stored series of (source, symbol) in one transaction. */
export async function storeAltValues(db: StudioDb, opts: StoreAltOptions): Promise<StoreAltResult> {
  const id = altSeriesId(opts.source, opts.symbol);
  const incoming = Array.from({ length: opts.time.length }, (_, i) => i)
    .filter((i) => Number.isFinite(opts.time[i]) && Number.isFinite(opts.value[i]))
    .sort((a, b) => opts.time[a] - opts.time[b] || a - b);
  return guardQuota(() =>
    db.transaction("rw", db.altSeries, async () => {
      const raw = await db.altSeries.get(id);
      const old = raw ? restoreAltSeries(raw) : undefined;
      const oldTime = old?.time ?? new Float64Array(0);
      const oldValue = old?.value ?? new Float64Array(0);
      const time: number[] = [];
      const value: number[] = [];
      let added = 0;
      let i = 0;
      let k = 0;
      // Merge of two sorted lists; the stored value wins on equal stamps.
      while (i < oldTime.length || k < incoming.length) {
        const t = k < incoming.length ? opts.time[incoming[k]] : Infinity;
        if (i < oldTime.length && oldTime[i] <= t) {
          if (oldTime[i] === t) k++;
          time.push(oldTime[i]);
          value.push(oldValue[i++]);
        } else if (time.length > 0 && time[time.length - 1] === t) {
          k++;
        } else {
          time.push(t);
          value.push(opts.value[incoming[k++]]);
          added++;
        }
      }
      const step = ALT_CADENCE_MS[opts.source];
      const span =
        opts.covered ??
        (incoming.length ? { from: opts.time[incoming[0]], to: opts.time[incoming[incoming.length - 1]] } : undefined);
      const record: AltSeriesRecord = checkedRecord("alternative series", altSeriesRecordSchema, {
        v: 1,
        id,
        source: opts.source,
        symbol: opts.symbol,
        time: Float64Array.from(time),
        value: Float64Array.from(value),
        covered: unionRanges([...(old?.covered ?? []), ...(span ? [span] : [])], step),
        origins: [...new Set([...(old?.origins ?? []), opts.origin])].sort(),
        updatedAt: opts.now ?? Date.now(),
      });
      await db.altSeries.put(record);
      return { added, duplicates: incoming.length - added, series: summarizeAltSeries(record) };
    }),
  );
}

/** The stored series of (source, symbol), or undefined. */
export async function readAltSeries(
  db: StudioDb,
  source: AltSourceName,
  symbol: string,
): Promise<AltSeriesRecord | undefined> {
  const raw = await db.altSeries.get(altSeriesId(source, symbol));
  return raw ? restoreAltSeries(raw) : undefined;
}

/** Every stored alternative series, by source then symbol. */
export async function listAltSeries(db: StudioDb): Promise<AltSeriesSummary[]> {
  const all = await db.altSeries.toArray();
  return all
    .map((r) => summarizeAltSeries(restoreAltSeries(r)))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export async function deleteAltSeries(db: StudioDb, id: string): Promise<void> {
  await db.altSeries.delete(id);
}
