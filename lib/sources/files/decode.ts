import { FileImportError } from "./errors";

/** Text encodings a candle CSV is read in. */
export type CsvEncoding = "utf-8" | "utf-16le" | "utf-16be";

/** Bytes looked at before the encoding is decided (a few header characters). */
const SNIFF_BYTES = 64;

/**
 * The encoding of a CSV from its first bytes: a byte-order mark (EF BB BF, FF FE, FE FF), or,
 * without one, NULs between ASCII characters (UTF-16 as Excel's "Unicode text" writes it).
 * Issue 17 item 10: a UTF-16 file read as UTF-8 got "header lacks column(s)" with no hint.
 * Throws FileImportError when the bytes hold NULs in no UTF-16 pattern (binary data).
 */
export function sniffEncoding(head: Uint8Array, fileName: string): CsvEncoding {
  if (head[0] === 0xff && head[1] === 0xfe) return "utf-16le";
  if (head[0] === 0xfe && head[1] === 0xff) return "utf-16be";
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return "utf-8";
  const pairs = head.length >> 1;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  if (evenNul + oddNul === 0 || pairs === 0) return "utf-8";
  // ASCII text in UTF-16 has a NUL in every pair, always on the same side.
  if (oddNul >= pairs * 0.9 && evenNul === 0) return "utf-16le";
  if (evenNul >= pairs * 0.9 && oddNul === 0) return "utf-16be";
  throw new FileImportError(fileName, null, "this is binary data, not a CSV text file.");
}

/**
 * Decodes a byte stream to text chunk by chunk (TextDecoder with stream: true, so a character
 * split across chunks is kept whole), in the encoding sniffed from the first bytes. The byte
 * order mark is dropped. Invalid UTF-8 becomes U+FFFD (the row then fails as "not a number").
 */
export class CsvTextDecoder {
  private decoder: TextDecoder | null = null;
  private head: Uint8Array[] = [];
  private headBytes = 0;
  /** The encoding once decided (after SNIFF_BYTES bytes or at the end). */
  encoding: CsvEncoding | null = null;

  constructor(
    private readonly fileName: string,
    private readonly onText: (text: string) => void,
  ) {}

  /** Feeds bytes; calls onText with what they decode to (possibly nothing yet). */
  push(bytes: Uint8Array): void {
    if (this.decoder) {
      const text = this.decoder.decode(bytes, { stream: true });
      if (text) this.onText(text);
      return;
    }
    this.head.push(bytes);
    this.headBytes += bytes.length;
    if (this.headBytes >= SNIFF_BYTES) this.start();
  }

  /** Ends the stream, flushing a final partial character (as U+FFFD). */
  end(): void {
    if (!this.decoder) this.start();
    const text = this.decoder!.decode();
    if (text) this.onText(text);
  }

  private start(): void {
    const head = new Uint8Array(this.headBytes);
    let at = 0;
    for (const part of this.head) {
      head.set(part, at);
      at += part.length;
    }
    this.head = [];
    this.encoding = sniffEncoding(head.subarray(0, SNIFF_BYTES), this.fileName);
    this.decoder = new TextDecoder(this.encoding);
    const text = this.decoder.decode(head, { stream: true });
    if (text) this.onText(text);
  }
}
