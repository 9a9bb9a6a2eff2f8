import { Inflate } from "fflate";
import { formatBytes } from "@/lib/core/format";
import { crc32 } from "./crc32";

/**
 * A ZIP reader that never inflates more than it was allowed to. fflate's unzipSync inflates every
 * entry it is given into a buffer of the size the header declares, on the calling thread; a
 * 1.96 MB bundle holding four 500 MB zero-filled entries took 8.7 s and 2 GB that way (issue 17).
 * Here reading is two steps:
 * 1. `readZipDirectory` parses the central directory only and refuses, before anything is
 *    inflated, too many entries, an entry declaring more than the per-entry limit, declared sizes
 *    adding up past the total limit, duplicate names, encryption and unknown methods;
 * 2. `inflateEntry` inflates one entry the caller asked for by name, as a stream, into a buffer
 *    of its declared size, and stops at the first output byte past it (a header that says "small"
 *    over data that inflates huge costs one chunk, not the huge size); then checks the CRC-32.
 * Local headers are only read for entries that are inflated, and must name the same file.
 */

/** What a ZIP may declare before anything of it is inflated. */
export interface ZipLimits {
  /** Entries in the central directory. */
  maxEntries: number;
  /** Declared uncompressed bytes of any one entry. */
  maxEntryBytes: number;
  /** Declared uncompressed bytes of all entries together. */
  maxTotalBytes: number;
}

/** One entry of the central directory (sizes in bytes, as declared there). */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate. */
  method: 0 | 8;
  compressedSize: number;
  /** Declared uncompressed size. */
  size: number;
  crc: number;
  /** Offset of the entry's local header. */
  localOffset: number;
  /** Raw name bytes, compared with the local header's. */
  nameBytes: Uint8Array;
}

/**
 * Why a ZIP was refused. `kind`: "not-zip" (no readable directory: not a ZIP or cut off),
 * "limit" (declares more than allowed), "damaged" (an entry's data or header is broken),
 * "unsupported" (encryption, ZIP64, other compression methods, multi-disk).
 */
export class ZipError extends Error {
  constructor(
    readonly kind: "not-zip" | "limit" | "damaged" | "unsupported",
    message: string,
    readonly entry?: string,
  ) {
    super(message);
    this.name = "ZipError";
  }
}

const EOCD_SIG = 0x06054b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
/** Compressed bytes fed to the inflater per step: deflate expands at most ~1032:1, so one step
 * outputs at most ~4 MB before the size check runs. */
const INFLATE_STEP = 4096;

/** An entry name fit for a message: control characters shown as "?", at most 80 characters. */
export function displayName(name: string): string {
  const clean = name.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
  return clean.length > 80 ? `${clean.slice(0, 77)}…` : clean;
}

