/**
 * Small, fast, dependency-free hashes used for data fingerprints and link checksums.
 * Not cryptographic: they detect accidental change (corruption, a different dataset), not forgery.
 */

const FNV_OFFSET_32 = 0x811c9dc5;
const FNV_PRIME_32 = 0x01000193;

/** FNV-1a 32-bit over `bytes`, continuing from `seed` (default: the FNV offset basis). Unsigned. */
export function fnv1a32(bytes: Uint8Array, seed = FNV_OFFSET_32): number {
  let h = seed >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, FNV_PRIME_32);
  }
  return h >>> 0;
}

/** Bytes of any typed array / buffer view, without copying. */
export function viewBytes(v: ArrayBufferView): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/**
 * A 64-bit fingerprint as 16 hex chars: two FNV-1a 32 lanes with different seeds over the same
 * parts, each part's length mixed in so ["ab","c"] and ["a","bc"] differ.
 * Speed: one pass, ~1 GB/s-ish in V8; a 50k x 42 float32 matrix hashes in a few ms.
 */
export function fingerprint64(parts: readonly ArrayBufferView[]): string {
  let a = FNV_OFFSET_32;
  let b = 0x5bd1e995;
  const len = new Uint8Array(4);
  for (const p of parts) {
    const bytes = viewBytes(p);
    new DataView(len.buffer).setUint32(0, bytes.length, true);
    a = fnv1a32(len, a);
    b = fnv1a32(len, b);
    a = fnv1a32(bytes, a);
    // Second lane sees the bytes with a different seed and an extra avalanche step per part.
    b = fnv1a32(bytes, Math.imul(b ^ (b >>> 15), 0x2c1b3c6d) >>> 0);
  }
  return hex32(a) + hex32(b);
}

function hex32(x: number): string {
  return (x >>> 0).toString(16).padStart(8, "0");
}

/**
 * Fingerprint of a dataset's training content: the raw [T*F] float32 matrix and the Int8 labels
 * (plus anything else the caller adds). Same data → same 16-hex string on every platform
 * (typed arrays are little-endian on all supported engines).
 */
export function dataFingerprint(
  matrix: Float32Array,
  labels: Int8Array | Uint8Array,
  ...extra: ArrayBufferView[]
): string {
  return fingerprint64([matrix, labels, ...extra]);
}
