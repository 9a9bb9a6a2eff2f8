/**
 * Candle repository: chunk writes (idempotent merges, one transaction with the series metadata
 * and the job progress), series reads, listing and deletion.
 */
import {
  CANDLE_FIELDS,
  columnsLength,
  emptyColumns,
  seriesId,
  type CandleColumns,
  type SeriesKey,
} from "../core/candles";
import { intervalMs } from "../core/intervals";
import {
  chunkSpanMs,
  chunkStartOf,
  mergeIntoChunk,
  normalizeColumns,
  packColumns,
  packedBytes,
  splitByChunk,
  unpackColumns,
} from "./chunk-layout";
import { guardQuota } from "./errors";
import { coveredWithout, runsOf, unionRanges, type TimeRange } from "./ranges";
import type { ChunkRecord, JobRecord, SeriesRecord } from "./records";
import { restoreChunk, restoreJob, restoreSeries } from "./restore";
import type { StudioDb } from "./schema";
import { applySeriesChange, emptySeries } from "./series-meta";

export interface StoreCandlesResult {
  /** Candles that were not stored before. */
  added: number;
  /** Candles received that were already stored (kept the stored values). */
  duplicates: number;
  /**
   * Rows dropped: open time not a finite multiple of the interval. Their slots do not count as
   * walked (they are fetched again next time) and are never listed as gaps.
   */
  misaligned: number;
  /** The dropped off-grid open times (ms), for the message and the walk's closing claim. */
  misalignedTimes: number[];
  /** Rows dropped: open time repeated inside the same write. */
  repeated: number;
  /** Rows dropped: outside `clip`. */
  outside: number;
  series: SeriesRecord;
}

export interface StoreCandlesOptions {
  key: SeriesKey;
  candles: CandleColumns;
  /** Range (open times, inclusive) the source confirmed with this write: holes in it are gaps. */
  covered?: TimeRange;
  /** When set, candles outside this range are not stored. */
  clip?: TimeRange;
  /**
   * Off-grid open times the source sent earlier in the same walk: their slots are taken out of
   * `covered` too (the walk's closing claim of a whole segment carries no rows of its own).
   */
  rejectedTimes?: readonly number[];
  /** Mark the series synthetic (always true for source "synthetic"). */
  synthetic?: boolean;
  /**
   * Updates a job record in the same transaction (so progress never runs ahead of the data).
   * Must be synchronous.
   */
  job?: { id: string; update: (job: JobRecord, result: StoreCandlesResult) => JobRecord };
  now?: number;
}

function clipColumns(c: CandleColumns, clip: TimeRange | undefined): { columns: CandleColumns; outside: number } {
  const n = columnsLength(c);
  if (!clip || n === 0) return { columns: c, outside: 0 };
  let lo = 0;
  while (lo < n && c.openTime[lo] < clip.from) lo++;
  let hi = n;
  while (hi > lo && c.openTime[hi - 1] > clip.to) hi--;
  if (lo === 0 && hi === n) return { columns: c, outside: 0 };
  const out = {} as CandleColumns;
  for (const f of CANDLE_FIELDS) out[f] = c[f].slice(lo, hi);
  return { columns: out, outside: n - (hi - lo) };
}

/**
 * Stores a page of candles of one series atomically: the affected chunks (merged by open time,
 * so replays never duplicate), the series metadata and, optionally, the job's progress, all in
 * one transaction. A quota failure throws StorageFullError and leaves nothing written.
 * `candles` may be unsorted or contain repeats; rows not aligned to the interval are dropped.
 */
