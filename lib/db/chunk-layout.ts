/**
 * How candles are cut into IndexedDB chunks (pure: no Dexie). Chunks are aligned to time, not to
 * arrival: chunk c of a series holds the candles whose open time lies in
 * [c, c + CHUNK_CANDLES * intervalMs). So the same candle always lands in the same chunk, and
 * writing a page twice merges into the same record instead of duplicating it.
 */
import { CANDLE_FIELDS, columnsLength, emptyColumns, type CandleColumns } from "../core/candles";

/** Candle slots per chunk. 1000 matches a Binance page, so an aligned page fills one chunk. */
export const CHUNK_CANDLES = 1000;

/** Time span of one chunk in ms. */
export function chunkSpanMs(intervalLengthMs: number): number {
  return CHUNK_CANDLES * intervalLengthMs;
}

/** Start (ms) of the chunk holding the candle that opens at `openTime`. */
export function chunkStartOf(openTime: number, intervalLengthMs: number): number {
  const span = chunkSpanMs(intervalLengthMs);
  return Math.floor(openTime / span) * span;
}

/**
 * Splits sorted columns into per-chunk slices (copies), in ascending chunk order.
 * Returns `[{chunkStart, columns}]`.
 */
export function splitByChunk(
  c: CandleColumns,
  intervalLengthMs: number,
): { chunkStart: number; columns: CandleColumns }[] {
  const n = columnsLength(c);
  const out: { chunkStart: number; columns: CandleColumns }[] = [];
  let start = 0;
  while (start < n) {
    const cs = chunkStartOf(c.openTime[start], intervalLengthMs);
    let end = start + 1;
    while (end < n && chunkStartOf(c.openTime[end], intervalLengthMs) === cs) end++;
    const part = {} as CandleColumns;
    for (const f of CANDLE_FIELDS) part[f] = c[f].slice(start, end);
    out.push({ chunkStart: cs, columns: part });
    start = end;
  }
  return out;
}

/**
 * Packs columns field-major into one Float64Array [CANDLE_FIELDS.length * n]
 * (field k at k*n .. (k+1)*n). One array per record stores and clones faster than nine.
 */
export function packColumns(c: CandleColumns): Float64Array {
  const n = columnsLength(c);
  const out = new Float64Array(CANDLE_FIELDS.length * n);
  CANDLE_FIELDS.forEach((f, k) => out.set(c[f], k * n));
  return out;
}

/** Inverse of packColumns; `n` is the candle count. Returns views (no copy) into `packed`. */
export function unpackColumns(packed: Float64Array, n: number): CandleColumns {
  if (packed.length !== CANDLE_FIELDS.length * n) {
    throw new RangeError(`packed chunk has ${packed.length} values, expected ${CANDLE_FIELDS.length * n}`);
  }
  if (n === 0) return emptyColumns(0);
  const out = {} as CandleColumns;
  CANDLE_FIELDS.forEach((f, k) => {
    out[f] = packed.subarray(k * n, (k + 1) * n);
  });
  return out;
}

/** Bytes a chunk of `n` candles takes in its packed form. */
export function packedBytes(n: number): number {
  return CANDLE_FIELDS.length * n * Float64Array.BYTES_PER_ELEMENT;
}

/**
 * Keeps only rows that can be stored: finite open time aligned to the interval, sorted and
 * unique (first row kept for a repeated time). Returns the clean columns and what was dropped.
 */
export function normalizeColumns(
  c: CandleColumns,
  intervalLengthMs: number,
): { columns: CandleColumns; misaligned: number; misalignedTimes: number[]; repeated: number } {
  const n = columnsLength(c);
  const keep: number[] = [];
  // Finite open times off the grid (a mirror 1 ms off): their slots were not stored, so the
  // writer must not count them as walked (see coveredWithout in ranges.ts).
  const misalignedTimes: number[] = [];
  let misaligned = 0;
  for (let i = 0; i < n; i++) {
    const t = c.openTime[i];
    if (Number.isFinite(t) && t % intervalLengthMs === 0) keep.push(i);
    else {
      misaligned++;
      if (Number.isFinite(t)) misalignedTimes.push(t);
    }
  }
  let sortedUnique = true;
  for (let j = 1; j < keep.length; j++) {
    if (c.openTime[keep[j]] <= c.openTime[keep[j - 1]]) {
      sortedUnique = false;
      break;
    }
  }
  if (!sortedUnique) keep.sort((a, b) => c.openTime[a] - c.openTime[b] || a - b);
  const uniq: number[] = [];
  for (const i of keep) {
    if (uniq.length === 0 || c.openTime[uniq[uniq.length - 1]] !== c.openTime[i]) uniq.push(i);
  }
  const repeated = keep.length - uniq.length;
  if (sortedUnique && uniq.length === n) return { columns: c, misaligned, misalignedTimes, repeated };
  const out = emptyColumns(uniq.length);
  uniq.forEach((src, dst) => {
    for (const f of CANDLE_FIELDS) out[f][dst] = c[f][src];
  });
  return { columns: out, misaligned, misalignedTimes, repeated };
}

/**
 * Merges `incoming` into `existing` (both sorted, unique), keeping the stored row when an open
 * time repeats, so replays are no-ops. Returns the merged columns and how many rows were new.
 */
export function mergeIntoChunk(
  existing: CandleColumns,
  incoming: CandleColumns,
): { columns: CandleColumns; added: number } {
  const a = existing.openTime;
  const b = incoming.openTime;
  // Linear two-way merge: both sides are sorted; avoids a sort per page.
  const rows: [CandleColumns, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] <= b[j])) {
      if (j < b.length && a[i] === b[j]) j++;
      rows.push([existing, i++]);
    } else {
      rows.push([incoming, j++]);
    }
  }
  const added = rows.length - a.length;
  if (added === 0) return { columns: existing, added: 0 };
  const out = emptyColumns(rows.length);
  rows.forEach(([src, k], dst) => {
    for (const f of CANDLE_FIELDS) out[f][dst] = src[f][k];
  });
  return { columns: out, added };
}
