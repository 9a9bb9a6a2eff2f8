/**
 * The forward pass's matrix product in WebAssembly SIMD: out[r, u] = bias[u] + Σ_i x[r, i]·K[i, u]
 * with four float32 lanes per multiply-add and blocks of 2 rows × 2 units sharing their loads.
 * The plain-JS product (forward.ts) tops out near 1 GMAC/s in V8; a replay of the default
 * Transformer + LSTM needs about 4 M multiply-adds per candle, which made the worker the
 * bottleneck of bench:live. The module is 200-odd bytes assembled with lib/wasm/asm.ts (no file
 * to serve, no toolchain; the LSTM's training kernels, lib/models/lstm-simd.ts, reuse MATMUL), and
 * each plan gets its own instance, so its weights (copied once, transposed and
 * padded) live and die with the plan.
 *
 * Sums are float32 in four lanes added at the end, where the JS product sums in doubles: both are
 * within 2e-5 of tfjs (forward.test.ts). A row's result does not depend on the other rows of the
 * call, so a batch equals its windows one by one, bit for bit.
 */

import {
  F32_STORE,
  F32X4_ADD,
  F32X4_MUL,
  I32_ADD,
  I32_MUL,
  I32_SHL,
  V128_ZERO,
  assemble,
  compile,
  hsum,
  get,
  i32,
  loop,
  set,
  u32,
  v128Load,
  type WasmFunction,
} from "@/lib/wasm/asm";

// Parameters (i32): x, rows, n (inner length, a multiple of 4), k, units, out; pointers in bytes.
const [X, ROWS, N, K, UNITS, OUT] = [0, 1, 2, 3, 4, 5];
// Locals: i32 then v128.
const [R, U, I, XA, XB, KA, KB, NB, O] = [6, 7, 8, 9, 10, 11, 12, 13, 14];
const [A0, A1, B0, B1, VA, VB, WA, WB] = [15, 16, 17, 18, 19, 20, 21, 22];

const fma = (acc: number, a: number, b: number) => [
  ...get(acc),
  ...get(a),
  ...get(b),
  ...F32X4_MUL,
  ...F32X4_ADD,
  ...set(acc),
];
const load = (base: number, into: number) => [...get(base), ...get(I), I32_ADD, ...v128Load(), ...set(into)];
const store = (offset: number, v: number) => [...get(O), ...hsum(v), F32_STORE, 0x02, ...u32(offset)];

/**
 * mm(x, rows, n, k, units, out): x [rows, n] and k [units, n] (K transposed) row-major float32,
 * out [rows, units]; rows and units even, n a multiple of 4, all at least those. Each output row
 * depends on its input row only.
 */
// prettier-ignore
export const MATMUL: WasmFunction = { name: "mm", params: 6, i32Locals: 9, v128Locals: 8, body: [
  ...get(N), ...i32(2), I32_SHL, ...set(NB),                                  // nb = n * 4 bytes
  ...i32(0), ...set(R),
  ...loop(R, 2, get(ROWS), [                                                  // for r in 0, 2, … < rows
    ...get(X), ...get(R), ...get(NB), I32_MUL, I32_ADD, ...set(XA),           //   xa = x + r * nb
    ...get(XA), ...get(NB), I32_ADD, ...set(XB),                              //   xb = xa + nb
    ...i32(0), ...set(U),
    ...loop(U, 2, get(UNITS), [                                               //   for u in 0, 2, … < units
      ...get(K), ...get(U), ...get(NB), I32_MUL, I32_ADD, ...set(KA),         //     ka = k + u * nb
      ...get(KA), ...get(NB), I32_ADD, ...set(KB),                            //     kb = ka + nb
      ...[A0, A1, B0, B1].flatMap((a) => [...V128_ZERO, ...set(a)]),
      ...i32(0), ...set(I),
      ...loop(I, 16, get(NB), [                                               //     for i in 0, 16, … < nb
        ...load(XA, VA), ...load(XB, VB), ...load(KA, WA), ...load(KB, WB),
        ...fma(A0, VA, WA), ...fma(A1, VA, WB), ...fma(B0, VB, WA), ...fma(B1, VB, WB),
      ]),
      ...get(OUT), ...get(R), ...get(UNITS), I32_MUL, ...get(U), I32_ADD,     //     o = out + (r * units + u) * 4
      ...i32(2), I32_SHL, I32_ADD, ...set(O),
      ...store(0, A0), ...store(4, A1),
      ...get(O), ...get(UNITS), ...i32(2), I32_SHL, I32_ADD, ...set(O),       //     o += units * 4 (row r + 1)
      ...store(0, B0), ...store(4, B1),
    ]),
  ]),
]};

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is missing (the JS product is used then). */
function simdModule(): WebAssembly.Module | null {
  if (compiled === undefined) compiled = compile(assemble([MATMUL]));
  return compiled;
}

