import { formatInt } from "../../core/format";
import { FileImportError } from "./errors";

/**
 * Cuts a text stream into lines (`\n` or `\r\n`; the end-of-line is dropped), whatever the
 * chunk borders, and hands each non-empty one to `onLine` with its 1-based number. Only the unfinished last
 * line is held between chunks, and it may not grow past `maxLineChars`: a file with no line
 * ends (or binary junk) is refused by line number instead of growing one huge string.
 */
export class LineSplitter {
  private carry = "";
  private lineNo = 0;

  constructor(
    private readonly fileName: string,
    private readonly maxLineChars: number,
    private readonly onLine: (line: string, lineNo: number) => void,
  ) {}

  /** Feeds decoded text. */
  push(text: string): void {
    let from = 0;
    let nl = text.indexOf("\n");
    if (nl >= 0 && this.carry) {
      this.emit(this.carry + text.slice(0, nl));
      this.carry = "";
      from = nl + 1;
      nl = text.indexOf("\n", from);
    }
    while (nl >= 0) {
      if (nl === from || (nl === from + 1 && text.charCodeAt(from) === 13)) {
        // Runs of empty lines are skipped here, not handed on: a ZIP of 40 MB of "\n" took 8 s.
        this.lineNo++;
        from = nl + 1;
        for (let c = text.charCodeAt(from); c === 10 || (c === 13 && text.charCodeAt(from + 1) === 10);) {
          this.lineNo++;
          from += c === 10 ? 1 : 2;
          c = text.charCodeAt(from);
        }
      } else {
        this.emit(text.slice(from, nl));
        from = nl + 1;
      }
      nl = text.indexOf("\n", from);
    }
    if (from < text.length) {
      if (this.carry.length + text.length - from > this.maxLineChars) this.tooLong(this.lineNo + 1);
      this.carry += text.slice(from);
    }
  }

  /** Ends the stream: the last line, when it has no line end, is handed on too. */
  end(): void {
    if (this.carry) this.emit(this.carry);
    this.carry = "";
  }

  private emit(line: string): void {
    this.lineNo++;
    if (line.length > this.maxLineChars) this.tooLong(this.lineNo);
    this.onLine(line.endsWith("\r") ? line.slice(0, -1) : line, this.lineNo);
  }

  private tooLong(lineNo: number): never {
    throw new FileImportError(
      this.fileName,
      lineNo,
      `the line is longer than ${formatInt(this.maxLineChars)} characters (a candle row has about 150); this is not a candle CSV.`,
    );
  }
}
