import {
  concatColumns,
  emptyColumns,
  findGaps,
  mergeColumns,
  CANDLE_FIELDS,
  type CandleColumns,
  type Gap,
} from "../../core/candles";
import { intervalMs, type Interval } from "../../core/intervals";
import { RowBudget } from "./columns";
import type { CandleCsvLayout } from "./csv";
import { FileImportError } from "./errors";
import { inferInterval } from "./infer";
import { FILE_IMPORT_LIMITS, type FileImportLimits } from "./limits";
import { readInput, type InputFile, type ReadContext, type ReadCsv } from "./read";

export { checkInputSize, type InputFile } from "./read";

export interface ImportOptions {
  /**
   * Symbol for files whose names do not say it (the form's field). A file or ZIP entry whose
   * name says another symbol is refused: names win, and a disagreement is reported.
   */
  symbol?: string;
  /** Use this interval instead of inferring it from the data. */
  interval?: Interval;
  /** "Now" in UTC ms: open times later than now + 1 day are refused (default Date.now()). */
  now?: number;
  /** Limits other than FILE_IMPORT_LIMITS (tests use small ones to stay fast). */
  limits?: Partial<FileImportLimits>;
}

/** Candles read from one or more files of one series. */
export interface ImportedSeries {
  /** Upper-case symbol from the file names or `opts.symbol`; null when unknown (ask the user). */
  symbol: string | null;
  interval: Interval;
  /** Sorted by openTime, unique (first occurrence kept), UTC ms. */
  candles: CandleColumns;
  /** Holes in the series (never filled). */
  gaps: Gap[];
  /** Layout of each CSV read, by CSV name (a ZIP's entry shows as "archive.zip/entry.csv"). */
  layouts: Record<string, CandleCsvLayout>;
  /** Rows read, rows dropped as duplicates of an earlier open time, rows dropped as misaligned. */
  rowsRead: number;
  duplicates: number;
  misaligned: number;
  /** Plain-language notes for the user (dropped rows, a symbol that could not be inferred, ...). */
  warnings: string[];
}

function strictlyIncreasing(t: Float64Array): boolean {
  for (let i = 1; i < t.length; i++) if (!(t[i] > t[i - 1])) return false;
  return true;
}

/**
 * The parts as one sorted series without repeats. Real dumps are sorted months in order, so
 * that case is one concatenation (or none for a single CSV) instead of a sort of every row.
 */
function mergeParts(parts: CandleColumns[]): CandleColumns {
  const inOrder = parts.every(
    (p, i) =>
      strictlyIncreasing(p.openTime) &&
      (i === 0 || p.openTime.length === 0 || parts[i - 1].openTime.at(-1)! < p.openTime[0]),
  );
  if (!inOrder) return mergeColumns(parts);
  return parts.length === 1 ? parts[0] : concatColumns(parts);
}

/** The CSVs of one series, its symbol and interval, and their rows merged (sorted, unique). */
interface SeriesRows {
  csvs: ReadCsv[];
  symbol: string | null;
  interval: Interval;
  merged: CandleColumns;
}

/** The interval of CSVs that name the same series: `opts.interval`, else the name's, else the rows' step. */
function resolveSeries(csvs: ReadCsv[], opts: ImportOptions): SeriesRows {
  const shown = csvs[0].name;
  const named = csvs[0].series;
  const merged = mergeParts(csvs.map((c) => c.parsed.candles));
  // The name decides (issue 17 item 7); rows a different step apart mean a misnamed file, and
  // either reading would lose candles (4h rows stored as 1h, or 1h rows dropped as off a 2h grid).
  const stepped = inferInterval(merged.openTime);
  if (!opts.interval && named.interval && stepped && stepped !== named.interval) {
    throw new FileImportError(
      shown,
      null,
      `the file name says ${named.interval} candles but the rows are ${stepped} apart; rename the file or check what it holds (nothing was imported).`,
    );
  }
  const interval = opts.interval ?? named.interval ?? stepped;
  if (!interval)
    throw new FileImportError(
      shown,
      null,
      "cannot tell the candle interval (need at least two candles a known interval apart).",
    );
  return { csvs, symbol: named.symbol, interval, merged };
}

