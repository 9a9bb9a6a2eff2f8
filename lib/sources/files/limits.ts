/**
 * The file importer's limits, in one place. They answer issue 17 item 4: a 0.58 MB ZIP holding a
 * 600 MB CSV threw V8's raw "Cannot create a string longer than…" naming no file, and a real
 * 159 MB CSV took 0.8 GB, because each entry was inflated whole and decoded into one string.
 * Entries are now read as a stream (see entry.ts), so memory grows with the rows kept, not with
 * the file; these limits bound what is left.
 */
export interface FileImportLimits {
  maxRows: number;
  maxCsvBytes: number;
  maxLineChars: number;
  maxZipEntries: number;
}

export const FILE_IMPORT_LIMITS: Readonly<FileImportLimits> = {
  /**
   * Rows per import, all files and ZIP entries together. Rows are what stays in memory (9
   * float64 columns: 72 bytes a row, held about twice while months are merged), so this bounds
   * the worker's memory at roughly 0.5 GB. 3,000,000 rows is 5.7 years of 1m candles (the
   * finest interval the studio stores) or 340 years of 1h: every real series fits.
   */
  maxRows: 3_000_000,
  /**
   * Bytes of one CSV (a file, or one ZIP entry once inflated), and of any one input file as
   * given. maxRows rows of Binance's longest layout (µs times, 8 decimals: ~150 bytes a row) are
   * ~450 MB; past this a file cannot be candles the import would keep, and the limit stops a
   * ZIP bomb of blank lines from streaming for minutes.
   */
  maxCsvBytes: 512 * 1024 * 1024,
  /**
   * Characters in one line. A kline row is ~150; a longer line is not a candle row (binary
   * junk, a file without line ends), and the limit bounds the text held for a partial line.
   */
  maxLineChars: 4096,
  /**
   * Entries in one ZIP (any name, read or skipped). Binance's dumps hold one CSV each; a year of
   * daily files merged by hand is 366. fflate's streaming Unzip keeps a list per entry and
   * prepends to it, so 65,535 empty entries (a 2 MB file) cost seconds of quadratic work.
   */
  maxZipEntries: 10_000,
};

/** Oldest open time accepted (2009-01-01 UTC, the first Bitcoin block): earlier is a unit error. */
export const EARLIEST_CANDLE_MS = Date.UTC(2009, 0, 1);

/** How far past "now" an open time may lie (clock skew; a time later than that is a unit error). */
export const FUTURE_SLACK_MS = 24 * 3_600_000;