/** The central directory of `bytes` by entry name; throws ZipError (see the module comment). */
export function readZipDirectory(bytes: Uint8Array, limits: ZipLimits): Map<string, ZipEntry> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEndRecord(bytes, dv);
  if (eocd < 0) throw new ZipError("not-zip", "no ZIP end record (not a ZIP, or cut off)");
  const disk = dv.getUint16(eocd + 4, true);
  const cdDisk = dv.getUint16(eocd + 6, true);
  const count = dv.getUint16(eocd + 10, true);
  const cdSize = dv.getUint32(eocd + 12, true);
  const cdOffset = dv.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff)
    throw new ZipError("unsupported", "ZIP64 archives are not read (a bundle is far below 4 GB)");
  if (disk !== 0 || cdDisk !== 0) throw new ZipError("unsupported", "multi-part ZIP archives are not read");
  if (count > limits.maxEntries)
    throw new ZipError("limit", `the ZIP holds ${count} entries; at most ${limits.maxEntries} are read`);
  if (cdOffset + cdSize > eocd) throw new ZipError("not-zip", "the ZIP's directory lies outside the file");
  const entries = new Map<string, ZipEntry>();
  let total = 0;
  let pos = cdOffset;
  for (let i = 0; i < count; i++) {
    if (pos + 46 > cdOffset + cdSize || dv.getUint32(pos, true) !== CENTRAL_SIG)
      throw new ZipError("not-zip", `the ZIP's directory is damaged at entry ${i + 1} of ${count}`);
    const flags = dv.getUint16(pos + 8, true);
    const method = dv.getUint16(pos + 10, true);
    const nameLen = dv.getUint16(pos + 28, true);
    const end = pos + 46 + nameLen + dv.getUint16(pos + 30, true) + dv.getUint16(pos + 32, true);
    if (end > cdOffset + cdSize)
      throw new ZipError("not-zip", `the ZIP's directory is damaged at entry ${i + 1} of ${count}`);
    const nameBytes = bytes.subarray(pos + 46, pos + 46 + nameLen);
    // Bit 11: the name is UTF-8; otherwise code page 437, read as Latin-1 like fflate does.
    const name =
      flags & 0x800
        ? new TextDecoder().decode(nameBytes)
        : Array.from(nameBytes, (b) => String.fromCharCode(b)).join("");
    const shown = displayName(name);
    const entry: ZipEntry = {
      name,
      method: method as 0 | 8,
      crc: dv.getUint32(pos + 16, true),
      compressedSize: dv.getUint32(pos + 20, true),
      size: dv.getUint32(pos + 24, true),
      localOffset: dv.getUint32(pos + 42, true),
      nameBytes,
    };
    pos = end;
    if (entries.has(name))
      throw new ZipError("damaged", `the ZIP holds two entries named "${shown}" (which one is meant?)`, name);
    if (flags & 1) throw new ZipError("unsupported", `"${shown}" is encrypted`, name);
    if (method !== 0 && method !== 8)
      throw new ZipError("unsupported", `"${shown}" uses compression method ${method} (only stored and deflate)`, name);
    if (entry.size > limits.maxEntryBytes)
      throw new ZipError(
        "limit",
        `"${shown}" is too large: it declares ${formatBytes(entry.size)} inflated, the limit per entry is ${formatBytes(limits.maxEntryBytes)}`,
        name,
      );
    total += entry.size;
    if (total > limits.maxTotalBytes)
      throw new ZipError(
        "limit",
        `the ZIP's entries declare more than ${formatBytes(limits.maxTotalBytes)} inflated in all (the limit)`,
      );
    entries.set(name, entry);
  }
  return entries;
}

/** Offset of the end-of-central-directory record (searched back over a comment of ≤ 64 KB), or -1. */
function findEndRecord(bytes: Uint8Array, dv: DataView): number {
  const last = bytes.length - 22;
  for (let p = last; p >= 0 && p >= last - 0xffff; p--) if (dv.getUint32(p, true) === EOCD_SIG) return p;
  return -1;
}

/**
 * The entry's bytes (a fresh buffer of exactly its declared size). Throws ZipError "damaged" when
 * its local header does not match, its data runs past the file, it inflates to more or fewer
 * bytes than declared (stopping at the first byte more), or its CRC-32 differs.
 */
export function inflateEntry(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const shown = `"${displayName(entry.name)}"`;
  const damaged = (why: string) => new ZipError("damaged", `${shown} is damaged (${why})`, entry.name);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = entry.localOffset;
  if (lo + 30 > bytes.length || dv.getUint32(lo, true) !== LOCAL_SIG) throw damaged("no local header");
  const nameLen = dv.getUint16(lo + 26, true);
  const start = lo + 30 + nameLen + dv.getUint16(lo + 28, true);
  const local = bytes.subarray(lo + 30, lo + 30 + nameLen);
  if (local.length !== entry.nameBytes.length || local.some((b, i) => b !== entry.nameBytes[i]))
    throw damaged("its local header names another file");
  if (start + entry.compressedSize > bytes.length) throw damaged("its data runs past the end of the file");
  const data = bytes.subarray(start, start + entry.compressedSize);
  let out: Uint8Array;
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) throw damaged("stored size differs from its declared size");
    out = data.slice();
  } else {
    out = inflateCapped(data, entry.size, shown, damaged);
  }
  if (crc32(out) !== entry.crc) throw damaged("checksum mismatch");
  return out;
}

function inflateCapped(data: Uint8Array, size: number, shown: string, damaged: (why: string) => ZipError): Uint8Array {
  const out = new Uint8Array(size);
  let n = 0;
  const inflater = new Inflate((chunk) => {
    if (n + chunk.length > size)
      throw new ZipError("damaged", `${shown} inflates to more than the ${formatBytes(size)} its header declares`);
    out.set(chunk, n);
    n += chunk.length;
  });
  try {
    if (data.length === 0) inflater.push(data, true);
    for (let i = 0; i < data.length; i += INFLATE_STEP)
      inflater.push(data.subarray(i, i + INFLATE_STEP), i + INFLATE_STEP >= data.length);
  } catch (e) {
    if (e instanceof ZipError) throw e;
    throw damaged("its compressed data cannot be inflated");
  }
  if (n !== size) throw damaged(`it inflates to ${n} bytes, its header declares ${size}`);
  return out;
}
