/**
 * Attention's core, ctx_h = softmax(Q_h·K_hᵀ/√dh)·V_h for every head, and its gradient as one op
 * (tf.customGrad) whose products run in WebAssembly SIMD, for host-memory backends (fused.ts).
 *
 * Why: on tfjs-wasm a default Transformer shard step (32 rows, 2 blocks, 4 heads of 15 tokens ×
 * 16) spent ~20-28 ms of ~80 ms in twelve batched products of [32, 4, 15, 15·16] shapes, which
 * XNNPACK runs at ~0.3 GMAC/s (each a ~460 k multiply-add call with fixed cost), plus the
 * transposes, softmax and scaling kernels around them (bench/train/transformer-step.ts). Here two
 * strided product kernels read each head's columns in place ([B, T, d] layout, head h at columns
 * h·dh…): gemm (A·B, which reads Pᵀ and dSᵀ through their strides) and gemmT (A·Bᵀ, for Q·Kᵀ and
 * dctx·Vᵀ), so no transpose is materialised; the softmax and its gradient are SIMD kernels too (a
 * JS softmax took 1.6 ms of a 2.9 ms forward).
 *
 * Same math as the op path in layers.ts (StudioSelfAttention): outputs and gradients agree with
 * it to float32 rounding (attention-simd.test.ts). Needs dh a multiple of 4; other shapes, GPU
 * backends and machines without WebAssembly SIMD keep the op path.
 */
import * as tf from "@tensorflow/tfjs";
import { readValues, recordingGradient, tensorOf } from "./host-io";
import {
  F32_DIV,
  F32_LOAD,
  F32_MAX,
  F32_STORE,
  F32X4_ADD,
  F32X4_MAX,
  F32X4_MUL,
  F32X4_SPLAT,
  I32X4_ADD,
  I32X4_LT_S,
  I32X4_SPLAT,
  I32_ADD,
  I32_MUL,
  I32_SHL,
  V128_AND,
  V128_BITSELECT,
  V128_ZERO,
  f32,
  f32x4Lane,
  get,
  hsum,
  i32,
  i32x4,
  loop,
  set,
  splat,
  tee,
  v128Load,
  v128Store,
  type WasmFunction,
} from "@/lib/wasm/asm";
import { lazyScratch, type SimdScratch } from "@/lib/wasm/scratch";
import { add, expf, mul, splatAt, sub } from "@/lib/wasm/simd-math";

// gemm(a, sar, sai, b, sbi, rows, inner, colBytes, out, sor): out[r, c] = Σ_i A(r, i)·B[i, c] for
// r < rows, i < inner, with A(r, i) at a + r·sar + i·sai, B's row i at b + i·sbi and out's row r
// at out + r·sor (all in bytes); c runs in 4-lane blocks (colBytes a multiple of 16, at least 16;
// rows and inner at least 1). Out is overwritten.
// prettier-ignore
const GEMM: WasmFunction = (() => {
  const [A, SAR, SAI, B, SBI, ROWS, INNER, CB, OUT, SOR] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [R, I, C, AR, OR, BR, P] = [10, 11, 12, 13, 14, 15, 16];
  const AV = 17;
  const body = [
    ...i32(0), ...set(R),
    ...loop(R, 1, get(ROWS), [
      ...get(A), ...get(R), ...get(SAR), I32_MUL, I32_ADD, ...set(AR),              // ar = a + r·sar
      ...get(OUT), ...get(R), ...get(SOR), I32_MUL, I32_ADD, ...set(OR),            // or = out + r·sor
      ...i32(0), ...set(C),
      ...loop(C, 16, get(CB), [...get(OR), ...get(C), I32_ADD, ...V128_ZERO, ...v128Store()]),
      ...i32(0), ...set(I),
      ...loop(I, 1, get(INNER), [
        ...get(AR), ...get(I), ...get(SAI), I32_MUL, I32_ADD, ...F32_LOAD, ...F32X4_SPLAT, ...set(AV), // a = A(r, i) ×4
        ...get(B), ...get(I), ...get(SBI), I32_MUL, I32_ADD, ...set(BR),            // br = b + i·sbi
        ...i32(0), ...set(C),
        ...loop(C, 16, get(CB), [                                                   // out[r, c:c+4] += a·B[i, c:c+4]
          ...get(OR), ...get(C), I32_ADD, ...tee(P),
          ...get(P), ...v128Load(), ...get(AV), ...get(BR), ...get(C), I32_ADD, ...v128Load(), ...F32X4_MUL, ...F32X4_ADD,
          ...v128Store(),
        ]),
      ]),
    ]),
  ];
  return { name: "gemm", params: 10, i32Locals: 7, v128Locals: 1, body };
})();