export async function storeCandles(db: StudioDb, opts: StoreCandlesOptions): Promise<StoreCandlesResult> {
  const step = intervalMs(opts.key.interval);
  const sid = seriesId(opts.key);
  const now = opts.now ?? Date.now();
  const norm = normalizeColumns(opts.candles, step);
  const { columns, outside } = clipColumns(norm.columns, opts.clip);
  const parts = splitByChunk(columns, step);

  return guardQuota(() =>
    db.transaction("rw", [db.chunks, db.series, db.jobs], async () => {
      let added = 0;
      let bytesDelta = 0;
      let chunksDelta = 0;
      for (const part of parts) {
        const raw = await db.chunks.get([sid, part.chunkStart]);
        const old = raw ? restoreChunk(raw, chunkSpanMs(step)) : undefined;
        const existing = old ? unpackColumns(old.cols, old.count) : emptyColumns(0);
        const merged = mergeIntoChunk(existing, part.columns);
        if (merged.added === 0) continue;
        const n = columnsLength(merged.columns);
        const record: ChunkRecord = {
          v: 1,
          seriesId: sid,
          chunkStart: part.chunkStart,
          count: n,
          cols: packColumns(merged.columns),
        };
        await db.chunks.put(record);
        added += merged.added;
        bytesDelta += packedBytes(n) - packedBytes(old?.count ?? 0);
        if (!old) chunksDelta++;
      }
      const rawMeta = await db.series.get(sid);
      const before = rawMeta ? restoreSeries(rawMeta) : emptySeries(opts.key, now);
      const runs = runsOf(columns.openTime, step);
      // Coverage comes from what was stored: a slot answered only by an off-grid row stays unwalked.
      const covered = opts.covered
        ? coveredWithout(
            opts.covered,
            [...(opts.rejectedTimes ?? []), ...norm.misalignedTimes],
            unionRanges([...before.runs, ...runs], step),
            step,
          )
        : undefined;
      const series = applySeriesChange(
        { ...before, synthetic: before.synthetic || opts.synthetic === true || opts.key.source === "synthetic" },
        { runs, covered, bytesDelta, chunksDelta, now },
      );
      await db.series.put(series);
      const result: StoreCandlesResult = {
        added,
        duplicates: columnsLength(columns) - added,
        misaligned: norm.misaligned,
        misalignedTimes: norm.misalignedTimes,
        repeated: norm.repeated,
        outside,
        series,
      };
      if (opts.job) {
        const rawJob = await db.jobs.get(opts.job.id);
        if (!rawJob) throw new Error(`collection job ${opts.job.id} not found`);
        await db.jobs.put(opts.job.update(restoreJob(rawJob), result));
      }
      return result;
    }),
  );
}

/** Alias for the brief's name: stores one page of candles (see storeCandles). */
export const putChunk = storeCandles;

/**
 * Reads stored candles of a series with open time in [from, to] (ms, inclusive; defaults: all),
 * sorted and unique. Returns empty columns for an unknown series. Gaps stay gaps.
 */
export async function readSeries(
  db: StudioDb,
  key: SeriesKey | string,
  from = -Infinity,
  to = Infinity,
): Promise<CandleColumns> {
  const sid = typeof key === "string" ? key : seriesId(key);
  const meta = await getSeries(db, sid);
  if (!meta || meta.count === 0) return emptyColumns(0);
  const step = intervalMs(meta.interval);
  const lo = Number.isFinite(from) ? chunkStartOf(from, step) : -Infinity;
  const hi = Number.isFinite(to) ? to : Infinity;
  const raws = await db.chunks.where("[seriesId+chunkStart]").between([sid, lo], [sid, hi], true, true).toArray();
  const parts = raws.map((raw) => {
    const c = restoreChunk(raw, chunkSpanMs(step));
    return unpackColumns(c.cols, c.count);
  });
  // Count rows inside [from, to] first, then copy once.
  const bounds = parts.map((p) => {
    let a = 0;
    while (a < p.openTime.length && p.openTime[a] < from) a++;
    let b = p.openTime.length;
    while (b > a && p.openTime[b - 1] > to) b--;
    return [a, b] as const;
  });
  const total = bounds.reduce((n, [a, b]) => n + b - a, 0);
  const out = emptyColumns(total);
  let at = 0;
  parts.forEach((p, i) => {
    const [a, b] = bounds[i];
    for (const f of CANDLE_FIELDS) out[f].set(p[f].subarray(a, b), at);
    at += b - a;
  });
  return out;
}

/** Metadata of one series, or undefined. */
export async function getSeries(db: StudioDb, key: SeriesKey | string): Promise<SeriesRecord | undefined> {
  const raw = await db.series.get(typeof key === "string" ? key : seriesId(key));
  return raw ? restoreSeries(raw) : undefined;
}

/**
 * All stored series, most recently updated first. Corrupt metadata records are skipped (and
 * named in `corrupt`) so one bad record does not hide the others.
 */
export async function listSeries(db: StudioDb): Promise<SeriesRecord[] & { corrupt?: string[] }> {
  const raws = await db.series.toArray();
  const out: SeriesRecord[] & { corrupt?: string[] } = [];
  for (const raw of raws) {
    try {
      out.push(restoreSeries(raw));
    } catch {
      (out.corrupt ??= []).push(String((raw as { id?: unknown }).id));
    }
  }
  return out.sort((a, b) => b.updatedAt - a.updatedAt);
}

/** Deletes a series: its chunks, metadata and collection jobs, in one transaction. */
export async function deleteSeries(db: StudioDb, key: SeriesKey | string): Promise<void> {
  const sid = typeof key === "string" ? key : seriesId(key);
  await db.transaction("rw", [db.chunks, db.series, db.jobs], async () => {
    await db.chunks.where("[seriesId+chunkStart]").between([sid, -Infinity], [sid, Infinity], true, true).delete();
    await db.series.delete(sid);
    await db.jobs.where("seriesId").equals(sid).delete();
  });
}
