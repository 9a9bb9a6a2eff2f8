/**
 * Whether layers take their fused path: one custom op per layer (tf.customGrad) whose forward and
 * gradient do the elementwise work in plain JS on host arrays, with tfjs kernels only for the
 * matrix products. On tfjs-wasm a training step is dominated by per-kernel cost (1,400 kernels
 * per Transformer step, 4,100 per LSTM step; see docs/training-speed.md), and reading a tensor is
 * a heap copy there, so fusing pays. On GPU backends reading a tensor stalls the pipeline, so they
 * keep the op-by-op path. Both paths compute the same function (tests compare them).
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
