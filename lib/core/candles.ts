import type { Interval } from "./intervals";

/**
 * Candles of one series stored column-wise (one typed array per field), the layout used in
 * IndexedDB chunks, in workers and in feature code. All arrays have the same length; rows are
 * sorted by `openTime` ascending and unique. Times are UTC epoch milliseconds.
 */
export interface CandleColumns {
  openTime: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  /** Base-asset volume. */
  volume: Float64Array;
  /** Quote-asset volume (0 when the source lacks it). */
  quoteVolume: Float64Array;
  /** Number of trades (0 when the source lacks it). */
  trades: Float64Array;
  /** Taker-buy base-asset volume (NaN when the source lacks it). */
  takerBuyBase: Float64Array;
}

export const CANDLE_FIELDS = [
  "openTime",
  "open",
  "high",
  "low",
  "close",
  "volume",
  "quoteVolume",
  "trades",
  "takerBuyBase",
] as const satisfies readonly (keyof CandleColumns)[];

export type CandleField = (typeof CANDLE_FIELDS)[number];

/** Identifies one stored series. `source` is "binance", "file" or "synthetic". */
export interface SeriesKey {
  source: "binance" | "file" | "synthetic";
  symbol: string;
  interval: Interval;
}

export function seriesId(key: SeriesKey): string {
  return `${key.source}:${key.symbol}:${key.interval}`;
}

/** A single candle as a plain object (parsers and tests; bulk code uses CandleColumns). */
export interface Candle {
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  quoteVolume: number;
  trades: number;
  takerBuyBase: number;
}

export function emptyColumns(length = 0): CandleColumns {
  return {
    openTime: new Float64Array(length),
    open: new Float64Array(length),
    high: new Float64Array(length),
    low: new Float64Array(length),
    close: new Float64Array(length),
    volume: new Float64Array(length),
    quoteVolume: new Float64Array(length),
    trades: new Float64Array(length),
    takerBuyBase: new Float64Array(length),
  };
}

export function columnsLength(c: CandleColumns): number {
  return c.openTime.length;
}

export function columnsFromCandles(candles: readonly Candle[]): CandleColumns {
  const out = emptyColumns(candles.length);
  candles.forEach((c, i) => {
    for (const f of CANDLE_FIELDS) out[f][i] = c[f];
  });
  return out;
}

export function candleAt(c: CandleColumns, i: number): Candle {
  const row = {} as Candle;
  for (const f of CANDLE_FIELDS) row[f] = c[f][i];
  return row;
}

/** Rows [start, end) as a new set of columns (copies). */
export function sliceColumns(c: CandleColumns, start: number, end: number): CandleColumns {
  const out = {} as CandleColumns;
  for (const f of CANDLE_FIELDS) out[f] = c[f].slice(start, end);
  return out;
}

/** Concatenates column sets that are already sorted and non-overlapping, in order. */
export function concatColumns(parts: readonly CandleColumns[]): CandleColumns {
  const total = parts.reduce((n, p) => n + columnsLength(p), 0);
  const out = emptyColumns(total);
  let at = 0;
  for (const p of parts) {
    for (const f of CANDLE_FIELDS) out[f].set(p[f], at);
    at += columnsLength(p);
  }
  return out;
}

/**
 * Merges candles from several column sets into one sorted series, keeping the first value seen
 * for a repeated open time (so re-imported or overlapping pages never duplicate a candle).
 */
export function mergeColumns(parts: readonly CandleColumns[]): CandleColumns {
  const all = concatColumns(parts);
  const n = columnsLength(all);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => all.openTime[a] - all.openTime[b] || a - b);
  const keep: number[] = [];
  for (const i of order) {
    if (keep.length === 0 || all.openTime[keep[keep.length - 1]] !== all.openTime[i]) keep.push(i);
  }
  const out = emptyColumns(keep.length);
  keep.forEach((src, dst) => {
    for (const f of CANDLE_FIELDS) out[f][dst] = all[f][src];
  });
  return out;
}

/** A hole in a series: candles expected at `from` .. `to` (open times, inclusive) are absent. */
export interface Gap {
  from: number;
  to: number;
  missing: number;
}

/** Lists gaps in a sorted series of `interval` candles. Never invents candles. */
export function findGaps(openTime: Float64Array, intervalLengthMs: number): Gap[] {
  const gaps: Gap[] = [];
  for (let i = 1; i < openTime.length; i++) {
    const step = openTime[i] - openTime[i - 1];
    if (step > intervalLengthMs) {
      gaps.push({
        from: openTime[i - 1] + intervalLengthMs,
        to: openTime[i] - intervalLengthMs,
        missing: Math.round(step / intervalLengthMs) - 1,
      });
    }
  }
  return gaps;
}

/** The price and volume fields every candle must have (what candleRowProblem checks). */
export type CandleValues = Pick<Candle, "open" | "high" | "low" | "close" | "volume">;

const PRICE_FIELDS = ["open", "high", "low", "close"] as const;

