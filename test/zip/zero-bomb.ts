/**
 * Deflated zero-filled data of any size, made as a stream (Node's zlib, level 9: 500 MB of zeros
 * become ~0.5 MB in ~1.2 s) so the test process never holds the inflated bytes. Memoised by size.
 */
import { createDeflateRaw } from "node:zlib";
import { crc32 } from "@/lib/export/zip/crc32";

const made = new Map<number, Promise<{ data: Uint8Array; size: number; crc: number }>>();

export function deflatedZeros(size: number): Promise<{ data: Uint8Array; size: number; crc: number }> {
  let p = made.get(size);
  if (!p) {
    p = make(size);
    made.set(size, p);
  }
  return p;
}

async function make(size: number): Promise<{ data: Uint8Array; size: number; crc: number }> {
  const chunk = Buffer.alloc(Math.min(size, 1 << 20));
  const z = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  z.on("data", (c: Buffer) => out.push(c));
  const done = new Promise<void>((resolve, reject) => {
    z.on("end", resolve);
    z.on("error", reject);
  });
  let crc = 0;
  for (let left = size; left > 0; left -= chunk.length) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    crc = crc32(piece, crc);
    if (!z.write(piece)) await new Promise((r) => z.once("drain", r));
  }
  z.end();
  await done;
  return { data: new Uint8Array(Buffer.concat(out)), size, crc };
}