/** One series from its rows: repeats and rows off the grid dropped and counted, gaps listed. */
function buildSeries({ csvs, symbol, interval, merged }: SeriesRows): ImportedSeries {
  const layouts = Object.fromEntries(csvs.map((c) => [c.name, c.parsed.layout] as const));
  const rowsRead = csvs.reduce((n, c) => n + c.parsed.candles.openTime.length, 0);
  const warnings: string[] = [];
  if (!symbol) warnings.push("The symbol could not be read from the file name; please enter it.");
  const duplicates = rowsRead - merged.openTime.length;
  if (duplicates > 0) warnings.push(`${duplicates} repeated candle(s) (same open time) were ignored.`);

  // Rows off the interval grid cannot be placed in the series (findGaps and aggregation assume it).
  const step = intervalMs(interval);
  const keep: number[] = [];
  for (let i = 0; i < merged.openTime.length; i++) if (merged.openTime[i] % step === 0) keep.push(i);
  const misaligned = merged.openTime.length - keep.length;
  let candles = merged;
  if (misaligned > 0) {
    candles = emptyColumns(keep.length);
    for (const k of CANDLE_FIELDS) keep.forEach((src, dst) => (candles[k][dst] = merged[k][src]));
    warnings.push(`${misaligned} row(s) not on the ${interval} grid were ignored.`);
  }
  if (candles.openTime.length === 0) {
    throw new FileImportError(
      csvs[0].name,
      null,
      `none of the ${rowsRead} row(s) opens on the ${interval} grid (${interval} candles open at multiples of ${interval} since 1970 UTC); nothing was imported.`,
    );
  }
  const gaps = findGaps(candles.openTime, step);
  if (gaps.length > 0) {
    const missing = gaps.reduce((s, g) => s + g.missing, 0);
    warnings.push(`${missing} candle(s) missing in ${gaps.length} gap(s); they are reported, not filled.`);
  }
  return { symbol, interval, candles, gaps, layouts, rowsRead, duplicates, misaligned, warnings };
}

/** Items grouped by `key`, groups in order of first appearance. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
}

/**
 * Imports Binance dump files (CSV or ZIP of CSV; 12-column klines with or without header, times
 * in s, ms, µs or ns; or OHLCV with a `timestamp` column; UTF-8 or UTF-16) into one sorted,
 * de-duplicated series per symbol and interval the file names say, plus their gaps. Months of
 * one pair may come together (in one ZIP or several files); a ZIP holding other pairs or
 * intervals gives one series each, in order of first appearance.
 * Each CSV's own name decides its series (`ETHUSDT-1h-2024-02.csv`), then its archive's name,
 * then `opts.symbol` for a file whose names say no symbol; a disagreement is refused. The
 * interval is `opts.interval`, else the name's, else the most common step between rows; a name
 * the rows contradict is refused, and so is a series none of whose rows is on its grid.
 * Everything is read before anything is returned: any bad CSV refuses the whole call.
 * Throws FileImportError (file name, and line when known) for malformed input, name conflicts,
 * or input past FILE_IMPORT_LIMITS.
 */
export function importCandleSeries(files: readonly InputFile[], opts: ImportOptions = {}): ImportedSeries[] {
  if (files.length === 0) throw new FileImportError("(no file)", null, "choose at least one CSV or ZIP file.");
  const formSymbol = opts.symbol?.trim() ? opts.symbol.trim().toUpperCase() : null;
  const limits = { ...FILE_IMPORT_LIMITS, ...opts.limits };
  const ctx: ReadContext = { formSymbol, budget: new RowBudget(limits.maxRows), limits, now: opts.now };
  const csvs = files.flatMap((file) => readInput(file, ctx));
  const byName = groupBy(csvs, (c) => `${c.series.symbol ?? ""}|${c.series.interval ?? ""}`).map((group) =>
    resolveSeries(group, opts),
  );
  // A CSV whose name says no interval joins the named series its rows turn out to be.
  const bySeries = groupBy(byName, (r) => `${r.symbol ?? ""}|${r.interval}`).map((same) =>
    same.length === 1
      ? same[0]
      : { ...same[0], csvs: same.flatMap((r) => r.csvs), merged: mergeColumns(same.map((r) => r.merged)) },
  );
  return bySeries.map(buildSeries);
}

/**
 * importCandleSeries for files of ONE series: throws FileImportError when their names say
 * several symbols or intervals.
 */
export function importCandleFiles(files: readonly InputFile[], opts: ImportOptions = {}): ImportedSeries {
  const all = importCandleSeries(files, opts);
  if (all.length === 1) return all[0];
  const symbols = [...new Set(all.map((s) => s.symbol ?? "(unnamed)"))];
  const what =
    symbols.length > 1
      ? `several symbols (${symbols.join(", ")})`
      : `several intervals (${all.map((s) => s.interval).join(", ")})`;
  throw new FileImportError(files[0].name, null, `the files name ${what}; import one series at a time.`);
}

/** importCandleFiles for a single file. */
export function importCandleFile(file: InputFile, opts: ImportOptions = {}): ImportedSeries {
  return importCandleFiles([file], opts);
}
