import { describe, expect, it } from "vitest";
import { storable } from "./storable";

describe("storable", () => {
  it("copies typed arrays on shared memory onto plain buffers, views of one buffer onto one copy", () => {
    const shared = new SharedArrayBuffer(32);
    const a = new Float32Array(shared, 0, 4);
    const b = new Int32Array(shared, 16, 4);
    a.set([1, 2, 3, 4]);
    b.set([5, 6, 7, 8]);
    const record = { name: "forest", trees: [{ a, b }], plain: new Float32Array([9]), n: 3 };
    const out = storable(record);
    const tree = out.trees[0];
    expect(tree.a.buffer).toBeInstanceOf(ArrayBuffer);
    expect(tree.a.buffer).toBe(tree.b.buffer);
    expect([tree.a.byteOffset, tree.b.byteOffset]).toEqual([0, 16]);
    expect(Array.from(tree.a)).toEqual([1, 2, 3, 4]);
    expect(Array.from(tree.b)).toEqual([5, 6, 7, 8]);
    expect(tree.b).toBeInstanceOf(Int32Array);
    // A copy: later writes to the shared memory do not reach it, and plain parts are kept as they are.
    a[0] = 100;
    expect(tree.a[0]).toBe(1);
    expect(out.plain).toBe(record.plain);
    expect(out.n).toBe(3);
    // It can be cloned the way IndexedDB clones a record (a SharedArrayBuffer could not be stored).
    expect(() => structuredClone(out, { transfer: [] })).not.toThrow();
  });

  it("returns a record without shared memory unchanged", () => {
    const record = { trees: [{ a: new Float32Array(2) }], meta: { k: "v" } };
    expect(storable(record)).toBe(record);
  });
});
