import { describe, expect, it } from "vitest";
import {
  F32X4_ADD,
  I32_ADD,
  assemble,
  compile,
  get,
  i32,
  loop,
  s32,
  set,
  splat,
  u32,
  v128Load,
  v128Store,
} from "./asm";

describe("wasm assembler", () => {
  it("encodes LEB128 as the spec's examples do", () => {
    expect(u32(0)).toEqual([0x00]);
    expect(u32(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(s32(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(s32(63)).toEqual([0x3f]);
    expect(s32(64)).toEqual([0xc0, 0x00]); // bit 6 set: needs a second byte to stay positive
    expect(s32(-64)).toEqual([0x40]);
  });

  it("assembles a loop that adds a constant to every float4 of an array", () => {
    // add1(p, bytes): for i in 0, 16, … < bytes: p[i] += 1.5 (four lanes)
    const [P, BYTES, I] = [0, 1, 2];
    const body = [
      ...i32(0),
      ...set(I),
      ...loop(I, 16, get(BYTES), [
        ...get(P),
        ...get(I),
        I32_ADD,
        ...get(P),
        ...get(I),
        I32_ADD,
        ...v128Load(),
        ...splat(1.5),
        ...F32X4_ADD,
        ...v128Store(),
      ]),
    ];
    const module = compile(assemble([{ name: "add1", params: 2, i32Locals: 1, v128Locals: 0, body }]));
    expect(module).not.toBeNull();
    const mem = new WebAssembly.Memory({ initial: 1 });
    const add1 = new WebAssembly.Instance(module!, { env: { mem } }).exports.add1 as (p: number, n: number) => void;
    const view = new Float32Array(mem.buffer, 0, 12);
    view.set([0, 1, 2, 3, 4, 5, 6, 7, -1, -2, -3, -4]);
    add1(0, 32); // the first 8 floats only
    expect(Array.from(view)).toEqual([1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, -1, -2, -3, -4]);
  });

  it("compile returns null for bytes that are not a valid module", () => {
    expect(compile(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00]))).toBeNull();
  });
});
