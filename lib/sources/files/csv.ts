import { candleAt, candleRowProblem, type CandleColumns } from "../../core/candles";
import { BLOCK_ROWS, ColumnBlocks, RowBudget } from "./columns";
import { FileImportError } from "./errors";
import { LineSplitter } from "./lines";
import { EARLIEST_CANDLE_MS, FILE_IMPORT_LIMITS, FUTURE_SLACK_MS, type FileImportLimits } from "./limits";

/** Which layout a CSV was recognised as. */
export type CandleCsvLayout = "binance" | "binance-header" | "ohlcv-header";

export interface ParsedCsv {
  layout: CandleCsvLayout;
  /** Rows in file order (not yet sorted or de-duplicated); times in UTC ms. */
  candles: CandleColumns;
}

const TIME_NAMES = ["open time", "open_time", "opentime", "timestamp", "time", "date", "datetime", "open_timestamp"];
const COLUMN_NAMES = {
  open: ["open"],
  high: ["high"],
  low: ["low"],
  close: ["close"],
  volume: ["volume", "base volume", "base_volume"],
  quoteVolume: ["quote asset volume", "quote_asset_volume", "quote_volume", "quote volume"],
  trades: ["number of trades", "number_of_trades", "trades", "count"],
  takerBuyBase: [
    "taker buy base asset volume",
    "taker_buy_base_asset_volume",
    "taker_buy_base_volume",
    "taker buy base volume",
    "taker_buy_volume",
  ],
} as const;

/**
 * Parses a time cell to UTC ms: epoch numbers in s, ms, µs or ns (told apart by magnitude:
 * Binance dumps switched to µs in 2025, and some exports write ns; read as µs, a ns time landed
 * in year 55969, issue 17 item 10), or a date text `YYYY-MM-DD[ HH:MM[:SS]]` / ISO 8601; texts
 * without a zone are UTC. Returns NaN for anything else; the range check is the caller's.
 */
export function parseTimeCell(cell: string): number {
  const s = cell.trim();
  if (/^-?\d+(\.\d+)?$/.test(s)) {
    const v = Number(s);
    // Each unit spans 1973..5138 for its own magnitude band, so the bands do not overlap.
    if (v >= 1e17) return Math.floor(v / 1e6); // ns
    if (v >= 1e14) return Math.floor(v / 1000); // µs
    if (v < 1e11) return v * 1000; // s
    return v;
  }
  let iso = s.replace(" ", "T");
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) iso += "T00:00:00";
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(iso)) iso += "Z";
  return Date.parse(iso);
}

function splitLine(line: string): string[] {
  return line.split(",").map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
}

function isNumberCell(cell: string): boolean {
  return cell !== "" && Number.isFinite(Number(cell));
}

/** Options of a CSV read. */
export interface CsvReadOptions {
  /** "Now" in UTC ms: open times later than now + 1 day are refused (default Date.now()). */
  now?: number;
  /** Rows counted across the whole import (default: a budget of FILE_IMPORT_LIMITS.maxRows for this CSV alone). */
  rowBudget?: RowBudget;
  /** An upper bound on the rows, when known (a whole file's line count): sizes the columns once. */
  maxRowsHint?: number;
  /** Limits on the bytes and lines of a CSV (default FILE_IMPORT_LIMITS; tests lower them). */
  limits?: FileImportLimits;
}

type ColumnIndex = Record<keyof typeof COLUMN_NAMES | "time", number>;

/** A cell as quoted in a message: escaped (a NUL shows as \u0000) and cut at 40 characters. */
const quoted = (cell: string) => JSON.stringify(cell.length > 40 ? `${cell.slice(0, 40)}…` : cell);

const utcDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * Reads a candle CSV line by line, in one of three layouts: Binance's 12 columns without header,
 * the same with a header row, or a headed OHLCV file with a time column (`timestamp`, `date`,
 * ...). Missing optional columns become quoteVolume 0, trades 0, takerBuyBase NaN. Feed it the
 * lines (LineSplitter) and call finish(). Throws FileImportError naming `fileName` and the
 * 1-based line of the first bad row.
 */
export class CandleCsvReader {
  private idx: ColumnIndex | null = null;
  private layout: CandleCsvLayout = "binance";
  private width = 0;
  private sawHeader = false;
  private readonly rows: ColumnBlocks;
  private readonly latest: number;
  private readonly budget: RowBudget;

  constructor(
    readonly fileName: string,
    opts: CsvReadOptions = {},
  ) {
    this.latest = (opts.now ?? Date.now()) + FUTURE_SLACK_MS;
    this.budget = opts.rowBudget ?? new RowBudget();
    const hint = opts.maxRowsHint ?? BLOCK_ROWS;
    this.rows = new ColumnBlocks(Math.min(hint, this.budget.max + 1));
  }

  /** Reads one line (without its end-of-line); `lineNo` is 1-based. Blank lines are skipped. */
  line(line: string, lineNo: number): void {
    if (line.trim() === "") return;
    if (this.idx) this.readRow(splitLine(line), lineNo);
    else this.readFirst(line, lineNo);
  }

  /** The rows read; throws when there were none. */
  finish(): ParsedCsv {
    if (!this.idx) throw new FileImportError(this.fileName, null, "the file is empty.");
    if (this.rows.length === 0)
      throw new FileImportError(
        this.fileName,
        null,
        this.sawHeader ? "the file has a header but no candles." : "the file has no candles.",
      );
    return { layout: this.layout, candles: this.rows.toColumns() };
  }

