import type { Dataset, WindowSource } from "../core/dataset";
import { sampleEnds } from "../core/build-dataset";
import { normalizedSource, rawSource } from "../core/normalize";
import { gatherWindows } from "../core/windows";
import { crc32 } from "./zip/crc32";

export { crc32 };

/**
 * Streaming .npz writer: a ZIP of STORED (uncompressed) .npy entries, written in one forward
 * pass. Sizes are known up front; each entry's CRC-32 is computed while its bytes stream out and
 * written in a data descriptor after it, so nothing is held in memory beyond one chunk.
 * Entries or offsets past 4 GiB switch to ZIP64 records (NumPy / Python's zipfile read both).
 */

/** One array of the archive: its .npy header fields and a producer of its raw bytes. */
export interface NpzEntry {
  /** Entry name without ".npy", e.g. "X". */
  name: string;
  /** NumPy dtype descr, e.g. "<f4", "|u1", "<i8". */
  descr: string;
  shape: number[];
  /** Total bytes of data (product(shape) * itemsize). */
  dataBytes: number;
  /** Yields exactly dataBytes bytes, in order, little-endian. */
  data(): Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
}

const enc = new TextEncoder();

/** NPY format v1.0 header (magic, version 1.0, header length, dict padded so data is 64-aligned). */
export function npyHeader(descr: string, shape: readonly number[]): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = 10 + dict.length + 1;
  dict += " ".repeat((64 - (total % 64)) % 64) + "\n";
  if (dict.length > 0xffff) throw new Error("npy header too long for format 1.0");
  const out = new Uint8Array(10 + dict.length);
  out.set([0x93, ...enc.encode("NUMPY"), 1, 0, dict.length & 0xff, dict.length >> 8]);
  out.set(enc.encode(dict), 10);
  return out;
}

const LIMIT = 0xffffffff;

class Bytes {
  private buf: number[] = [];
  u16(v: number) {
    this.buf.push(v & 0xff, (v >>> 8) & 0xff);
    return this;
  }
  u32(v: number) {
    this.buf.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
    return this;
  }
  u64(v: number) {
    this.u32(v % 2 ** 32);
    return this.u32(Math.floor(v / 2 ** 32));
  }
  raw(b: Uint8Array) {
    for (const x of b) this.buf.push(x);
    return this;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.buf);
  }
}

// DOS date/time of 1980-01-01 00:00 (fixed so exports are byte-for-byte reproducible).
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** Total size of the archive writeNpz will produce (for progress bars and Content-Length). */
export function npzByteLength(entries: readonly NpzEntry[], options: { forceZip64?: boolean } = {}): number {
  let off = 0;
  let cd = 0;
  for (const e of entries) {
    const name = enc.encode(`${e.name}.npy`).length;
    const size = npyHeader(e.descr, e.shape).length + e.dataBytes;
    const z64 = options.forceZip64 || size >= LIMIT || off >= LIMIT;
    off += 30 + name + (z64 ? 20 : 0) + size + (z64 ? 24 : 16);
    cd += 46 + name + (z64 ? 28 : 0);
  }
  const z64end = options.forceZip64 || off >= LIMIT || cd >= LIMIT || entries.length >= 0xffff;
  return off + cd + (z64end ? 56 + 20 : 0) + 22;
}

/**
 * Streams a .npz archive holding `entries` (as "<name>.npy") as Uint8Array chunks. Pipe it into
 * a download (e.g. a ReadableStream / Blob parts) or a file. Memory: one producer chunk at a time.
 */