// gemmT(a, sar, b, sbc, rows, cols, innerBytes, out, sor): out[r, c] = Σ_i A[r, i]·B[c, i] (A·Bᵀ)
// for r < rows, c < cols, with A's row r at a + r·sar, B's row c at b + c·sbc and out's row r at
// out + r·sor (floats, contiguous along c); i runs in 4-lane blocks (innerBytes a multiple of 16).
// A head's Q·Kᵀ and dctx·Vᵀ read K and V rows in place, so no transpose is materialised.
// prettier-ignore
const GEMM_T: WasmFunction = (() => {
  const [A, SAR, B, SBC, ROWS, COLS, IB, OUT, SOR] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [R, C, I, AR, BR, OR] = [9, 10, 11, 12, 13, 14];
  const ACC = 15;
  const body = [
    ...i32(0), ...set(R),
    ...loop(R, 1, get(ROWS), [
      ...get(A), ...get(R), ...get(SAR), I32_MUL, I32_ADD, ...set(AR),
      ...get(OUT), ...get(R), ...get(SOR), I32_MUL, I32_ADD, ...set(OR),
      ...i32(0), ...set(C),
      ...loop(C, 1, get(COLS), [
        ...get(B), ...get(C), ...get(SBC), I32_MUL, I32_ADD, ...set(BR),
        ...V128_ZERO, ...set(ACC),
        ...i32(0), ...set(I),
        ...loop(I, 16, get(IB), [
          ...get(ACC), ...get(AR), ...get(I), I32_ADD, ...v128Load(), ...get(BR), ...get(I), I32_ADD, ...v128Load(),
          ...F32X4_MUL, ...F32X4_ADD, ...set(ACC),
        ]),
        ...get(OR), ...get(C), ...i32(2), I32_SHL, I32_ADD, ...hsum(ACC), F32_STORE, 0x02, 0x00,
      ]),
    ]),
  ];
  return { name: "gemmT", params: 9, i32Locals: 6, v128Locals: 1, body };
})();

type GemmT = (
  a: number,
  sar: number,
  b: number,
  sbc: number,
  rows: number,
  cols: number,
  innerBytes: number,
  out: number,
  sor: number,
) => void;

