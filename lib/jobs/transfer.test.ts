import { describe, expect, it } from "vitest";
import { copyForTransfer, transferables } from "./transfer";

describe("copyForTransfer", () => {
  it("copies every array onto fresh buffers, views of one buffer onto one copy, and leaves the original usable", () => {
    const packed = new Float32Array([1, 2, 3, 4, 5, 6]);
    const weights = new Uint8Array([9, 8, 7]).buffer;
    const value = {
      name: "forest",
      trees: [{ value: packed.subarray(0, 2) }, { value: packed.subarray(2, 6) }],
      weights,
      names: ["a", "b"],
      nested: { ids: new Int32Array([5, -1]), when: 3 },
    };
    const { copy, transfer } = copyForTransfer(value);
    expect(copy).toEqual(value);
    expect(copy.trees[0].value.buffer).not.toBe(packed.buffer);
    expect(copy.trees[0].value.buffer).toBe(copy.trees[1].value.buffer);
    expect(copy.trees[1].value.byteOffset).toBe(8);
    expect(transfer).toHaveLength(3);
    expect(new Set(transfer).size).toBe(3);
    // Transferring the copy detaches only the copies.
    const moved = structuredClone(copy, { transfer });
    expect(moved).toEqual(value);
    expect(copy.trees[0].value.length).toBe(0);
    expect(Array.from(value.trees[1].value)).toEqual([3, 4, 5, 6]);
    expect(weights.byteLength).toBe(3);
  });

  it("copies a small view of a large buffer alone, and keeps shared memory shared", () => {
    const big = new Float64Array(1000);
    big[10] = 42;
    const shared = new Int8Array(new SharedArrayBuffer(4));
    const { copy, transfer } = copyForTransfer({ slice: big.subarray(10, 12), shared });
    expect(copy.slice.buffer.byteLength).toBe(16);
    expect(copy.slice[0]).toBe(42);
    expect(copy.shared).toBe(shared);
    expect(transfer).toEqual([copy.slice.buffer]);
  });
});

describe("transferables", () => {
  it("lists each buffer once and never a SharedArrayBuffer", () => {
    const a = new Float32Array(4);
    const list = transferables([a, a.subarray(1), a.buffer, new Int8Array(new SharedArrayBuffer(2)), undefined]);
    expect(list).toEqual([a.buffer]);
  });
});
