import { describe, expect, it } from "vitest";
import { SimdMatmul } from "./simd-matmul";

function naive(
  x: Float32Array,
  rows: number,
  inDim: number,
  k: Float32Array,
  units: number,
  bias: Float32Array | null,
) {
  const out = new Float64Array(rows * units);
  for (let r = 0; r < rows; r++)
    for (let u = 0; u < units; u++) {
      let s = bias ? bias[u] : 0;
      for (let i = 0; i < inDim; i++) s += x[r * inDim + i] * k[i * units + u];
      out[r * units + u] = s;
    }
  return out;
}

let seed = 11;
const rand = (n: number) =>
  Float32Array.from({ length: n }, () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1);

describe("WebAssembly SIMD matrix product", () => {
  it("equals the float64 product on odd shapes (padding of rows, units and the inner length), bias or none", () => {
    const e = SimdMatmul.create()!;
    // The last shape grows the instance's memory past its first 64 KiB page several times.
    for (const [rows, inDim, units] of [
      [1, 1, 1],
      [3, 5, 7],
      [7, 42, 5],
      [15, 336, 64],
      [2, 64, 256],
      [33, 701, 129],
    ]) {
      const x = rand(rows * inDim);
      const k = rand(inDim * units);
      const bias = rows % 2 ? rand(units) : null;
      const out = new Float32Array(rows * units).fill(NaN);
      e.matmul(x, rows, inDim, k, units, bias, out);
      const want = naive(x, rows, inDim, k, units, bias);
      for (let i = 0; i < want.length; i++)
        expect(Math.abs(out[i] - want[i]), `${rows}×${inDim}×${units} at ${i}`).toBeLessThan(1e-5 * Math.sqrt(inDim));
      // A kernel is placed once: a second call with other inputs reads the same weights.
      const x2 = rand(rows * inDim);
      e.matmul(x2, rows, inDim, k, units, bias, out);
      const want2 = naive(x2, rows, inDim, k, units, bias);
      expect(Math.max(...want2.map((v, i) => Math.abs(v - out[i])))).toBeLessThan(1e-5 * Math.sqrt(inDim));
    }
  });
});
