/**
 * Whether the studio's host-side training speedups are on: fused layers (one tf.customGrad op
 * whose elementwise work runs in plain JS on host arrays, tfjs kernels only for the matrix
 * products: lstm-fused.ts), Adam on the host (host-adam.ts), sharded steps with gradient peers
 * (shards.ts) and the zero-copy wasm Identity (wasm-kernels.ts). On tfjs-wasm a training step is
 * dominated by per-kernel cost, and reading a tensor is a heap copy there, so these pay; on GPU
 * backends reading a tensor stalls the pipeline, so they keep the op-by-op path. Both paths
 * compute the same function (tests compare them). See docs/training-speed.md.
 */
import * as tf from "@tensorflow/tfjs";

let override: boolean | undefined;

/** True on host-memory backends (wasm, cpu) unless a test forced a path. */
export function fusedOpsEnabled(): boolean {
  if (override !== undefined) return override;
  const backend = tf.getBackend();
  return backend === "wasm" || backend === "cpu";
}

/** Forces the fused (true) or op-by-op (false) path; undefined restores the backend's choice. Tests only. */
export function setFusedOps(value: boolean | undefined): void {
  override = value;
}