// softmax(p, rows, t, rowBytes, consts): each of `rows` rows of t scores at p (row stride
// rowBytes, a multiple of 16 at least 4·t) → softmax(scale · row), scale the f32 at consts. Lanes
// past t are masked out of the max and the sum and written as 0, whatever they held.
// prettier-ignore
const SOFTMAX: WasmFunction = (() => {
  const [P, ROWS, T, RB, CONSTS] = [0, 1, 2, 3, 4];
  const [R, END, C, A] = [5, 6, 7, 8];
  const [X, M, SUM, IDX, TV, SC, ET, EN] = [9, 10, 11, 12, 13, 14, 15, 16];
  const inRow = [...get(IDX), ...get(TV), ...I32X4_LT_S];                           // lanes < t
  const nextLanes = [...get(IDX), ...i32(4), ...I32X4_SPLAT, ...I32X4_ADD, ...set(IDX)];
  const lane = (v: number, l: number) => [...get(v), ...f32x4Lane(l)];
  const body = [
    ...splatAt(CONSTS), ...set(SC),
    ...get(T), ...I32X4_SPLAT, ...set(TV),
    ...get(P), ...get(ROWS), ...get(RB), I32_MUL, I32_ADD, ...set(END),
    ...get(P), ...set(R),
    ...loop(R, 0, get(END), [                                                       // (R advances by RB below)
      ...splat(-Infinity), ...set(M), ...i32x4(0, 1, 2, 3), ...set(IDX), ...i32(0), ...set(C),
      ...loop(C, 16, get(RB), [
        ...get(R), ...get(C), I32_ADD, ...v128Load(), ...set(X),
        ...get(M), ...get(X), ...splat(-Infinity), ...inRow, ...V128_BITSELECT, ...F32X4_MAX, ...set(M),
        ...nextLanes,
      ]),
      ...lane(M, 0), ...lane(M, 1), F32_MAX, ...lane(M, 2), F32_MAX, ...lane(M, 3), F32_MAX, ...F32X4_SPLAT, ...set(M),
      ...V128_ZERO, ...set(SUM), ...i32x4(0, 1, 2, 3), ...set(IDX), ...i32(0), ...set(C),
      ...loop(C, 16, get(RB), [
        ...get(R), ...get(C), I32_ADD, ...set(A),
        ...mul(sub([...get(A), ...v128Load()], get(M)), get(SC)), ...expf(ET, EN), ...inRow, ...V128_AND, ...set(X),
        ...get(A), ...get(X), ...v128Store(),
        ...add(get(SUM), get(X)), ...set(SUM),
        ...nextLanes,
      ]),
      ...f32(1), ...hsum(SUM), F32_DIV, ...F32X4_SPLAT, ...set(SUM),
      ...i32(0), ...set(C),
      ...loop(C, 16, get(RB), [
        ...get(R), ...get(C), I32_ADD, ...set(A),
        ...get(A), ...mul([...get(A), ...v128Load()], get(SUM)), ...v128Store(),
      ]),
      ...get(R), ...get(RB), I32_ADD, ...set(R),
    ]),
  ];
  return { name: "softmax", params: 5, i32Locals: 4, v128Locals: 8, body };
})();

// softmaxBack(p, ds, rows, rowBytes, consts): ds ← scale · p ⊙ (ds − Σ_j p·ds) row by row (the
// gradient of the unscaled scores from that of the probabilities). Pad lanes of p must be 0 (as
// softmax leaves them) and those of ds finite.
// prettier-ignore
const SOFTMAX_BACK: WasmFunction = (() => {
  const [P, DS, ROWS, RB, CONSTS] = [0, 1, 2, 3, 4];
  const [R, END, C, A] = [5, 6, 7, 8];
  const [ACC, SC, DOT] = [9, 10, 11];
  const body = [
    ...splatAt(CONSTS), ...set(SC),
    ...get(ROWS), ...get(RB), I32_MUL, ...set(END),
    ...i32(0), ...set(R),
    ...loop(R, 0, get(END), [
      ...V128_ZERO, ...set(ACC), ...i32(0), ...set(C),
      ...loop(C, 16, get(RB), [
        ...get(R), ...get(C), I32_ADD, ...set(A),
        ...add(get(ACC), mul([...get(P), ...get(A), I32_ADD, ...v128Load()], [...get(DS), ...get(A), I32_ADD, ...v128Load()])), ...set(ACC),
      ]),
      ...hsum(ACC), ...F32X4_SPLAT, ...set(DOT),
      ...i32(0), ...set(C),
      ...loop(C, 16, get(RB), [
        ...get(R), ...get(C), I32_ADD, ...set(A),
        ...get(DS), ...get(A), I32_ADD,
        ...mul(mul(get(SC), [...get(P), ...get(A), I32_ADD, ...v128Load()]), sub([...get(DS), ...get(A), I32_ADD, ...v128Load()], get(DOT))),
        ...v128Store(),
      ]),
      ...get(R), ...get(RB), I32_ADD, ...set(R),
    ]),
  ];
  return { name: "softmaxBack", params: 5, i32Locals: 4, v128Locals: 3, body };
})();

