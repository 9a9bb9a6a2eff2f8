/**
 * Hashes: the dataset fingerprint (SHA-256 from WebCrypto), and the small FNV-1a that version-1
 * share links carry as their checksum.
 */
import type { Dataset } from "@/lib/core/dataset";

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

/** What a dataset's fingerprint covers. */
export type FingerprintedDataset = Pick<
  Dataset,
  "matrix" | "labels" | "rows" | "window" | "splitSpec" | "split" | "normalization" | "labelSpec"
>;

/**
 * The fingerprint of a dataset, two SHA-256 digests (64 hex chars each):
 * - `data`: the raw [T*F] float32 matrix and the Int8 labels (the same candles and features);
 * - `value`: that, plus everything that decides what a model was trained, validated and tested
 *   on and how its inputs were scaled: window, label spec, split shares, purge and embargo, the
 *   sample ends of each part, and the normalisation. A bundle re-evaluated on a dataset whose
 *   `value` differs would score its own training rows or scale inputs differently; `data` alone
 *   matching tells the user the same data was split another way.
 * Parts are length-prefixed so ["ab","c"] and ["a","bc"] differ. Typed arrays are little-endian
 * on every supported engine, so the same dataset gives the same digests everywhere.
 */
export async function datasetFingerprint(ds: FingerprintedDataset): Promise<DatasetFingerprint> {
  const data = await sha256Hex([ds.matrix, ds.labels]);
  const settings = new TextEncoder().encode(
    JSON.stringify({ v: 1, rows: ds.rows, window: ds.window, labelSpec: ds.labelSpec, splitSpec: ds.splitSpec }),
  );
  const value = await sha256Hex([
    ds.matrix,
    ds.labels,
    settings,
    ds.split.train,
    ds.split.val,
    ds.split.test,
    ds.normalization.mean,
    ds.normalization.std,
  ]);
  return { algorithm: "sha256", data, value };
}

export interface DatasetFingerprint {
  algorithm: "sha256";
  /** Matrix and labels only. */
  data: string;
  /** Matrix, labels, split, window, label spec and normalisation. */
  value: string;
}

async function sha256Hex(parts: readonly ArrayBufferView[]): Promise<string> {
  const total = parts.reduce((n, p) => n + 8 + p.byteLength, 0);
  const buf = new Uint8Array(total);
  const dv = new DataView(buf.buffer);
  let at = 0;
  for (const p of parts) {
    dv.setFloat64(at, p.byteLength, true);
    buf.set(viewBytes(p), at + 8);
    at += 8 + p.byteLength;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buf));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
