/**
 * Alternative-data CSV files: funding rates as Binance exports them and the Fear & Greed index
 * as alternative.me exports it. Read as a byte stream (push / end), so memory grows with the
 * rows kept, never with the file; problems are FileImportErrors naming the file and line.
 *
 * Layouts read (header row required; names case-insensitive, any column order, extra columns
 * ignored):
 * - funding, Binance API export: `symbol,fundingTime,fundingRate,markPrice` (times in ms or
 *   `YYYY-MM-DD HH:MM:SS[.ffffff]+00:00`, which may carry 1 ms of jitter);
 *   Binance data dump (data.binance.vision `…-fundingRate-YYYY-MM.csv`):
 *   `calc_time,funding_interval_hours,last_funding_rate`.
 * - fearGreed, alternative.me: `date,fng_value,fng_classification` or `Date,fng_value,fng_class`
 *   (dates `YYYY-MM-DD` or `DD-MM-YYYY`, or unix seconds as in its JSON `timestamp`).
 */
import { formatInt } from "../../core/format";
import { CsvTextDecoder } from "../files/decode";
import { FileImportError } from "../files/errors";
import { parseTimeCell } from "../files/csv";
import { LineSplitter } from "../files/lines";
import { EARLIEST_CANDLE_MS, FILE_IMPORT_LIMITS, FUTURE_SLACK_MS, type FileImportLimits } from "../files/limits";
import { checkInputSize, type InputFile } from "../files/read";

/** The alternative sources a file can hold. */
export type AltFileKind = "funding" | "fearGreed";

/** The symbol Fear & Greed is stored under: one market-wide index, not a pair's. */
export const MARKET_WIDE_SYMBOL = "MARKET";

/** What one alternative-data file holds. */
export interface AltFileRows {
  kind: AltFileKind;
  /** Upper-case pair for funding (from a column, the file name or the form); MARKET_WIDE_SYMBOL for Fear & Greed; null when unknown. */
  symbol: string | null;
  /**
   * Stamps as the source gives them, normalised so one event has one time: funding at its
   * funding time rounded to the second (drops the ms jitter), Fear & Greed at its day's 00:00
   * UTC. UTC ms, ascending, unique. [rows]
   */
  time: Float64Array;
  /** Funding: fraction per funding period (0.0001 = 0.01%); Fear & Greed: index 0..100. [rows] */
  value: Float64Array;
  rowsRead: number;
  /** Rows whose normalised time repeats an earlier row's (the first is kept). */
  repeated: number;
}

export interface AltCsvOptions {
  /** Symbol for a funding file that names none (neither a column nor its file name). */
  formSymbol?: string | null;
  /** "Now" in UTC ms: times later than now + 1 day are refused (default Date.now()). */
  now?: number;
  limits?: Partial<FileImportLimits>;
}

const DAY = 86_400_000;
/** Funding beyond ±10% a period is a unit error (a percent column): Binance's caps are far below. */
const MAX_FUNDING_ABS = 0.1;

const COLUMNS: Record<AltFileKind, { time: string[]; value: string[] }> = {
  funding: { time: ["fundingtime", "calc_time", "funding_time"], value: ["fundingrate", "last_funding_rate"] },
  fearGreed: { time: ["date", "timestamp", "time"], value: ["fng_value", "value"] },
};

const quoted = (cell: string) => JSON.stringify(cell.length > 40 ? `${cell.slice(0, 40)}…` : cell);

/** A pair from a name such as `BTCUSDT-funding-rate.csv` or `ETHUSDT-fundingRate-2024-01.csv`. */
export function symbolFromAltFileName(fileName: string): string | null {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const m = /^([A-Za-z0-9]{5,20})[-_]funding/i.exec(base);
  return m ? m[1].toUpperCase() : null;
}

/** A Fear & Greed date cell: `YYYY-MM-DD`, `DD-MM-YYYY`, or unix seconds / ms. NaN when unreadable. */
function parseDayCell(cell: string): number {
  const dmy = /^(\d{2})-(\d{2})-(\d{4})$/.exec(cell.trim());
  if (dmy) return Date.UTC(Number(dmy[3]), Number(dmy[2]) - 1, Number(dmy[1]));
  return parseTimeCell(cell);
}

/** Streaming reader of one alternative-data CSV: push bytes, then end() for the rows. */
export class AltCsvReader {
  private readonly decoder: CsvTextDecoder;
  private readonly lines: LineSplitter;
  private readonly limits: FileImportLimits;
  private readonly now: number;
  private kind: AltFileKind | null = null;
  private col = { time: -1, value: -1, symbol: -1 };
  private symbol: string | null;
  private times: number[] = [];
  private values: number[] = [];
  private bytes = 0;

  constructor(
    readonly fileName: string,
    opts: AltCsvOptions = {},
  ) {
    this.limits = { ...FILE_IMPORT_LIMITS, ...opts.limits };
    this.now = opts.now ?? Date.now();
    this.symbol = symbolFromAltFileName(fileName) ?? opts.formSymbol?.trim().toUpperCase() ?? null;
    this.lines = new LineSplitter(fileName, this.limits.maxLineChars, (line, no) => this.line(line, no));
    this.decoder = new CsvTextDecoder(fileName, (text) => this.lines.push(text));
  }

  push(bytes: Uint8Array): void {
    this.bytes += bytes.length;
    checkInputSize(this.fileName, this.bytes, this.limits.maxCsvBytes);
    this.decoder.push(bytes);
  }