  /** The first non-blank line: a header, or the first row of a headerless dump. */
  private readFirst(line: string, lineNo: number): void {
    const fileName = this.fileName;
    const head = splitLine(line.replace(/^\uFEFF/, ""));
    const hasHeader = !isNumberCell(head[0]) && Number.isNaN(parseTimeCell(head[0]));
    if (hasHeader) {
      const names = head.map((h) => h.toLowerCase());
      const find = (cands: readonly string[]) => names.findIndex((n) => cands.includes(n));
      const idx: ColumnIndex = {
        time: find(TIME_NAMES),
        open: find(COLUMN_NAMES.open),
        high: find(COLUMN_NAMES.high),
        low: find(COLUMN_NAMES.low),
        close: find(COLUMN_NAMES.close),
        volume: find(COLUMN_NAMES.volume),
        quoteVolume: find(COLUMN_NAMES.quoteVolume),
        trades: find(COLUMN_NAMES.trades),
        takerBuyBase: find(COLUMN_NAMES.takerBuyBase),
      };
      const missing = (["time", "open", "high", "low", "close", "volume"] as const).filter((k) => idx[k] < 0);
      if (missing.length > 0) {
        throw new FileImportError(
          fileName,
          lineNo,
          `the header lacks column(s) ${missing.join(", ")} (expected a time column such as "timestamp" or "open time", and open, high, low, close, volume).`,
        );
      }
      this.layout = idx.quoteVolume >= 0 && idx.trades >= 0 ? "binance-header" : "ohlcv-header";
      this.sawHeader = true;
      this.setIndex(idx);
      return;
    }
    if (head.length >= 11) {
      this.setIndex({
        time: 0,
        open: 1,
        high: 2,
        low: 3,
        close: 4,
        volume: 5,
        quoteVolume: 7,
        trades: 8,
        takerBuyBase: 9,
      });
    } else if (head.length >= 6) {
      this.setIndex({
        time: 0,
        open: 1,
        high: 2,
        low: 3,
        close: 4,
        volume: 5,
        quoteVolume: -1,
        trades: -1,
        takerBuyBase: -1,
      });
    } else {
      throw new FileImportError(
        fileName,
        lineNo,
        `expected Binance's 12 kline columns or time,open,high,low,close,volume; found ${head.length} column(s).`,
      );
    }
    this.layout = "binance";
    this.readRow(head, lineNo);
  }

  private setIndex(idx: ColumnIndex): void {
    this.idx = idx;
    this.width = Math.max(...Object.values(idx)) + 1;
  }

  private readRow(cells: string[], lineNo: number): void {
    const { fileName, width } = this;
    const idx = this.idx!;
    const li = lineNo - 1;
    const [out, n] = this.rows.slot();
    if (cells.length < width)
      throw new FileImportError(fileName, li + 1, `expected at least ${width} columns, found ${cells.length}.`);
    const t = parseTimeCell(cells[idx.time]);
    if (!Number.isFinite(t)) throw new FileImportError(fileName, li + 1, `${quoted(cells[idx.time])} is not a time.`);
    if (t < EARLIEST_CANDLE_MS || t > this.latest)
      throw new FileImportError(
        fileName,
        li + 1,
        `the time ${quoted(cells[idx.time])} reads as ${Number.isFinite(new Date(t).getTime()) ? utcDay(t) : "a date out of range"}, outside 2009-01-01 .. tomorrow (expected s, ms, µs or ns since 1970, or a date).`,
      );
    out.openTime[n] = t;
    for (const k of ["open", "high", "low", "close", "volume"] as const) {
      const v = Number(cells[idx[k]]);
      if (cells[idx[k]] === "" || !Number.isFinite(v))
        throw new FileImportError(fileName, li + 1, `${quoted(cells[idx[k]])} in column ${k} is not a number.`);
      out[k][n] = v;
    }
    for (const k of ["quoteVolume", "trades", "takerBuyBase"] as const) {
      if (idx[k] < 0) {
        out[k][n] = k === "takerBuyBase" ? NaN : 0;
        continue;
      }
      const cell = cells[idx[k]];
      const v = cell === "" ? (k === "takerBuyBase" ? NaN : 0) : Number(cell);
      if (Number.isNaN(v) && cell !== "")
        throw new FileImportError(fileName, li + 1, `${quoted(cell)} in column ${k} is not a number.`);
      out[k][n] = v;
    }
    // The same row check as candles from the API (lib/core/candles).
    const problem = candleRowProblem(candleAt(out, n));
    if (problem !== null) throw new FileImportError(fileName, li + 1, problem);
    this.budget.take(fileName, lineNo);
    this.rows.commit();
  }
}

/**
 * Parses a whole candle CSV text (see CandleCsvReader for the layouts and errors). For files
 * already in memory as text (benchmarks, fixtures); the importer streams bytes instead.
 */
export function parseCandleCsv(text: string, fileName: string, opts: CsvReadOptions = {}): ParsedCsv {
  const reader = new CandleCsvReader(fileName, opts);
  const maxLineChars = (opts.limits ?? FILE_IMPORT_LIMITS).maxLineChars;
  const lines = new LineSplitter(fileName, maxLineChars, (line, n) => reader.line(line, n));
  lines.push(text);
  lines.end();
  return reader.finish();
}
