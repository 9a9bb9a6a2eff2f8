/**
 * Windows gathered per batch from the normalised [T, F] matrix held once on the backend: a batch
 * is one tf.gather of row indices built from window ends, never a materialised [N, W, F] tensor.
 *
 * On the CPU-memory backends (wasm, cpu) a window is one contiguous run of W*F floats of the
 * row-major matrix, so the batch is assembled with W-row memcpys from the host copy and uploaded
 * once: measured 6 ms against 30-60 ms for tf.gather of the same 128 windows on tfjs-wasm (whose
 * gather copies element by element). GPU backends use tf.gather so no batch crosses the bus.
 */
import * as tf from "@tensorflow/tfjs";
import { tensorFrom } from "./host-io";
import type { WindowSource } from "../core/dataset";

/** The [T, F] matrix on the backend plus the window geometry. Dispose when done. */
export interface DeviceSource {
  matrix: tf.Tensor2D;
  /** Host copy used to assemble batches on CPU-memory backends (absent: always tf.gather). */
  host?: Float32Array;
  rows: number;
  features: number;
  window: number;
  dispose(): void;
}

/** Uploads a WindowSource's matrix once (and keeps a reference to the host array for wasm/cpu). */
export function toDeviceSource(source: WindowSource): DeviceSource {
  if (source.matrix.length !== source.rows * source.features) {
    throw new Error(
      `matrix has ${source.matrix.length} values, expected rows*features = ${source.rows * source.features}`,
    );
  }
  const matrix = tf.tensor2d(source.matrix, [source.rows, source.features], "float32");
  const hostBackend = tf.getBackend() === "wasm" || tf.getBackend() === "cpu";
  return {
    matrix,
    host: hostBackend ? source.matrix : undefined,
    rows: source.rows,
    features: source.features,
    window: source.window,
    dispose: () => matrix.dispose(),
  };
}

/**
 * Row indices of the windows ending at `ends[i]` for i in [from, to): rows end-W+1 .. end,
 * window-major, as an Int32Array of length (to-from)*W. Throws if a window leaves the matrix.
 */
export function windowRowIndices(
  ends: ArrayLike<number>,
  window: number,
  rows: number,
  from = 0,
  to = ends.length,
): Int32Array {
  const n = to - from;
  const idx = new Int32Array(n * window);
  for (let i = 0; i < n; i++) {
    const end = ends[from + i];
    const start = end - window + 1;
    if (start < 0 || end >= rows) throw new Error(`window ending at row ${end} leaves the matrix of ${rows} rows`);
    const o = i * window;
    for (let k = 0; k < window; k++) idx[o + k] = start + k;
  }
  return idx;
}

/**
 * Gathers the windows ending at ends[from..to) into a [n, W, F] tensor (on the backend).
 * The caller disposes it (or calls this inside tf.tidy).
 */
export function gatherWindows(src: DeviceSource, ends: ArrayLike<number>, from = 0, to = ends.length): tf.Tensor3D {
  const host = src.host;
  if (host)
    return tensorFrom([to - from, src.window, src.features], (out) =>
      assembleWindowsInto(out, host, src.features, src.window, src.rows, ends, from, to),
    ) as tf.Tensor3D;
  const idx = windowRowIndices(ends, src.window, src.rows, from, to);
  return tf.tidy(() => {
    const rows = tf.tensor1d(idx, "int32");
    return tf.gather(src.matrix, rows).reshape([to - from, src.window, src.features]) as tf.Tensor3D;
  });
}

/**
 * Copies the windows ending at ends[from..to) out of a row-major [rows, F] matrix.
 * @returns Float32Array [(to-from) * W * F]
 */
export function assembleWindows(
  matrix: Float32Array,
  features: number,
  window: number,
  rows: number,
  ends: ArrayLike<number>,
  from = 0,
  to = ends.length,
): Float32Array {
  const out = new Float32Array((to - from) * window * features);
  assembleWindowsInto(out, matrix, features, window, rows, ends, from, to);
  return out;
}

/** assembleWindows into `out` (a new tensor's memory: see host-io.ts). */
function assembleWindowsInto(
  out: Float32Array,
  matrix: Float32Array,
  features: number,
  window: number,
  rows: number,
  ends: ArrayLike<number>,
  from: number,
  to: number,
): void {
  const size = window * features;
  for (let i = from; i < to; i++) {
    const end = ends[i];
    const start = end - window + 1;
    if (start < 0 || end >= rows) throw new Error(`window ending at row ${end} leaves the matrix of ${rows} rows`);
    out.set(matrix.subarray(start * features, (end + 1) * features), (i - from) * size);
  }
}
