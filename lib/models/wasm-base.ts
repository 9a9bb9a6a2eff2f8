/**
 * Where the app serves the tfjs-wasm *.wasm binaries (copied to public/tfjs-wasm by
 * scripts/copy-wasm.mjs; never a CDN). One constant for the worker, its client and the backend
 * default; benches serve their own copy at "./tfjs-wasm/" and pass that instead. No imports, so
 * the page can read it without loading tfjs.
 */
export const WASM_BASE = "/tfjs-wasm/";