type Softmax = (p: number, rows: number, t: number, rowBytes: number, consts: number) => void;
type SoftmaxBack = (p: number, ds: number, rows: number, rowBytes: number, consts: number) => void;

type Gemm = (
  a: number,
  sar: number,
  sai: number,
  b: number,
  sbi: number,
  rows: number,
  inner: number,
  colBytes: number,
  out: number,
  sor: number,
) => void;

const F = 4; // bytes per float32

/**
 * Float offsets of one call's arrays in the scratch: a constants slot (the softmax scale), [B, T, d]
 * tensors and [B, H, T, tp] scores, rows padded to tp = T rounded up to 4 for the SIMD softmax.
 */
function layout(b: number, t: number, d: number, h: number) {
  const dh = d / h;
  const tp = Math.ceil(t / 4) * 4;
  const n = b * t * d;
  const scores = b * h * t * tp;
  let at = 0;
  const next = (size: number) => ((at += size), at - size);
  const l = {
    b,
    t,
    d,
    h,
    dh,
    tp,
    n,
    scores,
    consts: next(4),
    q: next(n),
    k: next(n),
    v: next(n),
    ctx: next(n), // the output forward, dctx backward
    dq: next(n),
    dk: next(n),
    dv: next(n),
    p: next(scores),
    ds: next(scores),
    end: 0,
  };
  l.end = at * F;
  return l;
}

interface Kernels {
  gemm: Gemm;
  gemmT: GemmT;
  softmax: Softmax;
  softmaxBack: SoftmaxBack;
}

type Layout = ReturnType<typeof layout>;

/** The kernels on one worker's scratch. */
class AttentionSimd {
  constructor(private readonly scratch: SimdScratch<Kernels>) {}

  private prepare(b: number, t: number, d: number, h: number) {
    const l = layout(b, t, d, h);
    const mem = this.scratch.view(l.end);
    mem[l.consts] = 1 / Math.sqrt(l.dh);
    return { l, mem };
  }

  /** Calls fn(headOffset, scoreOffset) in bytes for every (batch row, head) of the layout. */
  private eachHead(l: Layout, fn: (off: number, sc: number) => void): void {
    const { b, t, d, h, dh, tp } = l;
    for (let bb = 0; bb < b; bb++)
      for (let hh = 0; hh < h; hh++) fn((bb * t * d + hh * dh) * F, (bb * h + hh) * t * tp * F);
  }

  /**
   * ctx [B, T, d] and the attention probabilities [B, H, T, tp] (pad columns 0; kept for the
   * gradient), as views of the scratch: valid until the next call.
   */
  forward(q: Float32Array, k: Float32Array, v: Float32Array, b: number, t: number, d: number, h: number) {
    const { l, mem } = this.prepare(b, t, d, h);
    const dh = l.dh;
    mem.set(q, l.q);
    mem.set(k, l.k);
    mem.set(v, l.v);
    const { gemm, gemmT, softmax } = this.scratch.kernels;
    const [Q, K, V, P, CTX] = [l.q, l.k, l.v, l.p, l.ctx].map((o) => o * F);
    const [rowD, rowT] = [d * F, l.tp * F];
    this.eachHead(l, (off, sc) => gemmT(Q + off, rowD, K + off, rowD, t, t, dh * F, P + sc, rowT)); // S = Q_h·K_hᵀ
    softmax(P, b * h * t, t, rowT, l.consts * F);
    this.eachHead(l, (off, sc) => gemm(P + sc, rowT, F, V + off, rowD, t, t, dh * F, CTX + off, rowD)); // ctx_h = P·V_h
    return { ctx: mem.subarray(l.ctx, l.ctx + l.n), probs: mem.subarray(l.p, l.p + l.scores) };
  }