  end(): AltFileRows {
    this.decoder.end();
    this.lines.end();
    if (!this.kind) throw new FileImportError(this.fileName, null, "the file is empty.");
    if (this.times.length === 0) throw new FileImportError(this.fileName, null, "the file has a header but no rows.");
    const order = this.times.map((_, i) => i).sort((a, b) => this.times[a] - this.times[b] || a - b);
    const time: number[] = [];
    const value: number[] = [];
    for (const i of order) {
      if (time.length > 0 && time[time.length - 1] === this.times[i]) continue;
      time.push(this.times[i]);
      value.push(this.values[i]);
    }
    return {
      kind: this.kind,
      symbol: this.kind === "fearGreed" ? MARKET_WIDE_SYMBOL : this.symbol,
      time: Float64Array.from(time),
      value: Float64Array.from(value),
      rowsRead: this.times.length,
      repeated: this.times.length - time.length,
    };
  }

  private line(line: string, no: number): void {
    const cells = line.split(",").map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
    if (!this.kind) return this.header(cells, no);
    if (this.times.length >= this.limits.maxRows)
      throw new FileImportError(this.fileName, no, `more than ${formatInt(this.limits.maxRows)} rows.`);
    const timeCell = cells[this.col.time] ?? "";
    const valueCell = cells[this.col.value] ?? "";
    let t = this.kind === "funding" ? parseTimeCell(timeCell) : parseDayCell(timeCell);
    if (!Number.isFinite(t))
      throw new FileImportError(this.fileName, no, `the time ${quoted(timeCell)} is not a date or a number.`);
    if (t < EARLIEST_CANDLE_MS || t > this.now + FUTURE_SLACK_MS)
      throw new FileImportError(
        this.fileName,
        no,
        `the time ${quoted(timeCell)} is outside 2009..now; is it in seconds, milliseconds or microseconds?`,
      );
    const v = Number(valueCell);
    if (valueCell === "" || !Number.isFinite(v))
      throw new FileImportError(this.fileName, no, `the value ${quoted(valueCell)} is not a number.`);
    if (this.kind === "funding") {
      if (Math.abs(v) > MAX_FUNDING_ABS)
        throw new FileImportError(
          this.fileName,
          no,
          `the funding rate ${quoted(valueCell)} is beyond ±${MAX_FUNDING_ABS}; rates are fractions per period (0.0001 = 0.01%), not percents.`,
        );
      if (this.col.symbol >= 0) this.checkSymbol(cells[this.col.symbol] ?? "", no);
      t = Math.round(t / 1000) * 1000;
    } else {
      if (v < 0 || v > 100)
        throw new FileImportError(this.fileName, no, `the index ${quoted(valueCell)} is outside 0..100.`);
      t = Math.floor(t / DAY) * DAY;
    }
    this.times.push(t);
    this.values.push(v);
  }

  private header(cells: string[], no: number): void {
    const names = cells.map((c) => c.toLowerCase());
    const find = (list: string[]) => names.findIndex((n) => list.includes(n));
    for (const kind of ["funding", "fearGreed"] as const) {
      const time = find(COLUMNS[kind].time);
      const value = find(COLUMNS[kind].value);
      if (time >= 0 && value >= 0) {
        this.kind = kind;
        this.col = { time, value, symbol: names.indexOf("symbol") };
        return;
      }
    }
    throw new FileImportError(
      this.fileName,
      no,
      `the header ${quoted(cells.join(","))} is neither a funding-rate file (fundingTime,fundingRate or calc_time,last_funding_rate) nor a Fear & Greed file (date,fng_value).`,
    );
  }

  private checkSymbol(cell: string, no: number): void {
    const s = cell.toUpperCase();
    if (!s) return;
    if (this.symbol === null) this.symbol = s;
    else if (s !== this.symbol)
      throw new FileImportError(
        this.fileName,
        no,
        `the symbol ${quoted(cell)} differs from ${this.symbol} (one file holds one pair's funding rates).`,
      );
  }
}

/** A file read as a stream (a File from drag and drop: `file.stream()`), never whole in memory. */
export interface StreamedFile {
  name: string;
  /** Bytes, checked against the size limit before reading. */
  size: number;
  stream(): ReadableStream<Uint8Array>;
}

/** Reads a file chunk by chunk as its stream delivers it (memory grows with the rows, not the file). */
export async function readAltStream(file: StreamedFile, opts: AltCsvOptions = {}): Promise<AltFileRows> {
  checkInputSize(file.name, file.size, opts.limits?.maxCsvBytes ?? FILE_IMPORT_LIMITS.maxCsvBytes);
  const reader = new AltCsvReader(file.name, opts);
  const chunks = file.stream().getReader();
  try {
    for (;;) {
      const { done, value } = await chunks.read();
      if (done) break;
      reader.push(value);
    }
  } finally {
    chunks.releaseLock();
  }
  return reader.end();
}

/** Bytes handed to the reader at a time by readAltFile (bounds the text decoded at once). */
const SLICE_BYTES = 1 << 20;

/** Reads a whole file given as bytes, streamed through AltCsvReader in 1 MB slices. */
export function readAltFile(file: InputFile, opts: AltCsvOptions = {}): AltFileRows {
  const reader = new AltCsvReader(file.name, opts);
  checkInputSize(file.name, file.data.length, opts.limits?.maxCsvBytes ?? FILE_IMPORT_LIMITS.maxCsvBytes);
  for (let at = 0; at < file.data.length; at += SLICE_BYTES)
    reader.push(file.data.subarray(at, Math.min(file.data.length, at + SLICE_BYTES)));
  return reader.end();
}
