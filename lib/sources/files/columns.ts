/** Where parsed rows go: columns grown in blocks, and the row count shared by one import. */
import { CANDLE_FIELDS, emptyColumns, type CandleColumns } from "../../core/candles";
import { formatInt } from "../../core/format";
import { FileImportError } from "./errors";
import { FILE_IMPORT_LIMITS } from "./limits";

/** A count of rows shared by every CSV of one import, so that many entries cannot add up past the limit. */
export class RowBudget {
  private used = 0;
  constructor(readonly max: number = FILE_IMPORT_LIMITS.maxRows) {}

  /** Counts one row of `fileName`; throws FileImportError past the limit. */
  take(fileName: string, lineNo: number): void {
    if (++this.used > this.max) {
      throw new FileImportError(
        fileName,
        lineNo,
        `more than ${formatInt(this.max)} candle rows in one import (the limit that keeps memory bounded); import fewer months at a time.`,
      );
    }
  }
}

/** Rows per block while a CSV is read: the columns grow by blocks, never by copying. */
export const BLOCK_ROWS = 65_536;

/**
 * Candle columns that grow one row at a time, in fixed blocks (no doubling copy). The first
 * block may be sized from an upper bound on the rows (a whole file's line count), so that a
 * plain CSV ends in one block that is handed on without any copy.
 */
export class ColumnBlocks {
  private full: CandleColumns[] = [];
  private block: CandleColumns;
  private at = 0;

  constructor(firstBlockRows = BLOCK_ROWS) {
    this.block = emptyColumns(Math.max(1, firstBlockRows));
  }

  /** The block the next row goes to and its index there; commit() keeps the row. */
  slot(): [CandleColumns, number] {
    if (this.at === this.block.openTime.length) {
      this.full.push(this.block);
      this.block = emptyColumns(BLOCK_ROWS);
      this.at = 0;
    }
    return [this.block, this.at];
  }

  commit(): void {
    this.at++;
  }

  get length(): number {
    return this.full.reduce((n, b) => n + b.openTime.length, 0) + this.at;
  }

  /** The rows as exact-length columns; one field at a time, so only one field is held twice. */
  toColumns(): CandleColumns {
    const n = this.length;
    const blocks = [...this.full, this.block];
    const out = {} as CandleColumns;
    for (const f of CANDLE_FIELDS) {
      if (blocks.length === 1) {
        // Views when the block is nearly full (its spare rows are not worth a copy of all rows).
        const b = blocks[0][f];
        out[f] = n === b.length ? b : n >= b.length * 0.9 ? b.subarray(0, n) : b.slice(0, n);
        continue;
      }
      out[f] = new Float64Array(n);
      let at = 0;
      for (const b of blocks) {
        const rows = b === this.block ? b[f].subarray(0, this.at) : b[f];
        out[f].set(rows, at);
        at += rows.length;
        b[f] = new Float64Array(0);
      }
    }
    this.full = [];
    return out;
  }
}
