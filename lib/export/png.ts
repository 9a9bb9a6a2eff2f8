/**
 * A tiny PNG encoder (8-bit RGBA, no interlace, filter 0 on every scanline) for charts that must
 * be downloadable without a DOM or canvas (workers, Node tests). Compression by fflate's zlibSync.
 */
import { unzlibSync, zlibSync } from "fflate";
import { crc32 } from "./zip/crc32";

const SIGNATURE = Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10]);

/** CRC-32 of PNG chunks: the same polynomial as ZIP's (one implementation, ./zip/crc32). */
export { crc32 };

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Encodes RGBA pixels [height * width * 4] (row-major, top row first) as PNG bytes.
 * @param level zlib level 0..9 (default 6)
 */
export function encodePng(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  level: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 = 6,
): Uint8Array {
  if (!(width > 0 && height > 0 && Number.isInteger(width) && Number.isInteger(height)))
    throw new Error(`bad PNG size ${width}x${height}`);
  if (rgba.length !== width * height * 4) throw new Error(`rgba length ${rgba.length} != ${width} * ${height} * 4`);
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // filter method
  ihdr[12] = 0; // no interlace
  const stride = width * 4;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type None: simple, and charts compress well anyway
    raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  const parts = [
    SIGNATURE,
    chunk("IHDR", ihdr),
    chunk("IDAT", zlibSync(raw, { level })),
    chunk("IEND", new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export interface DecodedPng {
  width: number;
  height: number;
  /** Chunk types in file order, e.g. ["IHDR", "IDAT", "IEND"]. */
  chunks: string[];
  /** Pixels [height * width * 4]. */
  rgba: Uint8Array;
}

/**
 * Reads back a PNG written by encodePng (8-bit RGBA, non-interlaced, filter None only), checking
 * the signature and every chunk's CRC; throws on anything else. For tests and for verifying
 * downloads, not a general decoder.
 */
export function decodePng(bytes: Uint8Array): DecodedPng {
  for (let i = 0; i < 8; i++) if (bytes[i] !== SIGNATURE[i]) throw new Error("not a PNG: bad signature");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: string[] = [];
  const idat: Uint8Array[] = [];
  let width = 0;
  let height = 0;
  let o = 8;
  while (o < bytes.length) {
    const len = dv.getUint32(o);
    const type = String.fromCharCode(...bytes.subarray(o + 4, o + 8));
    if (o + 12 + len > bytes.length) throw new Error(`truncated ${type} chunk`);
    if (dv.getUint32(o + 8 + len) !== crc32(bytes.subarray(o + 4, o + 8 + len)))
      throw new Error(`bad CRC in ${type} chunk`);
    chunks.push(type);
    if (type === "IHDR") {
      width = dv.getUint32(o + 8);
      height = dv.getUint32(o + 12);
      const [depth, colour, , , interlace] = bytes.subarray(o + 16, o + 21);
      if (depth !== 8 || colour !== 6 || interlace !== 0)
        throw new Error("only 8-bit RGBA non-interlaced PNGs are supported");
    }
    if (type === "IDAT") idat.push(bytes.slice(o + 8, o + 8 + len));
    o += 12 + len;
  }
  if (chunks[0] !== "IHDR" || chunks[chunks.length - 1] !== "IEND")
    throw new Error("PNG must start with IHDR and end with IEND");
  const z = new Uint8Array(idat.reduce((a, d) => a + d.length, 0));
  let off = 0;
  for (const d of idat) {
    z.set(d, off);
    off += d.length;
  }
  const raw = unzlibSync(z);
  const stride = width * 4;
  if (raw.length !== (stride + 1) * height)
    throw new Error(`IDAT holds ${raw.length} bytes, expected ${(stride + 1) * height}`);
  const rgba = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    if (raw[y * (stride + 1)] !== 0) throw new Error(`unsupported filter ${raw[y * (stride + 1)]} on row ${y}`);
    rgba.set(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)), y * stride);
  }
  return { width, height, chunks, rgba };
}
