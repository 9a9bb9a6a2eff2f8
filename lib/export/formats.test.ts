import { describe, expect, it } from "vitest";
import { fromHalfBits, toHalfBits, float32ToHalf, halfToFloat32 } from "./float16";
import { datasetFingerprint, fnv1a32 } from "./hash";
import { ProtoWriter } from "./onnx/protobuf";
import { mulberry32 } from "@/lib/core/random";

describe("float16", () => {
  it("encodes known values exactly (IEEE 754 binary16)", () => {
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(-2)).toBe(0xc000);
    expect(toHalfBits(65504)).toBe(0x7bff);
    expect(toHalfBits(1e6)).toBe(0x7c00);
    expect(toHalfBits(2 ** -24)).toBe(0x0001);
    expect(toHalfBits(2 ** -26)).toBe(0);
    expect(toHalfBits(0.1)).toBe(0x2e66);
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie → even (up)
    expect(Number.isNaN(fromHalfBits(toHalfBits(NaN)))).toBe(true);
    expect(fromHalfBits(0x3555)).toBeCloseTo(1 / 3, 3);
  });

  it("round-trips every half value and keeps relative error ≤ 2^-11 on random floats", () => {
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 0x7c00) === 0x7c00 && h & 0x3ff) continue; // NaNs
      expect(toHalfBits(fromHalfBits(h))).toBe(h);
    }
    const rnd = mulberry32(1);
    const x = Float32Array.from({ length: 5000 }, () => (rnd() - 0.5) * 10 ** (rnd() * 8 - 4));
    const y = halfToFloat32(float32ToHalf(x));
    for (let i = 0; i < x.length; i++)
      if (Math.abs(x[i]) > 6.2e-5) expect(Math.abs(y[i] - x[i]) / Math.abs(x[i])).toBeLessThanOrEqual(2 ** -11 + 1e-9);
  });
});

describe("hash", () => {
  it("FNV-1a 32 matches reference values", () => {
    expect(fnv1a32(new Uint8Array())).toBe(0x811c9dc5);
    expect(fnv1a32(new TextEncoder().encode("a"))).toBe(0xe40c292c);
    expect(fnv1a32(new TextEncoder().encode("foobar"))).toBe(0xbf9cf968);
  });

  it("the dataset fingerprint is SHA-256 of the data, and of the data with its split, window and normalisation", async () => {
    const m = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i));
    const l = Int8Array.from({ length: 250 }, (_, i) => i % 4);
    const ds = {
      matrix: m,
      labels: l,
      rows: 250,
      window: 8,
      labelSpec: { horizon: 4, strong: 0.015, weak: 0.005, weakZone: "sign" as const, atrScaled: false },
      splitSpec: { train: 0.7, val: 0.15, test: 0.15, purge: 4, embargo: 8 },
      split: { train: Int32Array.of(10, 11), val: Int32Array.of(200), test: Int32Array.of(240) },
      normalization: { mean: Float32Array.of(0, 1, 2, 3), std: Float32Array.of(1, 1, 1, 1) },
    };
    const a = await datasetFingerprint(ds);
    expect(a.algorithm).toBe("sha256");
    expect(a.value).toMatch(/^[0-9a-f]{64}$/);
    expect(a.data).toMatch(/^[0-9a-f]{64}$/);
    expect(await datasetFingerprint({ ...ds, matrix: m.slice(), labels: l.slice() })).toEqual(a);
    const m2 = m.slice();
    m2[999] = Math.fround(m2[999] + 1e-6);
    const changedData = await datasetFingerprint({ ...ds, matrix: m2 });
    expect(changedData.data).not.toBe(a.data);
    expect(changedData.value).not.toBe(a.value);
    // Same data, another split, window, purge or normalisation: `data` matches, `value` does not.
    for (const other of [
      { ...ds, split: { ...ds.split, test: Int32Array.of(241) } },
      { ...ds, window: 16 },
      { ...ds, splitSpec: { ...ds.splitSpec, purge: 2 } },
      { ...ds, normalization: { ...ds.normalization, mean: Float32Array.of(0, 1, 2, 4) } },
    ]) {
      const fp = await datasetFingerprint(other);
      expect(fp.data).toBe(a.data);
      expect(fp.value).not.toBe(a.value);
    }
    // Parts are length-prefixed: moving a boundary changes the digest.
    const moved = await datasetFingerprint({
      ...ds,
      split: { ...ds.split, train: Int32Array.of(10), val: Int32Array.of(11, 200) },
    });
    expect(moved.value).not.toBe(a.value);
  });
});

describe("protobuf writer", () => {
  it("writes varints, negative int64, floats and packed fields per the wire format", () => {
    expect(Array.from(new ProtoWriter().varint(300).finish())).toEqual([0xac, 0x02]);
    expect(Array.from(new ProtoWriter().int(1, 150).finish())).toEqual([0x08, 0x96, 0x01]);
    expect(Array.from(new ProtoWriter().int(3, -1).finish())).toEqual([
      0x18, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1,
    ]);
    expect(Array.from(new ProtoWriter().float(2, 1).finish())).toEqual([0x15, 0, 0, 0x80, 0x3f]);
    expect(Array.from(new ProtoWriter().string(2, "testing").finish())).toEqual([
      0x12, 7, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67,
    ]);
    expect(Array.from(new ProtoWriter().packedInts(4, [3, 270, 86942]).finish())).toEqual([
      0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05,
    ]);
    expect(Array.from(new ProtoWriter().varint(2 ** 40).finish())).toEqual([0x80, 0x80, 0x80, 0x80, 0x80, 0x20]);
    expect(() => new ProtoWriter().varint(0.5)).toThrow();
  });
});
