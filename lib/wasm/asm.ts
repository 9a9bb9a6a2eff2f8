/**
 * A few bytes of WebAssembly assembled in TypeScript: the encodings, the opcodes the studio's
 * SIMD kernels use (core 2.0 and the fixed-width SIMD proposal) and a module builder. The
 * kernels (lib/export/nn/simd-matmul.ts, lib/models/lstm-simd.ts) are small and hot; a .wasm
 * file would need a toolchain and a file to serve, this needs neither. Every function takes i32
 * parameters (byte addresses and counts into one imported memory, "env"."mem") and returns
 * nothing.
 */

/** Unsigned LEB128. */
export function u32(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/** Signed LEB128 (i32.const's immediate). */
export function s32(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const vec = (items: number[][]) => [...u32(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...u32(body.length), ...body];
const str = (s: string) => [...u32(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

// Control and i32.
export const LOOP = 0x03;
export const VOID = 0x40;
export const END = 0x0b;
export const BR_IF = 0x0d;
export const SELECT = 0x1b;
export const I32_EQ = 0x46;
export const I32_LT_U = 0x49;
export const I32_ADD = 0x6a;
export const I32_MUL = 0x6c;
export const I32_SHL = 0x74;
export const F32_ADD = 0x92;
export const F32_DIV = 0x95;
export const F32_MAX = 0x97;
export const F32_STORE = 0x38;
/** f32.load with its natural alignment hint and offset 0. */
export const F32_LOAD = [0x2a, 0x02, 0x00];

export const get = (l: number) => [0x20, ...u32(l)];
export const set = (l: number) => [0x21, ...u32(l)];
export const tee = (l: number) => [0x22, ...u32(l)];
export const i32 = (n: number) => [0x41, ...s32(n)];
export function f32(v: number): number[] {
  const b = new Uint8Array(new Float32Array([v]).buffer);
  return [0x43, ...b];
}

// SIMD (prefix 0xfd). Memory arguments: alignment hint 2^0, then the constant byte offset.
const SIMD = 0xfd;
export const v128Load = (offset = 0) => [SIMD, 0x00, 0x00, ...u32(offset)];
export const v128Store = (offset = 0) => [SIMD, 0x0b, 0x00, ...u32(offset)];
export const V128_ZERO = [SIMD, 0x0c, ...new Array<number>(16).fill(0)];
export const F32X4_SPLAT = [SIMD, 0x13];
export const I32X4_SPLAT = [SIMD, 0x11];
export const f32x4Lane = (l: number) => [SIMD, 0x1f, l];
export const F32X4_NEAREST = [SIMD, 0x6a];
/** v128.const: four int32 lanes. */
export const i32x4 = (...lanes: [number, number, number, number]) => [
  SIMD,
  0x0c,
  ...new Uint8Array(new Int32Array(lanes).buffer),
];
export const I32X4_LT_S = [SIMD, 0x39];
export const V128_AND = [SIMD, 0x4e];
/** v128.bitselect(a, b, mask): a's bits where mask is set, else b's. */
export const V128_BITSELECT = [SIMD, 0x52];
export const I32X4_SHL = [SIMD, 0xab, 0x01];
export const I32X4_ADD = [SIMD, 0xae, 0x01];
export const F32X4_NEG = [SIMD, 0xe1, 0x01];
export const F32X4_ADD = [SIMD, 0xe4, 0x01];
export const F32X4_SUB = [SIMD, 0xe5, 0x01];
export const F32X4_MUL = [SIMD, 0xe6, 0x01];
export const F32X4_DIV = [SIMD, 0xe7, 0x01];
export const F32X4_SQRT = [SIMD, 0xe3, 0x01];
export const F32X4_MIN = [SIMD, 0xe8, 0x01];
export const F32X4_MAX = [SIMD, 0xe9, 0x01];
export const I32X4_TRUNC_SAT_F32X4_S = [SIMD, 0xf8, 0x01];

/** The sum of v128 local v's four lanes, as one f32 on the stack. */
// prettier-ignore
export const hsum = (v: number) => [
  ...get(v), ...f32x4Lane(0), ...get(v), ...f32x4Lane(1), F32_ADD, ...get(v), ...f32x4Lane(2), F32_ADD, ...get(v), ...f32x4Lane(3), F32_ADD,
];

/** A float32 constant in all four lanes. */
export const splat = (v: number) => [...f32(v), ...F32X4_SPLAT];

/**
 * A do-while loop: body, then counter += step, repeated while counter < limit (unsigned). The
 * caller sets the counter first and makes sure the body runs at least once.
 */
export function loop(counter: number, step: number, limit: number[], body: number[]): number[] {
  return [
    LOOP,
    VOID,
    ...body,
    ...get(counter),
    ...i32(step),
    I32_ADD,
    ...tee(counter),
    ...limit,
    I32_LT_U,
    BR_IF,
    0,
    END,
  ];
}

/** One exported function: `params` i32 parameters (locals 0…), then i32 locals, then v128 locals. */
export interface WasmFunction {
  name: string;
  params: number;
  i32Locals: number;
  v128Locals: number;
  body: number[];
}

const I32 = 0x7f;
const V128 = 0x7b;

/** A module importing one memory ("env"."mem") and exporting `functions` by name. */
export function assemble(functions: WasmFunction[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vec(new Array<number[]>(f.params).fill([I32])), 0x00]);
  const codes = functions.map((f) => {
    const code = [...u32(2), ...u32(f.i32Locals), I32, ...u32(f.v128Locals), V128, ...f.body, END];
    return [...u32(code.length), ...code];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(2, vec([[...str("env"), ...str("mem"), 0x02, 0x00, 0x01]])),
    ...section(3, vec(functions.map((_, i) => u32(i)))),
    ...section(7, vec(functions.map((f, i) => [...str(f.name), 0x00, ...u32(i)]))),
    ...section(10, vec(codes)),
  ]);
}

/** Compiles `bytes`, or null where WebAssembly (or its SIMD) is missing. */
export function compile(bytes: Uint8Array<ArrayBuffer>): WebAssembly.Module | null {
  try {
    return typeof WebAssembly === "object" && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    return null;
  }
}
