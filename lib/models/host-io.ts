/**
 * Tensor values in and out of host code (the SIMD ops, dropout masks, window batches, gradients,
 * Adam) without JavaScript copies on wasm: inputs are read through views of tfjs's wasm heap and
 * outputs are written straight into a new tensor's heap memory.
 *
 * Why: through dataSync() and tf.tensor(array) a default Transformer shard step made ~7.5 MB of
 * short-lived ArrayBuffers, and V8 answered with a major GC every 4–6 steps in each worker (2–11
 * ms pauses in Chromium's --trace-gc), which also stalled the other worker at the next gradient
 * exchange. On other backends these are dataSync() and tf.tensor().
 */
import * as tf from "@tensorflow/tfjs";

interface WasmHeap {
  disposeData(dataId: object): void;
  makeOutput(shape: number[], dtype: "float32"): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

function wasmHeap(): WasmHeap | null {
  return tf.getBackend() === "wasm" ? (tf.backend() as unknown as WasmHeap) : null;
}

/**
 * The float32 values of `t`, to read. On wasm a view of the heap: valid only until tfjs next
 * allocates (a new tensor may grow the heap and detach it), so copy out of it at once and never
 * write to it. Elsewhere dataSync()'s array (on cpu the tensor's own: never write to it either).
 */
export function readValues(t: tf.Tensor): Float32Array {
  if (t.dtype !== "float32") throw new Error(`readValues: a ${t.dtype} tensor`);
  const heap = wasmHeap();
  return heap ? heap.typedArrayFromHeap(t) : (t.dataSync() as Float32Array);
}

/**
 * A new float32 tensor of `shape` whose values `fill` writes (every one of them: the memory is
 * not cleared). On wasm `fill` writes into the tensor's heap memory, so it must not create
 * tensors itself; it may read other tensors with readValues.
 */
export function tensorFrom(shape: number[], fill: (out: Float32Array) => void): tf.Tensor {
  const heap = wasmHeap();
  if (!heap) {
    const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
    fill(out);
    return tf.tensor(out, shape, "float32");
  }
  const info = heap.makeOutput(shape, "float32");
  try {
    fill(heap.typedArrayFromHeap(info));
  } catch (e) {
    heap.disposeData(info.dataId);
    throw e;
  }
  return tf.engine().makeTensorFromTensorInfo(info);
}

/**
 * A new float32 tensor of `shape` holding a copy of `values` (a view of a kernel's scratch, which
 * the next call overwrites). tf.tensor(values) would keep the view itself as the tensor's data on
 * the cpu backend.
 */
export function tensorOf(values: Float32Array, shape: number[]): tf.Tensor {
  return tensorFrom(shape, (out) => out.set(values));
}

/**
 * Whether a gradient is being recorded (tf.grads, variableGrads, ...), asked before a host op
 * runs: the ops keep what their gradient needs only then, so inference (validation, prediction,
 * permutation importance) copies nothing for a backward pass that never comes. customGrad's own
 * save() is a no-op outside a tape but cannot tell its forward function; tfjs 4's engine can.
 */
export function recordingGradient(): boolean {
  return (tf.engine() as unknown as { isTapeOn(): boolean }).isTapeOn();
}