  /** dq, dk, dv [B, T, d] from dctx [B, T, d] and what forward kept, as views of the scratch (valid until the next call). */
  backward(
    q: Float32Array,
    k: Float32Array,
    v: Float32Array,
    probs: Float32Array,
    dctx: Float32Array,
    b: number,
    t: number,
    d: number,
    h: number,
  ) {
    const { l, mem } = this.prepare(b, t, d, h);
    const dh = l.dh;
    mem.set(q, l.q);
    mem.set(k, l.k);
    mem.set(v, l.v);
    mem.set(dctx, l.ctx);
    mem.set(probs, l.p);
    mem.fill(0, l.ds, l.ds + l.scores); // dP's pad columns, which gemmT does not write, must be finite
    const { gemm, gemmT, softmaxBack } = this.scratch.kernels;
    const [Q, K, V, P, DC, DS] = [l.q, l.k, l.v, l.p, l.ctx, l.ds].map((o) => o * F);
    const [DQ, DK, DV] = [l.dq, l.dk, l.dv].map((o) => o * F);
    const [rowD, rowT, cols] = [d * F, l.tp * F, dh * F];
    this.eachHead(l, (off, sc) => gemmT(DC + off, rowD, V + off, rowD, t, t, cols, DS + sc, rowT)); // dP = dctx_h·V_hᵀ
    softmaxBack(P, DS, b * h * t, rowT, l.consts * F);
    this.eachHead(l, (off, sc) => {
      gemm(P + sc, F, rowT, DC + off, rowD, t, t, cols, DV + off, rowD); // dV_h = Pᵀ·dctx_h
      gemm(DS + sc, rowT, F, K + off, rowD, t, t, cols, DQ + off, rowD); // dQ_h = dS·K_h
      gemm(DS + sc, F, rowT, Q + off, rowD, t, t, cols, DK + off, rowD); // dK_h = dSᵀ·Q_h
    });
    return {
      dq: mem.subarray(l.dq, l.dq + l.n),
      dk: mem.subarray(l.dk, l.dk + l.n),
      dv: mem.subarray(l.dv, l.dv + l.n),
    };
  }
}

/** This worker's instance, or null where WebAssembly SIMD is missing. */
const attentionSimd = lazyScratch<Kernels, AttentionSimd>(
  [GEMM, GEMM_T, SOFTMAX, SOFTMAX_BACK],
  (s) => new AttentionSimd(s),
);

/** Whether attentionCore can take these heads: SIMD present and dh a multiple of 4. */
export function attentionSimdFits(d: number, heads: number): boolean {
  return (d / heads) % 4 === 0 && attentionSimd() !== null;
}

/**
 * softmax(Q_h·K_hᵀ/√dh)·V_h for each head h (columns h·dh … (h+1)·dh of the last axis), heads
 * concatenated in order, as one differentiable op. Call only where attentionSimdFits.
 * @param q, k, v [B, T, d]
 * @returns ctx [B, T, d]
 */
export function attentionCore(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, heads: number): tf.Tensor3D {
  const simd = attentionSimd();
  if (!simd) throw new Error("attentionCore needs WebAssembly SIMD");
  const [b, t, d] = q.shape;
  const keep = recordingGradient();
  const op = tf.customGrad((qIn, kIn, vIn, save) => {
    const inputs = [qIn, kIn, vIn] as tf.Tensor[];
    const [qh, kh, vh] = inputs.map(readValues);
    const { ctx, probs } = simd.forward(qh, kh, vh, b, t, d, heads);
    // Results leave the scratch as new tensors after every input was read (allocating a tensor may
    // detach heap views: host-io.ts).
    const value = tensorOf(ctx, [b, t, d]);
    // The scratch is shared by every call: the probabilities are kept as a tensor with the inputs,
    // only while a gradient is being recorded.
    if (keep) (save as tf.GradSaveFunc)([...inputs, tensorOf(probs, [probs.length])]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sq, sk, sv, sp] = saved.map(readValues);
        const g = simd.backward(sq, sk, sv, sp, readValues(dy), b, t, d, heads);
        return [tensorOf(g.dq, [b, t, d]), tensorOf(g.dk, [b, t, d]), tensorOf(g.dv, [b, t, d])];
      },
    };
  });
  return op(q, k, v) as tf.Tensor3D;
}
