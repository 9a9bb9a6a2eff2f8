import * as ort from "onnxruntime-web";

/**
 * onnxruntime-web configured for checks in Node tests and in the page alike: single-threaded
 * wasm (no SharedArrayBuffer needed). Returns the module so callers build tensors from it.
 */
export function ortSingleThreaded(): typeof ort {
  ort.env.wasm.numThreads = 1;
  return ort;
}

export { maxAbsDiff } from "../../core/max-abs-diff";
