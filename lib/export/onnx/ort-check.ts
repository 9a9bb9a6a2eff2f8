import * as ort from "onnxruntime-web";

/**
 * onnxruntime-web configured for checks in Node tests and in the page alike: single-threaded
 * wasm (no SharedArrayBuffer needed). Returns the module so callers build tensors from it.
 */
export function ortSingleThreaded(): typeof ort {
  ort.env.wasm.numThreads = 1;
  return ort;
}

/** Largest |a[i] - b[i]| (NaN if lengths differ). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return NaN;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
