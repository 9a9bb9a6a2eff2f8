/**
 * A speed fix for tfjs-backend-wasm 4.22: its BatchMatMul is ~12x slower when an operand is
 * transposed (transposeA/transposeB, which every matmul gradient uses) than on plain operands
 * (measured: [1920,192]x[64,192]ᵀ 22 ms vs transpose + plain matmul 2.3 ms). This re-registers
 * the wasm BatchMatMul kernel so a transposed operand is first transposed with the (fast) 2-D/3-D
 * Transpose kernel and then multiplied plainly. Same math, same results up to float rounding.
 */
import * as tf from "@tensorflow/tfjs";

type TensorInfo = { dataId: object; shape: number[]; dtype: string };
type KernelArgs = { inputs: Record<string, TensorInfo>; backend: { disposeData(dataId: object): void }; attrs: Record<string, unknown> };
type KernelFn = (args: KernelArgs) => TensorInfo;

let patched = false;

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/** Installs the faster wasm BatchMatMul (idempotent). Returns false if the wasm kernels are not registered. */
export function patchWasmMatMul(): boolean {
  if (patched) return true;
  const orig = tf.getKernel("BatchMatMul", "wasm");
  const transpose = tf.getKernel("Transpose", "wasm");
  if (!orig || !transpose) return false;
  const matmulFn = orig.kernelFunc as unknown as KernelFn;
  const transposeFn = transpose.kernelFunc as unknown as KernelFn;
  const kernelFunc: KernelFn = (args) => {
    const { inputs, backend, attrs } = args;
    if (!attrs.transposeA && !attrs.transposeB) return matmulFn(args);
    const temps: TensorInfo[] = [];
    const plain = (x: TensorInfo, flag: unknown): TensorInfo => {
      if (!flag) return x;
      const t = transposeFn({ inputs: { x }, backend, attrs: { perm: swapLastTwo(x.shape.length) } });
      temps.push(t);
      return t;
    };
    const a = plain(inputs.a, attrs.transposeA);
    const b = plain(inputs.b, attrs.transposeB);
    const out = matmulFn({ inputs: { a, b }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    for (const t of temps) backend.disposeData(t.dataId);
    return out;
  };
  tf.unregisterKernel("BatchMatMul", "wasm");
  tf.registerKernel({ ...orig, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
  patched = true;
  return true;
}
