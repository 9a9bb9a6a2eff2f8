/**
 * The fused LSTM recurrence's per-step work in WebAssembly SIMD (lstm-fused.ts drives it): the
 * recurrent product h·rk, the gates with their sigmoids and tanh, the cell update, and the
 * backward step, four float32 lanes at a time in one scratch memory per worker. On tfjs-wasm the
 * JS path spent ~50 ms of a 181 ms default LSTM shard step in plain loops over the gates (V8 runs
 * them at ~10 ns an element on this project's machines) and more on per-step kernel calls and
 * copies (a tfjs Sigmoid and MatMul per step, each a heap copy in and out).
 *
 * Layout in the scratch: step-major, every step's block holding `rows` (the batch rounded up to
 * even, for the 2-row matmul; the extra row's input is zero, so its gradient is exactly zero) ×
 * columns. Gates [T, rows, 4u] (i, f, g, o blocks), cells, tanh(cells) and hidden [T, rows, u].
 *
 * σ(x) = 1/(1 + e^-x) with e^x from Cephes's expf (range reduction by ln 2, degree-5 polynomial,
 * 2^n built in the exponent bits; |x| clamped at 88): a few float32 ulps. tanh(x) = 2σ(2x) − 1, as
 * on the JS path. Needs u a multiple of 4 (the studio's unit options are multiples of 8); other
 * shapes use the JS path.
 */
import {
  F32X4_DIV,
  F32X4_NEG,
  F32X4_SPLAT,
  I32_ADD,
  I32_EQ,
  I32_MUL,
  I32_SHL,
  SELECT,
  f32,
  get,
  i32,
  loop,
  set,
  splat,
  v128Load,
  type WasmFunction,
} from "@/lib/wasm/asm";
import { MATMUL } from "@/lib/export/nn/simd-matmul";
import { lazyScratch, type SimdScratch } from "@/lib/wasm/scratch";
import { add, at, expf, load, mul, one, store, sub } from "@/lib/wasm/simd-math";

/** σ of the v128 on the stack, using v128 locals t and n as scratch: 1/(1 + e^-x). */
const sigmoid = (t: number, n: number) => [
  ...F32X4_NEG,
  ...expf(t, n),
  ...set(t),
  ...one,
  ...add(one, get(t)),
  ...F32X4_DIV,
];

// gates(z, bias, rec, rows, u): z[r, :] ← act(z[r, :] + bias + rec[r, :]), in place, where act is
// σ on the i, f and o blocks and tanh on g (block 2): a·σ(a·x) − (a − 1) with a = 1 or 2.
const GATES: WasmFunction = (() => {
  const [Z, BIAS, REC, ROWS, U] = [0, 1, 2, 3, 4];
  const [R, Q, K, UB, RB, END, P, QK] = [5, 6, 7, 8, 9, 10, 11, 12];
  const [V, A, AM1, T, N] = [13, 14, 15, 16, 17];
  // prettier-ignore
  const body = [
    ...get(U), ...i32(2), I32_SHL, ...set(UB), ...get(UB), ...i32(2), I32_SHL, ...set(RB),
    ...get(ROWS), ...get(RB), I32_MUL, ...set(END),
    ...i32(0), ...set(R),
    ...loop(R, 0, get(END), [                                  // (R advances by RB below)
      ...i32(0), ...set(Q),
      ...loop(Q, 0, get(RB), [
        ...f32(2), ...f32(1), ...get(Q), ...get(UB), ...i32(1), I32_SHL, I32_EQ, SELECT, ...F32X4_SPLAT, ...set(A),
        ...sub(get(A), one), ...set(AM1),
        ...i32(0), ...set(K),
        ...loop(K, 16, get(UB), [
          ...get(Q), ...get(K), I32_ADD, ...set(QK), ...get(R), ...get(QK), I32_ADD, ...set(P),
          ...add(add(load(Z, P), load(BIAS, QK)), load(REC, P)), ...set(V),
          ...store(at(Z, P), sub(mul(get(A), [...mul(get(A), get(V)), ...sigmoid(T, N)]), get(AM1))),
        ]),
        ...get(Q), ...get(UB), I32_ADD, ...set(Q),
      ]),
      ...get(R), ...get(RB), I32_ADD, ...set(R),
    ]),
  ];
  return { name: "gates", params: 5, i32Locals: 8, v128Locals: 5, body };
})();

