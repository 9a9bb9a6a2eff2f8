/**
 * Layer normalisation over the last axis, y = (x − mean)/√(var + ε)·γ + β, and its gradient as one
 * op (tf.customGrad) in WebAssembly SIMD, for host-memory backends (fused.ts).
 *
 * Why: written with tf.moments (layers.ts), one StudioLayerNorm is ~10 tfjs kernels forward and
 * ~25 backward (broadcast subtractions, products, sums over rows for γ and β); a default
 * Transformer step has five of them. Here each is one pass over the rows forward and one back,
 * four lanes at a time. Same math as the op path, to float32 rounding (layer-norm-simd.test.ts);
 * needs the last axis a multiple of 4 (every d_model option is), else the op path is used.
 */
import * as tf from "@tensorflow/tfjs";
import { readValues, recordingGradient, tensorOf } from "./host-io";
import {
  F32_LOAD,
  F32_STORE,
  F32X4_DIV,
  F32X4_SPLAT,
  F32X4_SQRT,
  I32_ADD,
  I32_MUL,
  V128_ZERO,
  f32x4Lane,
  get,
  hsum,
  i32,
  loop,
  set,
  v128Store,
  type WasmFunction,
} from "@/lib/wasm/asm";
import { lazyScratch } from "@/lib/wasm/scratch";
import { add, at, load, mul, one, splatAt, sub } from "@/lib/wasm/simd-math";

// lnForward(x, rows, rowBytes, gamma, beta, consts, y, xhat, rstd): per row of x, mean and
// 1/√(var + ε) (written to rstd[r]), xhat = (x − mean)·rstd and y = xhat·γ + β. consts: ε, then 1/d.
// prettier-ignore
const LN_FORWARD: WasmFunction = (() => {
  const [X, ROWS, RB, GAMMA, BETA, CONSTS, Y, XHAT, RSTD] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [R, END, C, A, RI] = [9, 10, 11, 12, 13];
  const [ACC, MEAN, RS, V, INVD, EPS] = [14, 15, 16, 17, 18, 19];
  const body = [
    ...splatAt(CONSTS, 0), ...set(EPS), ...splatAt(CONSTS, 4), ...set(INVD),
    ...get(ROWS), ...get(RB), I32_MUL, ...set(END),
    ...i32(0), ...set(R), ...i32(0), ...set(RI),
    ...loop(R, 0, get(END), [
      ...V128_ZERO, ...set(ACC), ...i32(0), ...set(C),
      ...loop(C, 16, get(RB), [...add(get(ACC), load(X, R, C)), ...set(ACC)]),
      ...mul([...hsum(ACC), ...F32X4_SPLAT], get(INVD)), ...set(MEAN),
      ...V128_ZERO, ...set(ACC), ...i32(0), ...set(C),
      ...loop(C, 16, get(RB), [...sub(load(X, R, C), get(MEAN)), ...set(V), ...add(get(ACC), mul(get(V), get(V))), ...set(ACC)]),
      ...one, ...add(mul([...hsum(ACC), ...F32X4_SPLAT], get(INVD)), get(EPS)), ...F32X4_SQRT, ...F32X4_DIV, ...set(RS),
      ...at(RSTD, RI), ...get(RS), ...f32x4Lane(0), F32_STORE, 0x02, 0x00,
      ...i32(0), ...set(C),
      ...loop(C, 16, get(RB), [
        ...at(R, C), ...set(A),
        ...mul(sub(load(X, A), get(MEAN)), get(RS)), ...set(V),
        ...at(XHAT, A), ...get(V), ...v128Store(),
        ...at(Y, A), ...add(mul(get(V), load(GAMMA, C)), load(BETA, C)), ...v128Store(),
      ]),
      ...get(R), ...get(RB), I32_ADD, ...set(R), ...get(RI), ...i32(4), I32_ADD, ...set(RI),
    ]),
  ];
  return { name: "lnForward", params: 9, i32Locals: 5, v128Locals: 6, body };
})();