export function simdAvailable(): boolean {
  return simdModule() !== null;
}

const PAGE = 65536;
const up = (n: number, m: number) => Math.ceil(n / m) * m;

/** A kernel copied into the instance's memory: [unitsPadded, nPadded] float32 at byte `ptr`. */
interface Placed {
  ptr: number;
  n: number;
  units: number;
}

/** out[r, u] = bias[u] + x[r, :] · kernel[:, u], kernel [inDim, units] row-major (the plan's layout). */
export type Matmul = (
  x: Float32Array,
  rows: number,
  inDim: number,
  kernel: Float32Array,
  units: number,
  bias: Float32Array | null,
  out: Float32Array | Float64Array,
) => void;

/** One plan's instance: its kernels placed once, then a scratch area for x and out per call. */
export class SimdMatmul {
  private readonly memory = new WebAssembly.Memory({ initial: 1 });
  private readonly mm: (x: number, rows: number, n: number, k: number, units: number, out: number) => void;
  private readonly placed = new Map<Float32Array, Placed>();
  /** End of the placed kernels (bytes); scratch starts here. */
  private top = 0;

  constructor(module: WebAssembly.Module) {
    const instance = new WebAssembly.Instance(module, { env: { mem: this.memory } });
    this.mm = instance.exports.mm as SimdMatmul["mm"];
  }

  /** An instance, or null without WebAssembly SIMD. */
  static create(): SimdMatmul | null {
    const m = simdModule();
    return m ? new SimdMatmul(m) : null;
  }

  private reserve(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
  }

  private place(kernel: Float32Array, inDim: number, units: number): Placed {
    let p = this.placed.get(kernel);
    if (!p) {
      const n = up(inDim, 4);
      const u = up(units, 2);
      p = { ptr: this.top, n, units: u };
      this.top += n * u * 4;
      this.reserve(this.top);
      const t = new Float32Array(this.memory.buffer, p.ptr, n * u); // zero padding
      for (let i = 0; i < inDim; i++) for (let j = 0; j < units; j++) t[j * n + i] = kernel[i * units + j];
      this.placed.set(kernel, p);
    }
    return p;
  }

  /**
   * out[r * units + u] = (bias[u] ?? 0) + Σ_i x[r * inDim + i] · kernel[i * units + u].
   * @param kernel [inDim, units] row-major (the plan's layout)
   */
  readonly matmul: Matmul = (x, rows, inDim, kernel, units, bias, out) => {
    const k = this.place(kernel, inDim, units);
    const rowsP = up(Math.max(rows, 1), 2);
    const xPtr = this.top;
    const outPtr = xPtr + rowsP * k.n * 4;
    this.reserve(outPtr + rowsP * k.units * 4);
    const buf = this.memory.buffer;
    const xs = new Float32Array(buf, xPtr, rowsP * k.n);
    if (k.n === inDim) xs.set(x.subarray(0, rows * inDim));
    else {
      xs.fill(0);
      for (let r = 0; r < rows; r++) xs.set(x.subarray(r * inDim, (r + 1) * inDim), r * k.n);
    }
    if (rowsP > rows) xs.fill(0, rows * k.n);
    this.mm(xPtr, rowsP, k.n, k.ptr, k.units, outPtr);
    const ys = new Float32Array(buf, outPtr, rowsP * k.units);
    for (let r = 0; r < rows; r++)
      for (let u = 0; u < units; u++) out[r * units + u] = (bias ? bias[u] : 0) + ys[r * k.units + u];
  };
}