// cell(z, cprev, c, tc, h, rows, u): c = f·cprev + i·g, tc = tanh(c), h = o·tc, for one step.
const CELL: WasmFunction = (() => {
  const [Z, CP, C, TC, H, ROWS, U] = [0, 1, 2, 3, 4, 5, 6];
  const [R, ZR, K, UB, END, P, ZP] = [7, 8, 9, 10, 11, 12, 13];
  const [CV, TV, T, N] = [14, 15, 16, 17];
  const gate = (q: number) => [...get(ZP), ...get(UB), ...i32(q), I32_MUL, I32_ADD, ...v128Load()];
  // prettier-ignore
  const body = [
    ...get(U), ...i32(2), I32_SHL, ...set(UB),
    ...get(ROWS), ...get(UB), I32_MUL, ...set(END),
    ...i32(0), ...set(R), ...i32(0), ...set(ZR),
    ...loop(R, 0, get(END), [
      ...i32(0), ...set(K),
      ...loop(K, 16, get(UB), [
        ...get(R), ...get(K), I32_ADD, ...set(P),
        ...get(Z), ...get(ZR), I32_ADD, ...get(K), I32_ADD, ...set(ZP),
        ...add(mul(gate(1), load(CP, P)), mul(gate(0), gate(2))), ...set(CV),
        ...store(at(C, P), get(CV)),
        ...sub(mul(splat(2), [...mul(splat(2), get(CV)), ...sigmoid(T, N)]), one), ...set(TV),
        ...store(at(TC, P), get(TV)),
        ...store(at(H, P), mul(gate(3), get(TV))),
      ]),
      ...get(R), ...get(UB), I32_ADD, ...set(R),
      ...get(ZR), ...get(UB), ...i32(2), I32_SHL, I32_ADD, ...set(ZR),
    ]),
  ];
  return { name: "cell", params: 7, i32Locals: 7, v128Locals: 4, body };
})();

// cellBack(z, tc, cprev, dha, dhb, dc, dz, dbias, rows, u): one backward step. dh = dha + dhb
// (the recurrent gradient and the output's), dc is carried in place to the step before, dz
// [rows, 4u] gets the pre-activation gradients and dbias [4u] their sum.
const CELL_BACK: WasmFunction = (() => {
  const [Z, TC, CP, DHA, DHB, DC, DZ, DBIAS, ROWS, U] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [R, ZR, K, UB, END, P, ZP, DP, BP] = [10, 11, 12, 13, 14, 15, 16, 17, 18];
  const [I, F, G, O, TV, DH, DCS, ZV] = [19, 20, 21, 22, 23, 24, 25, 26];
  const gate = (base: number, q: number) => [...get(base), ...get(UB), ...i32(q), I32_MUL, I32_ADD];
  const outGate = (q: number, value: number[]) => [
    ...value,
    ...set(ZV),
    ...store(gate(DP, q), get(ZV)),
    ...store(gate(BP, q), add([...gate(BP, q), ...v128Load()], get(ZV))),
  ];
  const oneMinus = (v: number[]) => sub(one, v);
  // prettier-ignore
  const body = [
    ...get(U), ...i32(2), I32_SHL, ...set(UB),
    ...get(ROWS), ...get(UB), I32_MUL, ...set(END),
    ...i32(0), ...set(R), ...i32(0), ...set(ZR),
    ...loop(R, 0, get(END), [
      ...i32(0), ...set(K),
      ...loop(K, 16, get(UB), [
        ...get(R), ...get(K), I32_ADD, ...set(P),
        ...get(Z), ...get(ZR), I32_ADD, ...get(K), I32_ADD, ...set(ZP),
        ...get(DZ), ...get(ZR), I32_ADD, ...get(K), I32_ADD, ...set(DP),
        ...get(DBIAS), ...get(K), I32_ADD, ...set(BP),
        ...[I, F, G, O].flatMap((g, q) => [...gate(ZP, q), ...v128Load(), ...set(g)]),
        ...load(TC, P), ...set(TV),
        ...add(load(DHA, P), load(DHB, P)), ...set(DH),
        ...add(load(DC, P), mul(mul(get(DH), get(O)), oneMinus(mul(get(TV), get(TV))))), ...set(DCS),
        ...store(at(DC, P), mul(get(DCS), get(F))),
        ...outGate(0, mul(mul(get(DCS), get(G)), mul(get(I), oneMinus(get(I))))),
        ...outGate(1, mul(mul(get(DCS), load(CP, P)), mul(get(F), oneMinus(get(F))))),
        ...outGate(2, mul(mul(get(DCS), get(I)), oneMinus(mul(get(G), get(G))))),
        ...outGate(3, mul(mul(get(DH), get(TV)), mul(get(O), oneMinus(get(O))))),
      ]),
      ...get(R), ...get(UB), I32_ADD, ...set(R),
      ...get(ZR), ...get(UB), ...i32(2), I32_SHL, I32_ADD, ...set(ZR),
    ]),
  ];
  return { name: "cellBack", params: 10, i32Locals: 9, v128Locals: 8, body };
})();

