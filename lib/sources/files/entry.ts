import { formatBytes } from "../../core/format";
import { CandleCsvReader, type CsvReadOptions, type ParsedCsv } from "./csv";
import { CsvTextDecoder } from "./decode";
import { FileImportError } from "./errors";
import { FILE_IMPORT_LIMITS } from "./limits";
import { LineSplitter } from "./lines";
import type { ByteSink } from "./zip";

/**
 * Counts the lines that hold something, chunk by chunk: an upper bound on a CSV's rows that a
 * file of blank lines does not inflate (40 MB of "\n" would otherwise size the columns for
 * millions of rows). A line feed ends a blank line when the byte before it (or the two before
 * it, for "\r\n") is another line feed or the start; in UTF-16 every line counts, which only
 * overestimates.
 */
export class LineCounter {
  /** The two bytes before the next chunk (a line feed at the start: the file begins a line). */
  private p1 = 10;
  private p2 = 10;
  /** Lines with content ended so far, plus one for a last line without a line end. */
  private ended = 0;

  push(bytes: Uint8Array): void {
    for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) {
      const b1 = at >= 1 ? bytes[at - 1] : this.p1;
      const b2 = at >= 2 ? bytes[at - 2] : at === 1 ? this.p1 : this.p2;
      if (!(b1 === 10 || (b1 === 13 && b2 === 10))) this.ended++;
      while (bytes[at + 1] === 10) at++; // a run of blank lines, skipped without a search each
    }
    if (bytes.length >= 2) [this.p2, this.p1] = [bytes[bytes.length - 2], bytes[bytes.length - 1]];
    else if (bytes.length === 1) [this.p2, this.p1] = [this.p1, bytes[0]];
  }

  /** At least the number of rows the bytes pushed can hold. */
  get rowsAtMost(): number {
    return this.ended + 1;
  }
}

/** Adds `more` bytes to a CSV's count; throws FileImportError past `maxBytes`. */
function countBytes(name: string, before: number, more: number, maxBytes: number): number {
  const total = before + more;
  if (total > maxBytes) {
    throw new FileImportError(
      name,
      null,
      `larger than ${formatBytes(maxBytes)} of text (the limit that keeps memory bounded); split it into months.`,
    );
  }
  return total;
}

/**
 * A first pass over a ZIP entry: counts its bytes (refusing one past the limit before any row
 * is parsed) and its lines, an upper bound on its rows (see CsvEntryReader's maxRowsHint).
 */
export class EntryCounter implements ByteSink {
  private bytes = 0;
  readonly lines = new LineCounter();

  constructor(
    readonly name: string,
    private readonly maxBytes = FILE_IMPORT_LIMITS.maxCsvBytes,
  ) {}

  push(bytes: Uint8Array): void {
    this.bytes = countBytes(this.name, this.bytes, bytes.length, this.maxBytes);
    this.lines.push(bytes);
  }

  end(): void {}
}

/**
 * One CSV read as a byte stream: bytes are counted against FILE_IMPORT_LIMITS.maxCsvBytes,
 * decoded (encoding sniffed), cut into lines and parsed row by row. Memory holds the rows read
 * and one partial line, never the file's text (issue 17 item 4).
 */
export class CsvEntryReader implements ByteSink {
  private bytes = 0;
  private readonly decoder: CsvTextDecoder;
  private readonly lines: LineSplitter;
  private readonly reader: CandleCsvReader;
  private parsed: ParsedCsv | null = null;
  private readonly maxBytes: number;

  /**
   * `name` is the name shown in messages ("archive.zip/entry.csv" for a ZIP entry);
   * `opts.maxRowsHint` (LineCounter's bound, when known) lets the columns be allocated once at their
   * final size: on the 85 MB ZIP of a 197 MB, 1.5M-row CSV, the import's peak went from +283 MB
   * (columns grown in blocks, then copied) to +198 MB.
   */
  constructor(
    readonly name: string,
    opts: CsvReadOptions = {},
  ) {
    const limits = opts.limits ?? FILE_IMPORT_LIMITS;
    this.maxBytes = limits.maxCsvBytes;
    this.reader = new CandleCsvReader(name, opts);
    this.lines = new LineSplitter(name, limits.maxLineChars, (line, n) => this.reader.line(line, n));
    this.decoder = new CsvTextDecoder(name, (text) => this.lines.push(text));
  }

  push(bytes: Uint8Array): void {
    this.bytes = countBytes(this.name, this.bytes, bytes.length, this.maxBytes);
    this.decoder.push(bytes);
  }

  end(): void {
    this.decoder.end();
    this.lines.end();
    this.parsed = this.reader.finish();
  }

  /** The parsed CSV; only after end(). */
  result(): ParsedCsv {
    if (!this.parsed) throw new FileImportError(this.name, null, "the file ended before it was read.");
    return this.parsed;
  }
}

/** Bytes of a plain CSV handed to the reader at a time (subarrays: no copy). */
const CSV_PUSH_BYTES = 1024 * 1024;

/** Reads a CSV that is whole in memory through the same stream as a ZIP entry. */
export function readCsvBytes(name: string, data: Uint8Array, opts: CsvReadOptions = {}): ParsedCsv {
  countBytes(name, 0, data.length, (opts.limits ?? FILE_IMPORT_LIMITS).maxCsvBytes);
  const lines = new LineCounter();
  lines.push(data);
  const entry = new CsvEntryReader(name, { ...opts, maxRowsHint: lines.rowsAtMost });
  for (let at = 0; at < data.length; at += CSV_PUSH_BYTES) entry.push(data.subarray(at, at + CSV_PUSH_BYTES));
  entry.end();
  return entry.result();
}
