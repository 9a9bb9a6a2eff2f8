import { Unzip, UnzipInflate, type UnzipFile } from "fflate";
import { formatInt } from "../../core/format";
import { displayFileName, FileImportError } from "./errors";
import { FILE_IMPORT_LIMITS } from "./limits";

/** Where the bytes of one entry go, as they are inflated. */
export interface ByteSink {
  push(bytes: Uint8Array): void;
  end(): void;
}

/**
 * Compressed bytes handed to the inflater at a time. Deflate expands at most ~1032:1, so one
 * push yields at most ~4 MB even for a ZIP bomb; the sink then stops it by its byte limit.
 * Measured on a 40 KB ZIP of 40 MB of zeros: 32 KB pushes peaked at +130 MB and took 2.1 s,
 * 4 KB pushes +50 MB and 0.5 s; a real 85 MB dump reads as fast either way.
 */
const ZIP_PUSH_BYTES = 4 * 1024;

/** True when `data` starts with a ZIP local-file header. */
export function isZip(data: Uint8Array): boolean {
  return data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04;
}

/** The .csv entries the importer reads (macOS resource forks and folders are not candles). */
export function isCsvEntryName(name: string): boolean {
  return /\.csv$/i.test(name) && !name.startsWith("__MACOSX/") && !name.endsWith("/");
}

/**
 * The entry count declared by the ZIP's end-of-central-directory record (the last 22 bytes, plus
 * a comment of up to 64 KB); null when there is no such record, as in a file cut off in transit.
 * 0xffff means the count is in a ZIP64 record (not checked).
 */
function declaredEntryCount(data: Uint8Array): number | null {
  const last = Math.max(0, data.length - 22 - 0xffff);
  for (let e = data.length - 22; e >= last; e--) {
    if (data[e] === 0x50 && data[e + 1] === 0x4b && data[e + 2] === 0x05 && data[e + 3] === 0x06) {
      return data[e + 10] | (data[e + 11] << 8);
    }
  }
  return null;
}

const cutOff = (zipName: string, entry: string) =>
  new FileImportError(zipName, null, `not a readable ZIP archive (entry "${displayFileName(entry)}" is cut off).`);

const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Streams each .csv entry of the ZIP `data` (archive order) into the sink `open(entryName)`
 * returns, inflating as it goes (fflate's streaming Unzip), so no entry is ever held whole.
 * Sizes declared in the headers are not trusted: the sinks count what arrives, and the entries
 * found must match the count in the archive's end record. Returns how many
 * entries were read. What `open` or a sink throws propagates as is; anything the archive itself
 * does wrong (bad data, truncation, an unknown compression) becomes FileImportError naming `zipName`.
 */
export function streamZipCsvEntries(
  zipName: string,
  data: Uint8Array,
  open: (entryName: string) => ByteSink,
  maxEntries = FILE_IMPORT_LIMITS.maxZipEntries,
): number {
  const declared = declaredEntryCount(data);
  if (declared === null) {
    throw new FileImportError(
      zipName,
      null,
      "not a readable ZIP archive (it is cut off: the end-of-archive record is missing).",
    );
  }
  let failure: unknown = null;
  let seen = 0;
  let opened = 0;
  let unfinished: string | null = null; // an entry started and not ended (entries stream one after another)
  const unzip = new Unzip((file: UnzipFile) => {
    if (++seen > maxEntries && !failure) {
      failure = new FileImportError(
        zipName,
        null,
        `the archive holds more than ${formatInt(maxEntries)} entries; Binance's dumps hold one CSV each.`,
      );
    }
    if (failure || !isCsvEntryName(file.name)) return; // never started: fflate skips its bytes
    let sink: ByteSink;
    try {
      if (unfinished !== null) throw cutOff(zipName, unfinished);
      sink = open(file.name);
    } catch (e) {
      failure = e;
      return;
    }
    opened++;
    unfinished = file.name;
    file.ondata = (err, chunk, final) => {
      if (failure) return;
      try {
        if (err) {
          const entry = displayFileName(file.name);
          throw new FileImportError(zipName, null, `not a readable ZIP archive (entry "${entry}": ${reason(err)}).`);
        }
        if (chunk.length) sink.push(chunk);
        if (final) {
          unfinished = null;
          sink.end();
        }
      } catch (e) {
        failure = e;
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let at = 0; at < data.length && !failure; at += ZIP_PUSH_BYTES) {
      const end = Math.min(data.length, at + ZIP_PUSH_BYTES);
      unzip.push(data.subarray(at, end), end === data.length);
    }
  } catch (e) {
    // Thrown by fflate itself (our callbacks catch their own errors): the archive is broken.
    failure ??= new FileImportError(zipName, null, `not a readable ZIP archive (${reason(e)}).`);
  }
  if (failure) throw failure;
  if (unfinished !== null) throw cutOff(zipName, unfinished);
  // A header that lies about its sizes hides the entries after it inside its own data: the
  // count in the end record tells.
  if (declared !== 0xffff && seen !== declared) {
    throw new FileImportError(
      zipName,
      null,
      `not a readable ZIP archive (its directory lists ${declared} entries, but ${seen} were found).`,
    );
  }
  return opened;
}
