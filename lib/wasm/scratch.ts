/**
 * One worker's instance of a SIMD kernel module (lib/wasm/asm.ts) with its own scratch memory:
 * compiled on first use, null where WebAssembly SIMD is missing. The kernels' callers lay out
 * their arrays in the scratch and read results back by copying.
 */
import { assemble, compile, type WasmFunction } from "./asm";

const PAGE = 65536;
/** Every scratch this worker made, for its memory report. */
const made: SimdScratch<unknown>[] = [];

/** Bytes held by this worker's SIMD scratch memories (they only grow). */
export function scratchBytes(): number {
  return made.reduce((sum, s) => sum + s.bytes, 0);
}

export class SimdScratch<K> {
  private readonly memory = new WebAssembly.Memory({ initial: 1 });
  readonly kernels: K;

  constructor(module: WebAssembly.Module) {
    this.kernels = new WebAssembly.Instance(module, { env: { mem: this.memory } }).exports as unknown as K;
    made.push(this);
  }

  get bytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** A float view of the scratch, at least `bytes` long (growing it detaches earlier views). */
  view(bytes: number): Float32Array {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
    return new Float32Array(this.memory.buffer);
  }
}

/**
 * A getter of this worker's instance of `functions`, created on the first call (wrapped by `wrap`,
 * e.g. in the class that drives the kernels), or null without WebAssembly SIMD.
 */
export function lazyScratch<K, T = SimdScratch<K>>(
  functions: WasmFunction[],
  wrap: (scratch: SimdScratch<K>) => T = (scratch) => scratch as T,
): () => T | null {
  let instance: T | null | undefined;
  return () => {
    if (instance === undefined) {
      const module = compile(assemble(functions));
      instance = module ? wrap(new SimdScratch<K>(module)) : null;
    }
    return instance;
  };
}
