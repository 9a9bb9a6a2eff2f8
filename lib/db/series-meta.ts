/**
 * Series metadata arithmetic (pure). The metadata is kept exact without rereading chunks:
 * `runs` lists every stored open time as ranges of consecutive candles, so count, first, last
 * and gaps all follow from it and from `covered`.
 */
import { seriesId, type Gap, type SeriesKey } from "../core/candles";
import { intervalMs } from "../core/intervals";
import type { SeriesRecord } from "./records";
import { isInside, slotsIn, unionRanges, type TimeRange } from "./ranges";

export function emptySeries(key: SeriesKey, now: number): SeriesRecord {
  return {
    v: 1,
    id: seriesId(key),
    source: key.source,
    symbol: key.symbol,
    interval: key.interval,
    synthetic: key.source === "synthetic",
    first: NaN,
    last: NaN,
    count: 0,
    runs: [],
    covered: [],
    gaps: [],
    chunks: 0,
    bytes: 0,
    updatedAt: now,
  };
}

/**
 * Holes between consecutive runs that lie entirely inside a covered range: the source was
 * asked for them and had nothing, so they are real gaps (not "not collected yet").
 */
export function gapsOf(runs: readonly TimeRange[], covered: readonly TimeRange[], stepMs: number): Gap[] {
  const gaps: Gap[] = [];
  for (let i = 1; i < runs.length; i++) {
    const hole = { from: runs[i - 1].to + stepMs, to: runs[i].from - stepMs };
    if (hole.to >= hole.from && isInside(hole, covered)) gaps.push({ ...hole, missing: slotsIn(hole, stepMs) });
  }
  return gaps;
}

export interface SeriesChange {
  /** Runs of the candles just written (already-stored ones may be included: union is idempotent). */
  runs: readonly TimeRange[];
  /** Ranges the source confirmed (walked) with this write, if any. */
  covered?: readonly TimeRange[];
  bytesDelta: number;
  chunksDelta: number;
  now: number;
}

/** New metadata after a write. */
export function applySeriesChange(meta: SeriesRecord, change: SeriesChange): SeriesRecord {
  const step = intervalMs(meta.interval);
  const runs = unionRanges([...meta.runs, ...change.runs], step);
  const covered = unionRanges([...meta.covered, ...runs, ...(change.covered ?? [])], step);
  const count = runs.reduce((n, r) => n + slotsIn(r, step), 0);
  return {
    ...meta,
    runs,
    covered,
    count,
    first: runs.length ? runs[0].from : NaN,
    last: runs.length ? runs[runs.length - 1].to : NaN,
    gaps: gapsOf(runs, covered, step),
    bytes: meta.bytes + change.bytesDelta,
    chunks: meta.chunks + change.chunksDelta,
    updatedAt: change.now,
  };
}