/** The step-major arrays the forward pass keeps for the gradient (copies out of the scratch). */
export interface SimdSaved {
  b: number;
  /** Rows per step block: b rounded up to even. */
  rows: number;
  t: number;
  u: number;
  gates: Float32Array;
  cells: Float32Array;
  tanhCells: Float32Array;
  hidden: Float32Array;
}

const F = 4; // bytes per float32

/** Byte offsets of one call's arrays in the scratch. */
function layout(rows: number, t: number, u: number) {
  const g4 = 4 * u;
  let top = 0;
  const take = (floats: number) => {
    const at = top;
    top += floats * F;
    return at;
  };
  return {
    rkT: take(g4 * u), // [4u, u]: the forward product's K (h·rk)
    rk: take(u * g4), // [u, 4u]: the backward product's K (dz·rkᵀ)
    bias: take(g4),
    zeros: take(rows * g4),
    rec: take(rows * g4),
    gates: take(t * rows * g4),
    cells: take(t * rows * u),
    tanhCells: take(t * rows * u),
    hidden: take(t * rows * u),
    dxk: take(t * rows * g4),
    dy: take(t * rows * u),
    dc: take(rows * u),
    dhRec: take(rows * u),
    dbias: take(g4),
    end: top,
  };
}

type Kernels = {
  mm(x: number, rows: number, n: number, k: number, units: number, out: number): void;
  gates(z: number, bias: number, rec: number, rows: number, u: number): void;
  cell(z: number, cprev: number, c: number, tc: number, h: number, rows: number, u: number): void;
  cellBack(
    z: number,
    tc: number,
    cprev: number,
    dha: number,
    dhb: number,
    dc: number,
    dz: number,
    dbias: number,
    rows: number,
    u: number,
  ): void;
};

/** One worker's scratch memory and kernels. */
class LstmSimd {
  private readonly k: Kernels;

  constructor(private readonly scratch: SimdScratch<Kernels>) {
    this.k = scratch.kernels;
  }

  /** Lays out a call, growing the memory (which detaches old views) as needed, and zeroes the zero block. */
  private prepare(rows: number, t: number, u: number): { l: ReturnType<typeof layout>; mem: Float32Array } {
    const l = layout(rows, t, u);
    const mem = this.scratch.view(l.end);
    mem.fill(0, l.zeros / F, (l.zeros + rows * 4 * u * F) / F);
    return { l, mem };
  }

  private placeKernels(mem: Float32Array, l: ReturnType<typeof layout>, rk: Float32Array, u: number): void {
    const g4 = 4 * u;
    mem.set(rk, l.rk / F);
    const rkT = l.rkT / F;
    for (let i = 0; i < u; i++) for (let j = 0; j < g4; j++) mem[rkT + j * u + i] = rk[i * g4 + j];
  }

  /**
   * Runs the recurrence over xk [b, t, 4u] (batch-major, as tfjs gives it). With `keep` the states
   * come back as host copies for backward(); without (inference) as views of the scratch, valid
   * until the next call: ~62 MB of copies per 512-window prediction batch saved.
   */
  forward(
    xk: Float32Array,
    bias: Float32Array,
    rk: Float32Array,
    b: number,
    t: number,
    u: number,
    keep: boolean,
  ): SimdSaved {
    const rows = b + (b & 1);
    const g4 = 4 * u;
    const { l, mem } = this.prepare(rows, t, u);
    this.placeKernels(mem, l, rk, u);
    mem.set(bias, l.bias / F);
    const gates = l.gates / F;
    for (let s = 0; s < t; s++) {
      for (let r = 0; r < b; r++)
        mem.set(xk.subarray((r * t + s) * g4, (r * t + s + 1) * g4), gates + (s * rows + r) * g4);
      if (rows > b) mem.fill(0, gates + (s * rows + b) * g4, gates + (s + 1) * rows * g4);
    }
    const blockG = rows * g4 * F;
    const blockU = rows * u * F;
    for (let s = 0; s < t; s++) {
      // h_0 = 0 and c_0 = 0: the first step has no recurrent product and no previous cell.
      if (s > 0) this.k.mm(l.hidden + (s - 1) * blockU, rows, u, l.rkT, g4, l.rec);
      const z = l.gates + s * blockG;
      this.k.gates(z, l.bias, s > 0 ? l.rec : l.zeros, rows, u);
      const cprev = s > 0 ? l.cells + (s - 1) * blockU : l.zeros;
      this.k.cell(z, cprev, l.cells + s * blockU, l.tanhCells + s * blockU, l.hidden + s * blockU, rows, u);
    }
    const copy = (at: number, floats: number) => {
      if (!keep) return mem.subarray(at / F, at / F + floats);
      const out = this.take(floats);
      out.set(mem.subarray(at / F, at / F + floats));
      return out;
    };
    return {
      b,
      rows,
      t,
      u,
      gates: copy(l.gates, t * rows * g4),
      cells: copy(l.cells, t * rows * u),
      tanhCells: copy(l.tanhCells, t * rows * u),
      hidden: copy(l.hidden, t * rows * u),
    };
  }

