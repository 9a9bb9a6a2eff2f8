import { unzipSync } from "fflate";
import { findGaps, mergeColumns, emptyColumns, type CandleColumns, type Gap } from "../../core/candles";
import { intervalMs, type Interval } from "../../core/intervals";
import { parseCandleCsv, type CandleCsvLayout } from "./csv";
import { FileImportError } from "./errors";
import { inferFromFileName, inferInterval } from "./infer";

/** A file handed to the importer (from drag and drop: `new Uint8Array(await file.arrayBuffer())`). */
export interface InputFile {
  name: string;
  data: Uint8Array;
}

export interface ImportOptions {
  /** Use this symbol instead of inferring it from file names. */
  symbol?: string;
  /** Use this interval instead of inferring it from the data. */
  interval?: Interval;
}

/** Candles read from one or more files of one series. */
export interface ImportedSeries {
  /** Upper-case symbol from `opts.symbol` or the file names; null when unknown (ask the user). */
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

const decoder = new TextDecoder("utf-8");

function isZip(data: Uint8Array): boolean {
  return data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04;
}

/** The CSV texts inside one input: the file itself, or each .csv entry of a ZIP. */
export function csvEntries(file: InputFile): { name: string; text: string }[] {
  if (!isZip(file.data)) return [{ name: file.name, text: decoder.decode(file.data) }];
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(file.data, { filter: (f) => /\.csv$/i.test(f.name) && !f.name.startsWith("__MACOSX/") });
  } catch (e) {
    throw new FileImportError(
      file.name,
      null,
      `not a readable ZIP archive (${e instanceof Error ? e.message : String(e)}).`,
    );
  }
  const names = Object.keys(entries).sort();
  if (names.length === 0) throw new FileImportError(file.name, null, "the ZIP archive holds no .csv file.");
  return names.map((n) => ({ name: `${file.name}/${n}`, text: decoder.decode(entries[n]) }));
}

/**
 * Imports Binance dump files (CSV or ZIP of CSV; 12-column klines with or without header, times
 * in ms or µs; or OHLCV with a `timestamp` column) of ONE series into sorted, de-duplicated
 * candles plus their gaps. Files of several months of one pair may be given together.
 * The interval is `opts.interval` or the most common step between rows; the symbol is
 * `opts.symbol` or inferred from names like `BTCUSDT-1h-2023-01.zip` (null when impossible).
 * Throws FileImportError (file name and line) for malformed input, or when files disagree.
 */
export function importCandleFiles(files: readonly InputFile[], opts: ImportOptions = {}): ImportedSeries {
  if (files.length === 0) throw new FileImportError("(no file)", null, "choose at least one CSV or ZIP file.");
  const parts: CandleColumns[] = [];
  const layouts: Record<string, CandleCsvLayout> = {};
  const symbols = new Set<string>();
  const namedIntervals = new Set<Interval>();
  let rowsRead = 0;
  for (const file of files) {
    const named = inferFromFileName(file.name);
    if (named.symbol) symbols.add(named.symbol);
    if (named.interval) namedIntervals.add(named.interval);
    for (const entry of csvEntries(file)) {
      const inner = inferFromFileName(entry.name.split("/").pop() ?? entry.name);
      if (!named.symbol && inner.symbol) symbols.add(inner.symbol);
      if (!named.interval && inner.interval) namedIntervals.add(inner.interval);
      const parsed = parseCandleCsv(entry.text, entry.name);
      layouts[entry.name] = parsed.layout;
      rowsRead += parsed.candles.openTime.length;
      parts.push(parsed.candles);
    }
  }
  const warnings: string[] = [];
  let symbol: string | null = opts.symbol ? opts.symbol.trim().toUpperCase() : null;
  if (!symbol) {
    if (symbols.size > 1)
      throw new FileImportError(
        files[0].name,
        null,
        `the files name several symbols (${[...symbols].join(", ")}); import one pair at a time.`,
      );
    symbol = symbols.size === 1 ? [...symbols][0] : null;
    if (!symbol) warnings.push("The symbol could not be read from the file name; please enter it.");
  }

  const merged = mergeColumns(parts);
  const duplicates = rowsRead - merged.openTime.length;
  if (duplicates > 0) warnings.push(`${duplicates} repeated candle(s) (same open time) were ignored.`);

  const interval =
    opts.interval ?? inferInterval(merged.openTime) ?? (namedIntervals.size === 1 ? [...namedIntervals][0] : null);
  if (!interval)
    throw new FileImportError(
      files[0].name,
      null,
      "cannot tell the candle interval (need at least two candles a known interval apart).",
    );
  if (!opts.interval && namedIntervals.size === 1 && !namedIntervals.has(interval)) {
    warnings.push(
      `The file name says ${[...namedIntervals][0]} but the rows are ${interval} apart; using ${interval}.`,
    );
  }

  // Rows off the interval grid cannot be placed in the series (findGaps and aggregation assume it).
  const step = intervalMs(interval);
  const keep: number[] = [];
  for (let i = 0; i < merged.openTime.length; i++) if (merged.openTime[i] % step === 0) keep.push(i);
  const misaligned = merged.openTime.length - keep.length;
  let candles = merged;
  if (misaligned > 0) {
    candles = emptyColumns(keep.length);
    for (const k of Object.keys(candles) as (keyof CandleColumns)[])
      keep.forEach((src, dst) => (candles[k][dst] = merged[k][src]));
    warnings.push(`${misaligned} row(s) not on the ${interval} grid were ignored.`);
  }
  const gaps = findGaps(candles.openTime, step);
  if (gaps.length > 0) {
    const missing = gaps.reduce((s, g) => s + g.missing, 0);
    warnings.push(`${missing} candle(s) missing in ${gaps.length} gap(s); they are reported, not filled.`);
  }
  return { symbol, interval, candles, gaps, layouts, rowsRead, duplicates, misaligned, warnings };
}

/** importCandleFiles for a single file. */
export function importCandleFile(file: InputFile, opts: ImportOptions = {}): ImportedSeries {
  return importCandleFiles([file], opts);
}
