/**
 * Real-shaped candle files for the file-import fuzz suites and the memory check: the layouts of
 * the real files under ../shared/data (which tests must not read) and of Binance's public dumps,
 * generated from a seed. A Binance dump row has 12 columns and no header; the /api/v3/klines
 * capture has the same columns under a header; dumps from 2025 on write times in µs; the 4h
 * capture is OHLCV with `YYYY-MM-DD HH:MM:SS` UTC times.
 */
import { createDeflateRaw, crc32 } from "node:zlib";
import { Zip, zipSync, strToU8, type ZipInputFile } from "fflate";
import { mulberry32 } from "../../lib/core/random";

export const HOUR_MS = 3_600_000;

/** The header row of the real BTCUSDT-1h capture. */
export const BINANCE_HEADER =
  "Open time,Open,High,Low,Close,Volume,Close time,Quote asset volume,Number of trades,Taker buy base asset volume,Taker buy quote asset volume,Ignore";

export type FixtureLayout = "binance" | "binance-header" | "binance-us" | "ohlcv-iso";

export interface KlineOptions {
  /** Open time of the first row, UTC ms (default 2023-03-01). */
  start?: number;
  /** Candle length in ms (default 1h). */
  stepMs?: number;
  seed?: number;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** `YYYY-MM-DD HH:MM:SS` in UTC, as in the real 4h capture. */
export function isoCell(t: number): string {
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:00`;
}

/**
 * Yields `n` CSV rows (no line ends) of a random-walk BTC-like series in `layout`; prices with 8
 * decimals like Binance's. The header (when the layout has one) is not included: see headerOf.
 */
export function* klineRows(n: number, layout: FixtureLayout, opts: KlineOptions = {}): Generator<string> {
  const rand = mulberry32(opts.seed ?? 1);
  const step = opts.stepMs ?? HOUR_MS;
  let t = opts.start ?? Date.UTC(2023, 2, 1);
  let price = 20_000 + rand() * 10_000;
  for (let i = 0; i < n; i++, t += step) {
    const open = price;
    const close = Math.max(1, open * (1 + (rand() - 0.5) * 0.02));
    const high = Math.max(open, close) * (1 + rand() * 0.005);
    const low = Math.min(open, close) * (1 - rand() * 0.005);
    const volume = rand() * 2_000;
    price = close;
    if (layout === "ohlcv-iso") {
      yield `${isoCell(t)},${open.toFixed(2)},${high.toFixed(2)},${low.toFixed(2)},${close.toFixed(2)},${volume.toFixed(5)}`;
      continue;
    }
    const scale = layout === "binance-us" ? 1000 : 1;
    const closeTime = (t + step) * scale - 1;
    const trades = Math.floor(rand() * 200_000);
    const takerBase = volume * rand();
    yield [
      t * scale,
      open.toFixed(8),
      high.toFixed(8),
      low.toFixed(8),
      close.toFixed(8),
      volume.toFixed(8),
      closeTime,
      (volume * close).toFixed(8),
      trades,
      takerBase.toFixed(8),
      (takerBase * close).toFixed(8),
      0,
    ].join(",");
  }
}

/** The header line of `layout`, or null for the headerless dump layouts. */
export function headerOf(layout: FixtureLayout): string | null {
  if (layout === "binance-header") return BINANCE_HEADER;
  if (layout === "ohlcv-iso") return "timestamp,open,high,low,close,volume";
  return null;
}

/** A whole CSV text in `layout` (header first when it has one), rows ended by `\n`. */
export function candleCsv(n: number, layout: FixtureLayout, opts: KlineOptions = {}): string {
  const head = headerOf(layout);
  const lines = head ? [head] : [];
  for (const row of klineRows(n, layout, opts)) lines.push(row);
  return lines.join("\n") + "\n";
}

/** A Binance-style dump name, e.g. `BTCUSDT-1h-2023-03.csv`. */
export function dumpName(symbol: string, interval: string, month: number, ext = "csv"): string {
  return `${symbol}-${interval}-2023-${pad2(month)}.${ext}`;
}

/** A ZIP (deflated, as Binance's are) holding `entries` (name → CSV text). */
export function zipOf(entries: Record<string, string>): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const [name, text] of Object.entries(entries)) files[name] = strToU8(text);
  return zipSync(files, { level: 6 });
}

/**
 * A ZIP holding one entry of `bytes` bytes: `block` repeated (the shape of issue 17's 0.58 MB ZIP
 * holding a 600 MB CSV). Deflated as a stream by Node's zlib, so the inflated bytes are never
 * held whole, then wrapped by fflate's Zip as a precompressed entry (sizes and CRC in a data
 * descriptor, as macOS writes them).
 */
export async function repeatedCsvZip(entryName: string, block: Uint8Array, bytes: number): Promise<Uint8Array> {
  const z = createDeflateRaw({ level: 9 });
  const deflated: Buffer[] = [];
  z.on("data", (c: Buffer) => deflated.push(c));
  const done = new Promise<void>((resolve, reject) => {
    z.on("end", resolve);
    z.on("error", reject);
  });
  let crc = 0;
  for (let left = bytes; left > 0; left -= block.length) {
    const piece = left >= block.length ? block : block.subarray(0, left);
    crc = crc32(piece, crc);
    if (!z.write(piece)) await new Promise((r) => z.once("drain", r));
  }
  z.end();
  await done;
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    parts.push(chunk);
  });
  const entry: ZipInputFile = { filename: entryName, compression: 8, size: bytes, crc };
  zip.add(entry);
  entry.ondata!(null, new Uint8Array(Buffer.concat(deflated)), true);
  zip.end();
  return new Uint8Array(Buffer.concat(parts));
}
