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
  rejected: number;
  rejectedExample: number;
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
    rejected: p.rejected,
    rejectedExample: p.rejectedExample,
    requestsLeft: Math.ceil(left / CHUNK_CANDLES),
    fraction: expected === 0 ? 1 : covered / expected,
    etaMs,
    elapsedMs,
    lastOpenTime: p.lastOpenTime,
    gaps,
  };
}

/**
 * What the user is told about rows that could not be stored (null when none): how many, why, the
 * first one, and that the next collection asks for them again.
 */
export function rejectedNote(
  p: Pick<CollectProgress, "rejected" | "rejectedExample">,
  interval: string,
): string | null {
  if (p.rejected <= 0) return null;
  const example = Number.isFinite(p.rejectedExample) ? ` (first: ${new Date(p.rejectedExample).toISOString()})` : "";
  const rows = p.rejected === 1 ? "1 candle was" : `${p.rejected.toLocaleString("en-US")} candles were`;
  return `${rows} not stored: the source's open time is off the ${interval} grid${example}. Those slots are not counted as collected; collecting again asks for them.`;
}
