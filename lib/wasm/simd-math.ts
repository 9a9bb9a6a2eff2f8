/**
 * Float32x4 math built from lib/wasm/asm.ts's opcodes, shared by the studio's SIMD kernels
 * (lib/models/lstm-simd.ts, lib/models/attention-simd.ts): lane-wise arithmetic helpers and e^x.
 */
import {
  F32X4_ADD,
  F32X4_MAX,
  F32X4_MIN,
  F32X4_MUL,
  F32X4_NEAREST,
  F32X4_SUB,
  I32X4_ADD,
  I32X4_SHL,
  I32X4_SPLAT,
  I32X4_TRUNC_SAT_F32X4_S,
  I32_ADD,
  F32_LOAD,
  F32X4_SPLAT,
  get,
  i32,
  set,
  splat,
  v128Load,
  v128Store,
} from "./asm";

export const add = (a: number[], b: number[]) => [...a, ...b, ...F32X4_ADD];
export const sub = (a: number[], b: number[]) => [...a, ...b, ...F32X4_SUB];
export const mul = (a: number[], b: number[]) => [...a, ...b, ...F32X4_MUL];
export const one = splat(1);

/** The byte address base + offsets (i32 locals summed). */
export const at = (base: number, ...offsets: number[]) => [
  ...get(base),
  ...offsets.flatMap((o) => [...get(o), I32_ADD]),
];
/** The v128 at base + offsets. */
export const load = (base: number, ...offsets: number[]) => [...at(base, ...offsets), ...v128Load()];
/** Stores `value` (a v128 expression) at `addr` (an address expression). */
export const store = (addr: number[], value: number[]) => [...addr, ...value, ...v128Store()];
/** The f32 at (i32 local) ptr + a constant byte offset, in all four lanes. */
export const splatAt = (ptr: number, offset = 0) => [...get(ptr), ...i32(offset), I32_ADD, ...F32_LOAD, ...F32X4_SPLAT];

/**
 * e^x of the v128 on the stack, lane-wise, using v128 locals t and n as scratch: Cephes's expf
 * (x clamped to ±88, range reduction by ln 2 in two parts, degree-5 polynomial, 2^n built in the
 * exponent bits), within a few float32 ulps.
 */
export function expf(t: number, n: number): number[] {
  const p = [1.98756915e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1];
  let poly = splat(p[0]);
  for (const c of p.slice(1)) poly = add(mul(poly, get(t)), splat(c));
  // prettier-ignore
  return [
    ...splat(-88), ...F32X4_MAX, ...splat(88), ...F32X4_MIN, ...set(t),                 // t = clamp(x)
    ...mul(get(t), splat(Math.LOG2E)), ...F32X4_NEAREST, ...set(n),                     // n = round(t·log2 e)
    ...sub(sub(get(t), mul(get(n), splat(0.693359375))), mul(get(n), splat(-2.12194440e-4))), ...set(t), // t -= n·ln 2
    ...add(add(mul(mul(poly, get(t)), get(t)), get(t)), one),                           // e^t ≈ 1 + t + t²·P(t)
    ...get(n), ...I32X4_TRUNC_SAT_F32X4_S, ...i32(127), ...I32X4_SPLAT, ...I32X4_ADD, ...i32(23), ...I32X4_SHL, // 2^n
    ...F32X4_MUL,
  ];
}