// lnBackward(dy, rows, rowBytes, gamma, xhat, rstd, consts, dx, dgamma, dbeta): with g = dy·γ,
// dx = rstd·(g − mean(g) − xhat·mean(g·xhat)) per row; dγ = Σ_rows dy·xhat, dβ = Σ_rows dy.
// prettier-ignore
const LN_BACKWARD: WasmFunction = (() => {
  const [DY, ROWS, RB, GAMMA, XHAT, RSTD, CONSTS, DX, DGAMMA, DBETA] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [R, END, C, A, RI] = [10, 11, 12, 13, 14];
  const [A1, A2, G, XH, DYV, INVD, RS] = [15, 16, 17, 18, 19, 20, 21];
  const body = [
    ...splatAt(CONSTS, 4), ...set(INVD),
    ...i32(0), ...set(C),
    ...loop(C, 16, get(RB), [...at(DGAMMA, C), ...V128_ZERO, ...v128Store(), ...at(DBETA, C), ...V128_ZERO, ...v128Store()]),
    ...get(ROWS), ...get(RB), I32_MUL, ...set(END),
    ...i32(0), ...set(R), ...i32(0), ...set(RI),
    ...loop(R, 0, get(END), [
      ...V128_ZERO, ...set(A1), ...V128_ZERO, ...set(A2), ...i32(0), ...set(C),
      ...loop(C, 16, get(RB), [
        ...at(R, C), ...set(A),
        ...load(DY, A), ...set(DYV), ...load(XHAT, A), ...set(XH),
        ...mul(get(DYV), load(GAMMA, C)), ...set(G),
        ...add(get(A1), get(G)), ...set(A1),
        ...add(get(A2), mul(get(G), get(XH))), ...set(A2),
        ...at(DGAMMA, C), ...add(load(DGAMMA, C), mul(get(DYV), get(XH))), ...v128Store(),
        ...at(DBETA, C), ...add(load(DBETA, C), get(DYV)), ...v128Store(),
      ]),
      ...mul([...hsum(A1), ...F32X4_SPLAT], get(INVD)), ...set(A1),
      ...mul([...hsum(A2), ...F32X4_SPLAT], get(INVD)), ...set(A2),
      ...at(RSTD, RI), ...F32_LOAD, ...F32X4_SPLAT, ...set(RS),
      ...i32(0), ...set(C),
      ...loop(C, 16, get(RB), [
        ...at(R, C), ...set(A),
        ...at(DX, A),
        ...mul(get(RS), sub(sub(mul(load(DY, A), load(GAMMA, C)), get(A1)), mul(load(XHAT, A), get(A2)))),
        ...v128Store(),
      ]),
      ...get(R), ...get(RB), I32_ADD, ...set(R), ...get(RI), ...i32(4), I32_ADD, ...set(RI),
    ]),
  ];
  return { name: "lnBackward", params: 10, i32Locals: 5, v128Locals: 7, body };
})();

interface Kernels {
  lnForward: (...args: number[]) => void;
  lnBackward: (...args: number[]) => void;
}

const F = 4;
const scratch = lazyScratch<Kernels>([LN_FORWARD, LN_BACKWARD]);

/** Float offsets of one call's arrays in the scratch (rows × d each, rstd rounded up to 4). */
function layout(rows: number, d: number) {
  const n = rows * d;
  let at = 0;
  const next = (size: number) => ((at += size), at - size);
  const l = {
    consts: next(4),
    x: next(n), // dy backward
    y: next(n), // dx backward
    xhat: next(n),
    rstd: next(Math.ceil(rows / 4) * 4),
    gamma: next(d),
    beta: next(d), // dβ backward
    dgamma: next(d),
    end: 0,
  };
  l.end = at * F;
  return l;
}

/** Whether layerNormCore can take a last axis of d: SIMD present and d a multiple of 4. */
export function layerNormSimdFits(d: number): boolean {
  return d % 4 === 0 && scratch() !== null;
}

/**
 * (x − mean)/√(var + ε)·γ + β over x's last axis (d), as one differentiable op. Call only where
 * layerNormSimdFits(d).
 */
export function layerNormCore(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): tf.Tensor {
  const s = scratch();
  if (!s) throw new Error("layerNormCore needs WebAssembly SIMD");
  const shape = x.shape;
  const d = shape[shape.length - 1];
  const rows = x.size / d;
  const l = layout(rows, d);
  const { lnForward, lnBackward } = s.kernels;
  // Results leave the scratch as new tensors (tensorOf), after every input was read (allocating a tensor may
  // detach heap views: host-io.ts).
  const result = (mem: Float32Array, offset: number, shape: number[]) =>
    tensorOf(mem.subarray(offset, offset + shape.reduce((a, b) => a * b, 1)), shape);
  const keep = recordingGradient();
  const op = tf.customGrad((xIn, gIn, bIn, save) => {
    const mem = s.view(l.end);
    mem[l.consts] = epsilon;
    mem[l.consts + 1] = 1 / d;
    mem.set(readValues(xIn as tf.Tensor), l.x);
    mem.set(readValues(gIn as tf.Tensor), l.gamma);
    mem.set(readValues(bIn as tf.Tensor), l.beta);
    const [X, Y, XH, RS] = [l.x, l.y, l.xhat, l.rstd].map((o) => o * F);
    lnForward(X, rows, d * F, l.gamma * F, l.beta * F, l.consts * F, Y, XH, RS);
    const y = result(mem, l.y, shape);
    // The scratch is shared by every call: what the gradient needs is kept as tensors, only while a
    // gradient is being recorded.
    if (keep)
      (save as tf.GradSaveFunc)([result(mem, l.xhat, [rows * d]), result(mem, l.rstd, [rows]), gIn as tf.Tensor]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xhat, rstd, g] = saved;
        const m = s.view(l.end);
        m[l.consts + 1] = 1 / d;
        m.set(readValues(dy), l.x);
        m.set(readValues(xhat), l.xhat);
        m.set(readValues(rstd), l.rstd);
        m.set(readValues(g), l.gamma);
        const [DY, DX, DG, DB] = [l.x, l.y, l.dgamma, l.beta].map((o) => o * F);
        lnBackward(DY, rows, d * F, l.gamma * F, XH, RS, l.consts * F, DX, DG, DB);
        return [result(m, l.y, shape), result(m, l.dgamma, [d]), result(m, l.beta, [d])];
      },
    };
  });
  return op(x, gamma, beta);
}
