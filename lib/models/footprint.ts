/** A worker's memory report in one figure (no tfjs import: pages use it). */
import type { WorkerMemory } from "./memory";

/** What a worker holds in all: the wasm heap (or, elsewhere, its tensors) plus the SIMD scratch. */
export function footprintBytes(m: WorkerMemory): number {
  return (m.wasmHeapBytes ?? m.tensorBytes) + m.scratchBytes;
}
