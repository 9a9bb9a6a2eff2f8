/**
 * Speed fixes for tfjs-backend-wasm 4.22 kernels that dominate training time, installed by
 * re-registering the kernels (same math, same results):
 *
 * - BatchMatMul with transposeA/transposeB (every matmul gradient) is ~12x slower than on plain
 *   operands ([1920,192]x[64,192]ᵀ: 22 ms vs transpose + plain matmul 2.3 ms): transposed
 *   operands are first transposed with the fast Transpose kernel.
 * - Slice copies its *whole input* out of the wasm heap (readSync) on every call, so Unpack and
 *   SplitV, which slice once per output, are quadratic: unstacking 30 steps of a [30,128,256]
 *   tensor took 68 ms. The replacements read the input through a heap view instead.
 * - Identity copies its input; tfjs runs it for every tensor an op saves for its gradient (256
 *   copies per Transformer training step, ~10% of the step). Where the studio's host-side
 *   speedups are on (fusedOpsEnabled), it shares the data with a reference count instead, as
 *   Reshape on wasm and Identity on the cpu and webgl backends do: no wasm kernel writes into
 *   its inputs, so shared data is never changed under a saved tensor.
 */
import * as tf from "@tensorflow/tfjs";
import { fusedOpsEnabled } from "./fused";

type TensorInfo = { dataId: object; shape: number[]; dtype: string };
type WasmBackend = {
  disposeData(dataId: object): void;
  incRef(dataId: object): void;
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
};
type KernelArgs = { inputs: Record<string, TensorInfo>; backend: WasmBackend; attrs: Record<string, unknown> };
type KernelFn = (args: KernelArgs) => TensorInfo | TensorInfo[];

let patched = false;

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

function replace(name: string, make: (orig: KernelFn) => KernelFn): void {
  const orig = tf.getKernel(name, "wasm");
  if (!orig) return;
  tf.unregisterKernel(name, "wasm");
  tf.registerKernel({ ...orig, kernelFunc: make(orig.kernelFunc as unknown as KernelFn) as unknown as tf.KernelFunc });
}

/**
 * Slices `x` (begin/size fully specified, non-negative) through heap views. Returns null for
 * cases left to the original kernel (strings, rank > 4).
 */
function fastSlice(x: TensorInfo, begin: number[], size: number[], backend: WasmBackend): TensorInfo | null {
  const rank = x.shape.length;
  if (x.dtype === "string" || rank > 4 || rank === 0) return null;
  const out = backend.makeOutput(size, x.dtype);
  // Views only after makeOutput: allocation may grow (and detach) the heap.
  const xv = backend.typedArrayFromHeap(x);
  const ov = backend.typedArrayFromHeap(out);
  const shape4 = [1, 1, 1, 1].slice(rank).concat(x.shape);
  const begin4 = [0, 0, 0, 0].slice(rank).concat(begin);
  const size4 = [1, 1, 1, 1].slice(rank).concat(size);
  const s2 = shape4[3];
  const s1 = shape4[2] * s2;
  const s0 = shape4[1] * s1;
  let o = 0;
  const run = size4[3];
  for (let a = begin4[0]; a < begin4[0] + size4[0]; a++)
    for (let b = begin4[1]; b < begin4[1] + size4[1]; b++)
      for (let c = begin4[2]; c < begin4[2] + size4[2]; c++) {
        const off = a * s0 + b * s1 + c * s2 + begin4[3];
        ov.set(xv.subarray(off, off + run), o);
        o += run;
      }
  return out;
}

function normaliseSlice(x: TensorInfo, begin: unknown, size: unknown): { b: number[]; s: number[] } {
  const rank = x.shape.length;
  const b = Array.isArray(begin) ? (begin as number[]).slice() : Array(rank).fill(begin as number);
  const s = Array.isArray(size) ? (size as number[]).slice() : Array(rank).fill(size as number);
  for (let i = 0; i < rank; i++) {
    b[i] = b[i] ?? 0;
    s[i] = s[i] == null || s[i] === -1 ? x.shape[i] - b[i] : s[i];
  }
  return { b, s };
}

/** Installs the faster wasm kernels (idempotent). Returns false if the wasm kernels are not registered. */
export function patchWasmKernels(): boolean {
  if (patched) return true;
  const transpose = tf.getKernel("Transpose", "wasm");
  if (!tf.getKernel("BatchMatMul", "wasm") || !transpose) return false;
  const transposeFn = transpose.kernelFunc as unknown as KernelFn;

  replace("BatchMatMul", (orig) => (args) => {
    const { inputs, backend, attrs } = args;
    if (!attrs.transposeA && !attrs.transposeB) return orig(args);
    const temps: TensorInfo[] = [];
    const plain = (x: TensorInfo, flag: unknown): TensorInfo => {
      if (!flag) return x;
      const t = transposeFn({ inputs: { x }, backend, attrs: { perm: swapLastTwo(x.shape.length) } }) as TensorInfo;
      temps.push(t);
      return t;
    };
    const a = plain(inputs.a, attrs.transposeA);
    const b = plain(inputs.b, attrs.transposeB);
    const out = orig({ inputs: { a, b }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    for (const t of temps) backend.disposeData(t.dataId);
    return out;
  });

  replace("Slice", (orig) => (args) => {
    const x = args.inputs.x;
    const { b, s } = normaliseSlice(x, args.attrs.begin, args.attrs.size);
    return fastSlice(x, b, s, args.backend) ?? orig(args);
  });

  replace("Unpack", (orig) => (args) => {
    const value = args.inputs.value;
    const rank = value.shape.length;
    if (value.dtype === "string" || rank > 4) return orig(args);
    let axis = args.attrs.axis as number;
    if (axis < 0) axis += rank;
    const outShape = value.shape.filter((_, i) => i !== axis);
    const size = value.shape.slice();
    size[axis] = 1;
    const begin = new Array(rank).fill(0);
    const outs: TensorInfo[] = [];
    for (let i = 0; i < value.shape[axis]; i++) {
      begin[axis] = i;
      const t = fastSlice(value, begin.slice(), size, args.backend) as TensorInfo;
      outs.push({ dataId: t.dataId, dtype: t.dtype, shape: outShape });
    }
    return outs;
  });

  replace("SplitV", (orig) => (args) => {
    const x = args.inputs.x;
    const rank = x.shape.length;
    if (x.dtype === "string" || rank > 4) return orig(args);
    let axis = args.attrs.axis as number;
    if (axis < 0) axis += rank;
    const spec = args.attrs.numOrSizeSplits as number | number[];
    let sizes: number[];
    if (Array.isArray(spec)) {
      sizes = spec.slice();
      const unknown = sizes.indexOf(-1);
      if (unknown >= 0) sizes[unknown] = x.shape[axis] - sizes.reduce((s, v) => (v === -1 ? s : s + v), 0);
    } else {
      sizes = new Array(spec).fill(x.shape[axis] / spec);
    }
    const begin = new Array(rank).fill(0);
    return sizes.map((sz) => {
      const size = x.shape.slice();
      size[axis] = sz;
      const t = fastSlice(x, begin.slice(), size, args.backend) as TensorInfo;
      begin[axis] += sz;
      return t;
    });
  });

  replace("Identity", (orig) => (args) => {
    const x = args.inputs.x;
    if (x.dtype === "string" || !fusedOpsEnabled()) return orig(args);
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });

  patched = true;
  return true;
}
