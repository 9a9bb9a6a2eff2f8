/** Progress arithmetic of a collection (pure). */
import { CHUNK_CANDLES } from "../../db/chunk-layout";
import { slotsCovered, slotsIn, type TimeRange } from "../../db/ranges";
import type { SeriesRecord } from "../../db/records";
import type { CollectProgress } from "./types";

export interface ProgressInput {
  jobId: string;
  seriesId: string;
  range: TimeRange;
  stepMs: number;
  series: SeriesRecord | undefined;
  added: number;
  duplicates: number;
  requests: number;
  /** Covered slots when this session started (for the rate). */
  coveredAtStart: number;
  startedAt: number;
  now: number;
  lastOpenTime: number;
}

/** Builds a progress report; ETA from the slots walked per ms during this session. */
export function computeProgress(p: ProgressInput): CollectProgress {
  const expected = slotsIn(p.range, p.stepMs);
  const covered = p.series ? slotsCovered(p.range, p.series.covered, p.stepMs) : 0;
  const stored = p.series ? slotsCovered(p.range, p.series.runs, p.stepMs) : 0;
  const left = Math.max(0, expected - covered);
  const elapsedMs = Math.max(0, p.now - p.startedAt);
  const walked = covered - p.coveredAtStart;
  const etaMs = left === 0 ? 0 : walked > 0 && elapsedMs > 0 ? Math.round((left * elapsedMs) / walked) : null;
  const gaps = p.series ? p.series.gaps.filter((g) => g.to >= p.range.from && g.from <= p.range.to).length : 0;
  return {
    jobId: p.jobId,
    seriesId: p.seriesId,
    expected,
    covered,
    stored,
    added: p.added,
    duplicates: p.duplicates,
    requests: p.requests,
    requestsLeft: Math.ceil(left / CHUNK_CANDLES),
    fraction: expected === 0 ? 1 : covered / expected,
    etaMs,
    elapsedMs,
    lastOpenTime: p.lastOpenTime,
    gaps,
  };
}
