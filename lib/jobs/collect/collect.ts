/**
 * The resumable collector: fetches only what is missing, stores each page atomically with the
 * job's progress, records real gaps, and can be cancelled and resumed (even after a reload).
 */
import {
  addRowReports,
  columnsLength,
  emptyColumns,
  emptyRowReport,
  seriesId,
  type CandleColumns,
} from "../../core/candles";
import { intervalMs } from "../../core/intervals";
import { getSeries, storeCandles, type StoreCandlesResult } from "../../db/candles";
import { finishJob, startJob } from "../../db/jobs";
import { isInside, subtractRanges, slotsCovered, type TimeRange } from "../../db/ranges";
import type { JobRecord, SeriesRecord } from "../../db/records";
import type { StudioDb } from "../../db/schema";
import { defaultLocks, withSeriesLock, type LockManagerLike } from "./lock";
import { computeProgress } from "./progress";
import type { CollectProgress, CollectRequest, CollectResult, PageFetcher } from "./types";

export interface CollectSeriesOptions extends CollectRequest {
  fetcher: PageFetcher;
  db: StudioDb;
  signal?: AbortSignal;
  onProgress?: (p: CollectProgress) => void;
  /** Resume (or reuse) this job id; a new job is created otherwise. */
  jobId?: string;
  /** Clock (ms); the range is clamped to the last closed candle at this time. */
  now?: () => number;
  /** Lock manager; default navigator.locks when present. null disables locking. */
  locks?: LockManagerLike | null;
}

/**
 * Snaps a requested range to the interval grid and clamps it to the last closed candle:
 * from → the candle containing it, to → min(candle containing `to`, last closed candle).
 * An empty result has to < from.
 */
export function snapRange(range: TimeRange, stepMs: number, nowMs: number): TimeRange {
  const lastClosed = Math.floor(nowMs / stepMs) * stepMs - stepMs;
  return {
    from: Math.floor(range.from / stepMs) * stepMs,
    to: Math.min(Math.floor(range.to / stepMs) * stepMs, lastClosed),
  };
}

/** True for an AbortError / a source's own "aborted" error. */
export function isAbortLike(e: unknown): boolean {
  if (typeof e !== "object" || e === null) return false;
  const x = e as { name?: unknown; kind?: unknown };
  return x.name === "AbortError" || x.kind === "aborted";
}

/** Open time of the last candle of `page` inside `seg` (NaN when none). */
function lastInside(page: CandleColumns, seg: TimeRange): number {
  for (let i = columnsLength(page) - 1; i >= 0; i--) {
    const t = page.openTime[i];
    if (t <= seg.to && t >= seg.from) return t;
  }
  return NaN;
}

/**
 * Collects `key` over `range` (open times, inclusive). Parts of the range the series has
 * already walked are never fetched again; a range already covered makes no request. Each page
 * is stored in one transaction with the job's progress, so a reload resumes from the last
 * stored candle (call again with the same range, optionally the job id from listResumableJobs).
 * Resolves with state "cancelled" when `signal` fires; throws StorageFullError on quota,
 * CollectLockedError when another tab collects the series, or the fetcher's error (the job is
 * then marked "error" with its message).
 */