  /**
   * Host arrays for saved states, reused: a fresh 2 MB Float32Array costs more here (allocation,
   * zeroing, GC) than the copy into it. Arrays come back when their backward pass has run;
   * a forward pass without one (inference) just leaves its arrays to the GC.
   */
  private readonly pool: Float32Array[] = [];

  private take(floats: number): Float32Array {
    const i = this.pool.findIndex((a) => a.length === floats);
    return i >= 0 ? this.pool.splice(i, 1)[0] : new Float32Array(floats);
  }

  private release(saved: SimdSaved): void {
    this.pool.push(saved.gates, saved.cells, saved.tanhCells, saved.hidden);
    this.pool.splice(0, Math.max(0, this.pool.length - 16)); // a bounded pool: 2 layers × 2 shards × 4
  }

  /**
   * Backpropagation through time from the output gradient dy ([b, t, u] or [b, u]). Hands
   * `consume` d xk step-major [t, rows, 4u] (pad rows zero), d bias [4u] and h [t, rows, u] as
   * views valid only during the call (the scratch is reused after it); `saved` is spent.
   */
  backward<R>(
    saved: SimdSaved,
    dy: Float32Array,
    rk: Float32Array,
    returnSequences: boolean,
    consume: (dxk: Float32Array, dbias: Float32Array, hidden: Float32Array) => R,
  ): R {
    const { b, rows, t, u } = saved;
    const g4 = 4 * u;
    const { l, mem } = this.prepare(rows, t, u);
    this.placeKernels(mem, l, rk, u);
    mem.set(saved.gates, l.gates / F);
    mem.set(saved.cells, l.cells / F);
    mem.set(saved.tanhCells, l.tanhCells / F);
    mem.fill(0, l.dy / F, (l.dy + t * rows * u * F) / F);
    for (let r = 0; r < b; r++)
      if (returnSequences)
        for (let s = 0; s < t; s++)
          mem.set(dy.subarray((r * t + s) * u, (r * t + s + 1) * u), l.dy / F + (s * rows + r) * u);
      else mem.set(dy.subarray(r * u, (r + 1) * u), l.dy / F + ((t - 1) * rows + r) * u);
    mem.fill(0, l.dc / F, (l.dc + rows * u * F) / F);
    mem.fill(0, l.dbias / F, (l.dbias + g4 * F) / F);
    const blockG = rows * g4 * F;
    const blockU = rows * u * F;
    for (let s = t - 1; s >= 0; s--) {
      const dz = l.dxk + s * blockG;
      const cprev = s > 0 ? l.cells + (s - 1) * blockU : l.zeros;
      const dhRec = s < t - 1 ? l.dhRec : l.zeros;
      this.k.cellBack(
        l.gates + s * blockG,
        l.tanhCells + s * blockU,
        cprev,
        dhRec,
        l.dy + s * blockU,
        l.dc,
        dz,
        l.dbias,
        rows,
        u,
      );
      if (s > 0) this.k.mm(dz, rows, g4, l.rk, u, l.dhRec);
    }
    const result = consume(
      mem.subarray(l.dxk / F, l.dxk / F + t * rows * g4),
      mem.subarray(l.dbias / F, l.dbias / F + g4),
      saved.hidden,
    );
    this.release(saved);
    return result;
  }
}

/** This worker's SIMD recurrence, or null where WebAssembly SIMD is missing. */
export const lstmSimd = lazyScratch<Kernels, LstmSimd>([MATMUL, GATES, CELL, CELL_BACK], (s) => new LstmSimd(s));

export type { LstmSimd };
