/** Reading one input file into parsed CSVs: a plain CSV, or each .csv entry of a ZIP (two streamed passes). */
import { formatBytes } from "../../core/format";
import { RowBudget } from "./columns";
import type { ParsedCsv } from "./csv";
import { CsvEntryReader, EntryCounter, readCsvBytes } from "./entry";
import { FileImportError } from "./errors";
import { seriesOfNames, type SeriesName } from "./infer";
import { FILE_IMPORT_LIMITS, type FileImportLimits } from "./limits";
import { isZip, streamZipCsvEntries } from "./zip";

/** A file handed to the importer (from drag and drop: `new Uint8Array(await file.arrayBuffer())`). */
export interface InputFile {
  name: string;
  data: Uint8Array;
}

/** One CSV read: its shown name, the series its names say, and its rows. */
export interface ReadCsv {
  name: string;
  series: SeriesName;
  parsed: ParsedCsv;
}

/** Refuses an input larger than any CSV the import would keep, before reading it. */
export function checkInputSize(name: string, bytes: number, maxBytes = FILE_IMPORT_LIMITS.maxCsvBytes): void {
  if (bytes > maxBytes) {
    throw new FileImportError(
      name,
      null,
      `the file is ${formatBytes(bytes)}, over the ${formatBytes(maxBytes)} limit; split it into months.`,
    );
  }
}

/** What readInput needs besides the file. */
export interface ReadContext {
  formSymbol: string | null;
  budget: RowBudget;
  limits: FileImportLimits;
  now?: number;
}

/** Every CSV in `file` (the file itself, or each .csv entry of a ZIP, by entry name), parsed. */
export function readInput(file: InputFile, ctx: ReadContext): ReadCsv[] {
  const { formSymbol, limits } = ctx;
  checkInputSize(file.name, file.data.length, limits.maxCsvBytes);
  const opts = { rowBudget: ctx.budget, now: ctx.now, limits };
  if (!isZip(file.data)) {
    const series = seriesOfNames(file.name, file.name, null, formSymbol);
    return [{ name: file.name, series, parsed: readCsvBytes(file.name, file.data, opts) }];
  }
  // Pass 1 checks names and sizes and counts lines (inflating only); pass 2 parses, each
  // entry's columns allocated once from its count. Inflating twice costs less than holding
  // every row twice (see CsvEntryReader).
  const counted: { series: SeriesName; counter: EntryCounter }[] = [];
  streamZipCsvEntries(
    file.name,
    file.data,
    (entryName) => {
      const shown = `${file.name}/${entryName}`;
      const base = entryName.split(/[\\/]/).pop() ?? entryName;
      const counter = new EntryCounter(shown, limits.maxCsvBytes);
      counted.push({ series: seriesOfNames(shown, base, file.name, formSymbol), counter });
      return counter;
    },
    limits.maxZipEntries,
  );
  const entries: { series: SeriesName; reader: CsvEntryReader }[] = [];
  streamZipCsvEntries(
    file.name,
    file.data,
    () => {
      const first = counted[entries.length];
      if (!first)
        throw new FileImportError(file.name, null, "not a readable ZIP archive (its entries differ between reads).");
      const { series, counter } = first;
      const reader = new CsvEntryReader(counter.name, { ...opts, maxRowsHint: counter.lines.rowsAtMost });
      entries.push({ series, reader });
      return reader;
    },
    limits.maxZipEntries,
  );
  if (entries.length === 0) throw new FileImportError(file.name, null, "the ZIP archive holds no .csv file.");
  // By entry name, so the first of two repeated candles is the one from the earlier month.
  return entries
    .map((e) => ({ name: e.reader.name, series: e.series, parsed: e.reader.result() }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