export async function collectSeries(opts: CollectSeriesOptions): Promise<CollectResult> {
  const { key, db, fetcher, signal } = opts;
  const step = intervalMs(key.interval);
  const sid = seriesId(key);
  const clock = opts.now ?? Date.now;
  const range = snapRange(opts.range, step, clock());
  const locks = opts.locks === undefined ? defaultLocks() : opts.locks;

  return withSeriesLock(sid, locks, async () => {
    const job = await startJob(db, { key, range, id: opts.jobId, now: clock() });
    const startedAt = clock();
    let series: SeriesRecord | undefined = await getSeries(db, sid);
    const coveredAtStart = series ? slotsCovered(range, series.covered, step) : 0;
    let counts = {
      added: job.progress.added,
      duplicates: job.progress.duplicates,
      requests: job.progress.requests,
      rejected: job.progress.rejected ?? 0,
    };
    let lastOpenTime = NaN;
    let rows = emptyRowReport();
    let rejectedExample = NaN;
    // Off-grid or invalid rows' times received in the segment being walked (their slots stay unwalked).
    let rejectedInSegment: number[] = [];
    const progress = () =>
      computeProgress({
        jobId: job.id,
        seriesId: sid,
        range,
        stepMs: step,
        series,
        ...counts,
        rejectedExample,
        coveredAtStart,
        startedAt,
        now: clock(),
        lastOpenTime,
      });
    const missing = range.to >= range.from ? subtractRanges(range, series?.covered ?? [], step) : [];

    // Runs inside the storing transaction: progress is written with the candles or not at all.
    const updateJob =
      (isPage: boolean) =>
      (j: JobRecord, r: StoreCandlesResult): JobRecord => {
        const next = {
          added: j.progress.added + r.added,
          duplicates: j.progress.duplicates + r.duplicates,
          requests: j.progress.requests + (isPage ? 1 : 0),
          rejected: (j.progress.rejected ?? 0) + r.misaligned,
        };
        const p = computeProgress({
          jobId: j.id,
          seriesId: sid,
          range,
          stepMs: step,
          series: r.series,
          ...next,
          rejectedExample: Number.isNaN(rejectedExample) ? (r.misalignedTimes[0] ?? NaN) : rejectedExample,
          coveredAtStart,
          startedAt,
          now: clock(),
          lastOpenTime,
        });
        return {
          ...j,
          progress: { expected: p.expected, covered: p.covered, stored: p.stored, ...next },
          updatedAt: clock(),
        };
      };
    const store = async (candles: CandleColumns, seg: TimeRange, covered: TimeRange | undefined, isPage: boolean) => {
      const r = await storeCandles(db, {
        key,
        candles,
        clip: seg,
        covered,
        rejectedTimes: rejectedInSegment,
        job: { id: job.id, update: updateJob(isPage) },
        now: clock(),
      });
      series = r.series;
      counts = {
        added: counts.added + r.added,
        duplicates: counts.duplicates + r.duplicates,
        requests: counts.requests + (isPage ? 1 : 0),
        rejected: counts.rejected + r.misaligned,
      };
      rejectedInSegment.push(...r.misalignedTimes);
      if (Number.isNaN(rejectedExample)) rejectedExample = r.misalignedTimes[0] ?? NaN;
    };

    opts.onProgress?.(progress());
    const finish = async (state: "done" | "cancelled"): Promise<CollectResult> => {
      await finishJob(db, job.id, state, undefined, clock());
      const p = progress();
      opts.onProgress?.(p);
      const gaps = (series?.gaps ?? []).filter((g) => g.to >= range.from && g.from <= range.to);
      return { jobId: job.id, state, progress: p, series, gaps, fetched: missing, rows };
    };

    try {
      for (const seg of missing) {
        if (signal?.aborted) return await finish("cancelled");
        rejectedInSegment = [];
        const pages = fetcher({
          symbol: key.symbol,
          interval: key.interval,
          startTime: seg.from,
          endTime: seg.to,
          signal,
          onRowReport: (r) => {
            rows = addRowReports(rows, r);
            // Rows refused as invalid leave their slots unwalked, like off-grid ones (asked again).
            rejectedInSegment.push(...(r.rejectedTimes ?? []));
          },
        });
        for await (const page of pages) {
          const last = lastInside(page, seg);
          // Pages arrive in order, so everything from the segment start to this page's last
          // candle has been walked. An empty page proves nothing by itself: skip it, go on.
          // (Slots answered only by off-grid rows are taken out of this claim by the store.)
          await store(page, seg, Number.isNaN(last) ? undefined : { from: seg.from, to: last }, true);
          if (!Number.isNaN(last) && series && isInside({ from: last, to: last }, series.runs)) lastOpenTime = last;
          opts.onProgress?.(progress());
          if (signal?.aborted) return await finish("cancelled");
        }
        if (signal?.aborted) return await finish("cancelled");
        // The source has nothing more in this segment: holes left in it are real gaps.
        await store(emptyColumns(0), seg, seg, false);
        opts.onProgress?.(progress());
      }
    } catch (e) {
      if (signal?.aborted || isAbortLike(e)) return await finish("cancelled");
      try {
        await finishJob(db, job.id, "error", e instanceof Error ? e.message : String(e), clock());
      } catch {
        // Storage may be full: the job then stays "running", still resumable; report the first error.
      }
      throw e;
    }
    return finish("done");
  });
}

/** Stored-range helper for UIs: parts of `range` of `key` not yet walked (what a collect would fetch). */
export async function missingRanges(db: StudioDb, req: CollectRequest, nowMs = Date.now()): Promise<TimeRange[]> {
  const step = intervalMs(req.key.interval);
  const range = snapRange(req.range, step, nowMs);
  if (range.to < range.from) return [];
  const series = await getSeries(db, req.key);
  return subtractRanges(range, series?.covered ?? [], step);
}