export async function* writeNpz(
  entries: readonly NpzEntry[],
  options: { forceZip64?: boolean } = {},
): AsyncGenerator<Uint8Array> {
  let offset = 0;
  const central: { name: Uint8Array; crc: number; size: number; offset: number; z64: boolean }[] = [];
  for (const e of entries) {
    const name = enc.encode(`${e.name}.npy`);
    const header = npyHeader(e.descr, e.shape);
    const size = header.length + e.dataBytes;
    const z64 = Boolean(options.forceZip64) || size >= LIMIT || offset >= LIMIT;
    const local = new Bytes()
      .u32(0x04034b50)
      .u16(z64 ? 45 : 20)
      .u16(0x0008) // sizes and CRC follow in a data descriptor
      .u16(0) // STORED
      .u16(DOS_TIME)
      .u16(DOS_DATE)
      .u32(0)
      .u32(z64 ? LIMIT : 0)
      .u32(z64 ? LIMIT : 0)
      .u16(name.length)
      .u16(z64 ? 20 : 0)
      .raw(name);
    if (z64) local.u16(0x0001).u16(16).u64(0).u64(0);
    const lh = local.done();
    yield lh;
    const entryOffset = offset;
    offset += lh.length;
    let crc = crc32(header);
    yield header;
    let written = header.length;
    for await (const chunk of e.data()) {
      crc = crc32(chunk, crc);
      written += chunk.length;
      yield chunk;
    }
    if (written !== size)
      throw new Error(`npz entry ${e.name}: produced ${written - header.length} data bytes, declared ${e.dataBytes}`);
    offset += size;
    const dd = z64
      ? new Bytes().u32(0x08074b50).u32(crc).u64(size).u64(size).done()
      : new Bytes().u32(0x08074b50).u32(crc).u32(size).u32(size).done();
    yield dd;
    offset += dd.length;
    central.push({ name, crc, size, offset: entryOffset, z64 });
  }
  const cdStart = offset;
  for (const c of central) {
    const b = new Bytes()
      .u32(0x02014b50)
      .u16(c.z64 ? 45 : 20)
      .u16(c.z64 ? 45 : 20)
      .u16(0x0008)
      .u16(0)
      .u16(DOS_TIME)
      .u16(DOS_DATE)
      .u32(c.crc)
      .u32(c.z64 ? LIMIT : c.size)
      .u32(c.z64 ? LIMIT : c.size)
      .u16(c.name.length)
      .u16(c.z64 ? 28 : 0)
      .u16(0)
      .u16(0)
      .u16(0)
      .u32(0)
      .u32(c.z64 ? LIMIT : c.offset)
      .raw(c.name);
    if (c.z64) b.u16(0x0001).u16(24).u64(c.size).u64(c.size).u64(c.offset);
    const bytes = b.done();
    yield bytes;
    offset += bytes.length;
  }
  const cdSize = offset - cdStart;
  const n = central.length;
  const z64end = Boolean(options.forceZip64) || cdStart >= LIMIT || cdSize >= LIMIT || n >= 0xffff;
  const end = new Bytes();
  if (z64end) {
    end.u32(0x06064b50).u64(44).u16(45).u16(45).u32(0).u32(0).u64(n).u64(n).u64(cdSize).u64(cdStart);
    end.u32(0x07064b50).u32(0).u64(offset).u32(1);
  }
  end
    .u32(0x06054b50)
    .u16(0)
    .u16(0)
    .u16(z64end ? 0xffff : n)
    .u16(z64end ? 0xffff : n)
    .u32(z64end ? LIMIT : cdSize)
    .u32(z64end ? LIMIT : cdStart)
    .u16(0);
  yield end.done();
}

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error("npz export needs a little-endian platform");

export interface WindowsNpzOptions {
  /** dtype of y: "uint8" (default) or "int64" (what Keras' sparse losses often expect). */
  yDtype?: "uint8" | "int64";
  /** Samples gathered per chunk of X (default 64: ~1.3 MB for 120 x 42). */
  chunkSamples?: number;
}

/**
 * The two entries of a training export: X float32 [N, window, F] gathered from `source` chunk by
 * chunk, and y [N] = labels at `ends`.
 */
export function windowsNpzEntries(
  source: WindowSource,
  ends: Int32Array,
  labels: ArrayLike<number>,
  options: WindowsNpzOptions = {},
): NpzEntry[] {
  const n = ends.length;
  const per = source.window * source.features;
  const chunk = Math.max(1, options.chunkSamples ?? 64);
  const int64 = options.yDtype === "int64";
  return [
    {
      name: "X",
      descr: "<f4",
      shape: [n, source.window, source.features],
      dataBytes: n * per * 4,
      *data() {
        for (let k = 0; k < n; k += chunk) {
          // a fresh buffer per chunk: consumers (stream queues) may hold on to earlier chunks
          const x = gatherWindows(source, ends.subarray(k, Math.min(n, k + chunk)));
          yield new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
        }
      },
    },
    {
      name: "y",
      descr: int64 ? "<i8" : "|u1",
      shape: [n],
      dataBytes: n * (int64 ? 8 : 1),
      *data() {
        const y = int64 ? new BigInt64Array(n) : new Uint8Array(n);
        for (let k = 0; k < n; k++) {
          const c = labels[ends[k]];
          if (!(c >= 0)) throw new Error(`row ${ends[k]} has no label`);
          if (y instanceof BigInt64Array) y[k] = BigInt(c);
          else y[k] = c;
        }
        yield new Uint8Array(y.buffer);
      },
    },
  ];
}

export interface DatasetNpzOptions extends WindowsNpzOptions {
  /** Which samples: every labelled window (default) or one split part. */
  part?: "all" | "train" | "val" | "test";
  /** Normalised with the training statistics (default true) or raw features. */
  normalized?: boolean;
  forceZip64?: boolean;
}

/** The dataset as a streamed .npz (X [N, window, F] float32, y [N]); also returns its size. */
export function datasetNpz(
  ds: Dataset,
  options: DatasetNpzOptions = {},
): { bytes: number; samples: number; chunks: AsyncIterable<Uint8Array> } {
  const part = options.part ?? "all";
  const ends = part === "all" ? sampleEnds(ds) : ds.split[part];
  const source = options.normalized === false ? rawSource(ds) : normalizedSource(ds);
  const entries = windowsNpzEntries(source, ends, ds.labels, options);
  return { bytes: npzByteLength(entries, options), samples: ends.length, chunks: writeNpz(entries, options) };
}
