/**
 * A ZIP writer for tests that builds what a well-behaved writer never would: any name bytes
 * (NUL, "../", 64 KB long, duplicates), declared sizes and CRCs that lie, a local header naming
 * another file, precompressed data (e.g. a deflated 500 MB of zeros that is never held whole).
 */
import { deflateSync } from "fflate";
import { crc32 } from "@/lib/export/zip/crc32";

export interface TestZipEntry {
  name: string | Uint8Array;
  /** Plain content: stored (method 0) or deflated here (method 8, the default). */
  content?: Uint8Array;
  /** Already deflated data with its real inflated size and CRC (method 8). */
  deflated?: { data: Uint8Array; size: number; crc: number };
  method?: 0 | 8;
  /** Declared inflated size written in both headers (default: the real one). */
  declaredSize?: number;
  /** CRC written in both headers (default: the real one). */
  crc?: number;
  /** Name written in the local header only (default: `name`). */
  localName?: string | Uint8Array;
}

const bytesOf = (n: string | Uint8Array) => (typeof n === "string" ? new TextEncoder().encode(n) : n);

/** The ZIP of `entries`, in order (central directory and end record after them). */
export function writeZip(entries: readonly TestZipEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = bytesOf(e.name);
    const localName = bytesOf(e.localName ?? e.name);
    let method: 0 | 8;
    let data: Uint8Array;
    let size: number;
    let crc: number;
    if (e.deflated) {
      method = 8;
      ({ data, size, crc } = e.deflated);
    } else {
      const content = e.content ?? new Uint8Array(0);
      method = e.method ?? 8;
      data = method === 8 ? deflateSync(content) : content;
      size = content.length;
      crc = crc32(content);
    }
    const declared = e.declaredSize ?? size;
    const crcOut = e.crc ?? crc;
    const local = new Uint8Array(30 + localName.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(8, method, true);
    lv.setUint32(14, crcOut, true);
    lv.setUint32(18, data.length, true);
    lv.setUint32(22, declared, true);
    lv.setUint16(26, localName.length, true);
    local.set(localName, 30);
    const cen = new Uint8Array(46 + name.length);
    const cv = new DataView(cen.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(10, method, true);
    cv.setUint32(16, crcOut, true);
    cv.setUint32(20, data.length, true);
    cv.setUint32(24, declared, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    cen.set(name, 46);
    parts.push(local, data);
    central.push(cen);
    offset += local.length + data.length;
  }
  const cdSize = central.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + cdSize + 22);
  let at = 0;
  for (const p of [...parts, ...central, end]) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
