/**
 * Pure arithmetic on sets of candle open times described as inclusive ranges. A range
 * `{from, to}` with step `stepMs` stands for the open times from, from+step, ..., to. Used for
 * the runs of stored candles, the ranges a source has confirmed (covered), and what is missing.
 * No Dexie, no DOM: shared by lib/db and the collector.
 */

/** Open times `from` .. `to` (ms, inclusive, both multiples of the interval). */
export interface TimeRange {
  from: number;
  to: number;
}

/** Number of candle slots of `stepMs` in `r` (0 when empty). */
export function slotsIn(r: TimeRange, stepMs: number): number {
  return r.to < r.from ? 0 : Math.floor((r.to - r.from) / stepMs) + 1;
}

/**
 * Union of ranges, sorted, merged where they overlap or touch (a.to + step === b.from).
 * Input order does not matter; the result is a new array.
 */
export function unionRanges(ranges: readonly TimeRange[], stepMs: number): TimeRange[] {
  const sorted = ranges
    .filter((r) => r.to >= r.from)
    .map((r) => ({ ...r }))
    .sort((a, b) => a.from - b.from);
  const out: TimeRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.from <= last.to + stepMs) last.to = Math.max(last.to, r.to);
    else out.push(r);
  }
  return out;
}

/** Parts of `range` not inside any of `covered` (covered must be sorted and merged). */
export function subtractRanges(range: TimeRange, covered: readonly TimeRange[], stepMs: number): TimeRange[] {
  const out: TimeRange[] = [];
  let cursor = range.from;
  for (const c of covered) {
    if (c.to < cursor) continue;
    if (c.from > range.to) break;
    if (c.from > cursor) out.push({ from: cursor, to: Math.min(c.from - stepMs, range.to) });
    cursor = Math.max(cursor, c.to + stepMs);
    if (cursor > range.to) break;
  }
  if (cursor <= range.to) out.push({ from: cursor, to: range.to });
  return out;
}

/** Slots of `range` inside `ranges` (sorted, merged). */
export function slotsCovered(range: TimeRange, ranges: readonly TimeRange[], stepMs: number): number {
  let n = 0;
  for (const r of ranges) {
    n += slotsIn({ from: Math.max(r.from, range.from), to: Math.min(r.to, range.to) }, stepMs);
  }
  return n;
}

/**
 * Runs of consecutive open times (step exactly `stepMs`) in a sorted, unique array.
 * E.g. [0, 1, 2, 5] with step 1 → [{0,2}, {5,5}].
 */
export function runsOf(openTime: ArrayLike<number>, stepMs: number): TimeRange[] {
  const out: TimeRange[] = [];
  for (let i = 0; i < openTime.length; i++) {
    const t = openTime[i];
    const last = out[out.length - 1];
    if (last && t === last.to + stepMs) last.to = t;
    else out.push({ from: t, to: t });
  }
  return out;
}

/** True when `inner` lies entirely inside one of `ranges` (sorted, merged). */
export function isInside(inner: TimeRange, ranges: readonly TimeRange[]): boolean {
  return ranges.some((r) => r.from <= inner.from && inner.to <= r.to);
}

/**
 * `range` without the slots of `rejectedTimes` (open times off the interval grid, ms) that hold
 * no stored candle. A source that answered a slot with an unusable row has not shown what it has
 * there: the slot is neither walked nor a gap, so the next collection asks for it again.
 * @param stored runs of stored candles (sorted, merged)
 */
export function coveredWithout(
  range: TimeRange,
  rejectedTimes: readonly number[],
  stored: readonly TimeRange[],
  stepMs: number,
): TimeRange[] {
  const holes = rejectedTimes
    .map((t) => Math.floor(t / stepMs) * stepMs)
    .filter((slot) => slot >= range.from && slot <= range.to && !isInside({ from: slot, to: slot }, stored))
    .map((slot) => ({ from: slot, to: slot }));
  if (holes.length === 0) return [range];
  return subtractRanges(range, unionRanges(holes, stepMs), stepMs);
}
