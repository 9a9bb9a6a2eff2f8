import { candleAt, candleRowProblem, emptyColumns, type CandleColumns } from "../../core/candles";
import { FileImportError } from "./errors";

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
 * Parses a time cell to UTC ms: epoch numbers in s, ms or µs (told apart by magnitude; Binance
 * dumps switched to µs in 2025), or a date text `YYYY-MM-DD[ HH:MM[:SS]]` / ISO 8601; texts
 * without a zone are UTC.
 */
export function parseTimeCell(cell: string): number {
  const s = cell.trim();
  if (/^-?\d+(\.\d+)?$/.test(s)) {
    const v = Number(s);
    if (v > 1e14) return Math.floor(v / 1000); // µs
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

/**
 * Parses candle CSV text in one of three layouts: Binance's 12 columns without header, the same
 * with a header row, or a headed OHLCV file with a time column (`timestamp`, `date`, ...).
 * Missing optional columns become quoteVolume 0, trades 0, takerBuyBase NaN.
 * Throws FileImportError naming `fileName` and the 1-based line of the first bad row.
 */
export function parseCandleCsv(text: string, fileName: string): ParsedCsv {
  const lines = text.split(/\r?\n/);
  let first = 0;
  while (first < lines.length && lines[first].trim() === "") first++;
  if (first >= lines.length) throw new FileImportError(fileName, null, "the file is empty.");
  const head = splitLine(lines[first].replace(/^\uFEFF/, ""));
  const hasHeader = !isNumberCell(head[0]) && Number.isNaN(parseTimeCell(head[0]));

  // Column index of each field (-1: absent).
  let idx: Record<keyof typeof COLUMN_NAMES | "time", number>;
  let layout: CandleCsvLayout;
  if (hasHeader) {
    const names = head.map((h) => h.toLowerCase());
    const find = (cands: readonly string[]) => names.findIndex((n) => cands.includes(n));
    idx = {
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
        first + 1,
        `the header lacks column(s) ${missing.join(", ")} (expected a time column such as "timestamp" or "open time", and open, high, low, close, volume).`,
      );
    }
    layout = idx.quoteVolume >= 0 && idx.trades >= 0 ? "binance-header" : "ohlcv-header";
    first++;
  } else {
    if (head.length >= 11) {
      idx = { time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5, quoteVolume: 7, trades: 8, takerBuyBase: 9 };
    } else if (head.length >= 6) {
      idx = { time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5, quoteVolume: -1, trades: -1, takerBuyBase: -1 };
    } else {
      throw new FileImportError(
        fileName,
        first + 1,
        `expected Binance's 12 kline columns or time,open,high,low,close,volume; found ${head.length} column(s).`,
      );
    }
    layout = "binance";
  }

  const width = Math.max(...Object.values(idx)) + 1;
  const out = emptyColumns(lines.length - first);
  let n = 0;
  for (let li = first; li < lines.length; li++) {
    const line = lines[li];
    if (line.trim() === "") continue;
    const cells = splitLine(line);
    if (cells.length < width)
      throw new FileImportError(fileName, li + 1, `expected at least ${width} columns, found ${cells.length}.`);
    const t = parseTimeCell(cells[idx.time]);
    if (!Number.isFinite(t)) throw new FileImportError(fileName, li + 1, `"${cells[idx.time]}" is not a time.`);
    out.openTime[n] = t;
    for (const k of ["open", "high", "low", "close", "volume"] as const) {
      const v = Number(cells[idx[k]]);
      if (cells[idx[k]] === "" || !Number.isFinite(v))
        throw new FileImportError(fileName, li + 1, `"${cells[idx[k]]}" in column ${k} is not a number.`);
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
        throw new FileImportError(fileName, li + 1, `"${cell}" in column ${k} is not a number.`);
      out[k][n] = v;
    }
    // The same row check as candles from the API (lib/core/candles).
    const problem = candleRowProblem(candleAt(out, n));
    if (problem !== null) throw new FileImportError(fileName, li + 1, problem);
    n++;
  }
  if (n === 0) throw new FileImportError(fileName, null, "the file has a header but no candles.");
  const candles = {} as CandleColumns;
  for (const k of Object.keys(out) as (keyof CandleColumns)[])
    candles[k] = n === out[k].length ? out[k] : out[k].slice(0, n);
  return { layout, candles };
}
