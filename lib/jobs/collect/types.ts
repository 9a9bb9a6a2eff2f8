/** Contracts of the collector: what it needs from a source and what it reports. */
import type { CandleColumns, CandleRowReport, Gap, SeriesKey } from "../../core/candles";
import type { Interval } from "../../core/intervals";
import type { TimeRange } from "../../db/ranges";
import type { SeriesRecord } from "../../db/records";

/** One walk request: every closed candle with open time in [startTime, endTime] (UTC ms, inclusive). */
export interface PageRequest {
  symbol: string;
  interval: Interval;
  startTime: number;
  endTime: number;
  signal?: AbortSignal;
  /** Told, page by page, of rows the source received but left out (invalid, or a repeated open time). */
  onRowReport?: (report: CandleRowReport) => void;
}

/**
 * A source of candles: yields pages in ascending time order, each sorted; together they hold
 * every candle the source has in [startTime, endTime]. An empty page is allowed anywhere (it is
 * skipped). Ending the iteration means "nothing more in the range": the collector then marks
 * the whole range as walked, so holes in it become recorded gaps and are not fetched again.
 * Cancellation: throw an AbortError (or any error) when `signal` fires.
 */
export type PageFetcher = (req: PageRequest) => AsyncIterable<CandleColumns>;

export interface CollectProgress {
  jobId: string;
  seriesId: string;
  /** Candle slots in the requested range (upper bound: real gaps stay empty). */
  expected: number;
  /** Slots of the range walked so far (stored candles and confirmed gaps). */
  covered: number;
  /** Candles of the range stored (including those stored before this job). */
  stored: number;
  /** Candles this job added. */
  added: number;
  /** Candles received that were already stored. */
  duplicates: number;
  /** Pages received by this job (across resumes). */
  requests: number;
  /**
   * Rows received but not stored because their open time is off the interval grid (a mirror
   * 1 ms off): their slots stay uncollected and are asked for again, never called gaps.
   */
  rejected: number;
  /** The first such open time this session (ms; NaN when none), for the message. */
  rejectedExample: number;
  /** Estimated pages still to fetch (1000 candles a page). */
  requestsLeft: number;
  /** covered / expected, 0..1 (1 for an empty range). */
  fraction: number;
  /** Estimated ms left from the walk rate of this session; null until measurable. */
  etaMs: number | null;
  elapsedMs: number;
  /** Open time of the latest candle stored by this session (NaN before the first). */
  lastOpenTime: number;
  /** Real gaps recorded inside the range so far. */
  gaps: number;
}

export interface CollectResult {
  jobId: string;
  /** "done": the range is fully walked; "cancelled": stopped by the signal (resumable). */
  state: "done" | "cancelled";
  progress: CollectProgress;
  series: SeriesRecord | undefined;
  /** Gaps inside the requested range (never filled). */
  gaps: Gap[];
  /** Parts of the range that were missing when the job started (what was fetched). */
  fetched: TimeRange[];
  /** Rows the source sent in this run that were not stored (see describeRowReport for a message). */
  rows: CandleRowReport;
}

export interface CollectRequest {
  key: SeriesKey;
  /** Open times of the first and last candle wanted (UTC ms, inclusive); snapped to the interval. */
  range: TimeRange;
}
