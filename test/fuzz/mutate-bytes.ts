/** Byte-level mutations shared by the fuzz kinds: bit flips, truncation, splices. */
import type { Rng } from "./harness";

/** `bytes` with 1-8 random bits flipped (a copy). */
export function flipBits(bytes: Uint8Array, rng: Rng): Uint8Array {
  const out = bytes.slice();
  const n = 1 + rng.int(8);
  for (let k = 0; k < n && out.length > 0; k++) out[rng.int(out.length)] ^= 1 << rng.int(8);
  return out;
}

/** A prefix of `bytes` (at a random length, often near the end where headers live). */
export function truncate(bytes: Uint8Array, rng: Rng): Uint8Array {
  const keep = rng.chance(0.5) ? rng.int(bytes.length) : bytes.length - 1 - rng.int(Math.min(bytes.length, 200));
  return bytes.slice(0, Math.max(0, keep));
}

/** `bytes` with a random range removed, duplicated or overwritten with random bytes. */
export function splice(bytes: Uint8Array, rng: Rng): Uint8Array {
  const at = rng.int(bytes.length + 1);
  const len = 1 + rng.int(Math.min(64, Math.max(1, bytes.length - at)));
  const how = rng.int(3);
  if (how === 0) return concat(bytes.subarray(0, at), bytes.subarray(at + len));
  if (how === 1) return concat(bytes.subarray(0, at + len), bytes.subarray(at, at + len), bytes.subarray(at + len));
  const out = bytes.slice();
  for (let i = at; i < Math.min(out.length, at + len); i++) out[i] = rng.int(256);
  return out;
}

/** One of the byte mutations above, with its label. */
export function mutateBytes(bytes: Uint8Array, rng: Rng): { label: string; bytes: Uint8Array } {
  const how = rng.pick(["bit-flip", "truncate", "splice"] as const);
  const out =
    how === "bit-flip" ? flipBits(bytes, rng) : how === "truncate" ? truncate(bytes, rng) : splice(bytes, rng);
  return { label: how, bytes: out };
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