/**
 * Why a candle cannot be stored, or null when it can: the one check that both the Binance client
 * (klines) and the file importer (CSV) apply to every row, so a bad row is refused the same way
 * whichever path it came by (issue 17: the API path stored negative prices and high < low that
 * the CSV path refused). Prices must be finite and above 0 (a 0 price makes every log return
 * infinite), high the highest and low the lowest of open/high/low/close, volume finite and not
 * negative. The message names the field and its value, e.g. "high 90 is below low 95."
 */
export function candleRowProblem(c: CandleValues): string | null {
  for (const f of [...PRICE_FIELDS, "volume"] as const) {
    if (!Number.isFinite(c[f])) return `${f} ${String(c[f])} is not a finite number.`;
  }
  for (const f of PRICE_FIELDS) if (c[f] <= 0) return `${f} ${c[f]} is not above 0.`;
  if (c.volume < 0) return `volume ${c.volume} is negative.`;
  if (c.high < c.low) return `high ${c.high} is below low ${c.low}.`;
  for (const f of ["open", "close"] as const) {
    if (c.high < c[f]) return `high ${c.high} is below ${f} ${c[f]}.`;
    if (c.low > c[f]) return `low ${c.low} is above ${f} ${c[f]}.`;
  }
  return null;
}

/** Rows a source sent that were not kept, so the studio can say so instead of storing them. */
export interface CandleRowReport {
  /** Rows that failed candleRowProblem (not stored). */
  rejected: number;
  /** The first of them: its open time (UTC ms) and why. */
  firstRejected: { openTime: number; problem: string } | null;
  /** Rows repeating an open time already received with different values (the first one is kept). */
  conflicts: number;
  /** Open time (UTC ms) of the first such repeat. */
  firstConflict: number | null;
  /**
   * Open times of this page's rejected rows (finite ones), so the collector does not count their
   * slots as walked: the source has those candles, they were only unusable. Not summed.
   */
  rejectedTimes?: number[];
}

export function emptyRowReport(): CandleRowReport {
  return { rejected: 0, firstRejected: null, conflicts: 0, firstConflict: null };
}

/** Sums two reports; the first examples come from `a` when it has them (reports add in time order). */
export function addRowReports(a: CandleRowReport, b: CandleRowReport): CandleRowReport {
  return {
    rejected: a.rejected + b.rejected,
    firstRejected: a.firstRejected ?? b.firstRejected,
    conflicts: a.conflicts + b.conflicts,
    firstConflict: a.firstConflict ?? b.firstConflict,
  };
}

function sameValue(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/**
 * Keeps the rows of `c` that can be stored, in their order: drops rows failing candleRowProblem
 * and rows repeating the open time of a row already kept (an exact repeat silently, one with
 * other values counted as a conflict). Returns the kept rows and what was dropped.
 */
export function screenCandles(c: CandleColumns): { candles: CandleColumns; report: CandleRowReport } {
  const report = emptyRowReport();
  const keptAt = new Map<number, number>();
  const keep: number[] = [];
  for (let i = 0; i < columnsLength(c); i++) {
    const t = c.openTime[i];
    const problem = candleRowProblem(candleAt(c, i));
    if (problem !== null) {
      report.rejected++;
      report.firstRejected ??= { openTime: t, problem };
      if (Number.isFinite(t)) (report.rejectedTimes ??= []).push(t);
      continue;
    }
    const first = keptAt.get(t);
    if (first === undefined) {
      keptAt.set(t, i);
      keep.push(i);
    } else if (!CANDLE_FIELDS.every((f) => sameValue(c[f][first], c[f][i]))) {
      report.conflicts++;
      report.firstConflict ??= t;
    }
  }
  if (keep.length === columnsLength(c)) return { candles: c, report };
  const out = emptyColumns(keep.length);
  keep.forEach((src, dst) => {
    for (const f of CANDLE_FIELDS) out[f][dst] = c[f][src];
  });
  return { candles: out, report };
}

/** One sentence for users about `r`, e.g. "2 candles rejected (first 2024-01-01 00:00 UTC: …).", or null when nothing was dropped. */
export function describeRowReport(r: CandleRowReport): string | null {
  const at = (t: number) => (Number.isFinite(t) ? new Date(t).toISOString().slice(0, 16).replace("T", " ") : String(t));
  const parts: string[] = [];
  if (r.rejected > 0) {
    const first = r.firstRejected
      ? ` (first at ${at(r.firstRejected.openTime)} UTC: ${r.firstRejected.problem.replace(/\.$/, "")})`
      : "";
    parts.push(`${r.rejected} candle${r.rejected === 1 ? "" : "s"} rejected as invalid and not stored${first}`);
  }
  if (r.conflicts > 0) {
    const first = r.firstConflict === null ? "" : ` (first at ${at(r.firstConflict)} UTC)`;
    parts.push(
      `${r.conflicts} candle${r.conflicts === 1 ? "" : "s"} sent again with different values; the first version was kept${first}`,
    );
  }
  return parts.length === 0 ? null : `${parts.join("; ")}.`;
}
