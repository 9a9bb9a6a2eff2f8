/** Memory a training worker (or a gradient peer) holds now. */
import * as tf from "@tensorflow/tfjs";
import { scratchBytes } from "../wasm/scratch";

export interface WorkerMemory {
  backend: string;
  tensorBytes: number;
  /** The WASM heap size: the worker's real footprint on wasm (it only grows); null elsewhere. */
  wasmHeapBytes: number | null;
  /** The studio's own WebAssembly SIMD kernels' scratch memories (lib/wasm/scratch.ts), beside the heap. */
  scratchBytes: number;
}

export function workerMemory(): WorkerMemory {
  const backend = tf.getBackend();
  // The wasm backend keeps its Emscripten module in a field tfjs does not type.
  const wasm =
    backend === "wasm" ? (Reflect.get(tf.backend(), "wasm") as { HEAPU8?: Uint8Array } | undefined) : undefined;
  return {
    backend,
    tensorBytes: tf.memory().numBytes,
    wasmHeapBytes: wasm?.HEAPU8 ? wasm.HEAPU8.buffer.byteLength : null,
    scratchBytes: scratchBytes(),
  };
}
