import { describe, expect, it } from "vitest";
import { binCode, fitEdges } from "./binning";
import { binMatrix } from "./binned";
import { mulberry32 } from "./rng";

describe("quantile binning", () => {
  const rng = mulberry32(5);
  const values = Float32Array.from({ length: 5000 }, () => rng() * 10 - 5);

  it("keeps at most maxBins bins with roughly equal counts", () => {
    const e = fitEdges(values, 16);
    expect(e.length).toBe(15);
    const counts = new Array(16).fill(0);
    for (const v of values) counts[binCode(e, 0, e.length, v)]++;
    for (const c of counts) expect(Math.abs(c - 5000 / 16)).toBeLessThan(20);
  });

  it("gives one bin per distinct value when there are few, and code <= b exactly when x <= edge b", () => {
    const few = Float32Array.from([3, 1, 2, 2, 3, 1, 7]);
    const e = fitEdges(few, 256);
    expect(Array.from(e)).toEqual([1.5, 2.5, 5]);
    const e2 = fitEdges(values, 256);
    let mismatches = 0;
    for (const x of values.subarray(0, 500)) {
      const code = binCode(e2, 0, e2.length, x);
      for (let b = 0; b < e2.length; b++) if (code <= b !== x <= e2[b]) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(binCode(e, 0, e.length, NaN)).toBe(3);
  });

  it("ignores NaN and infinities when fitting", () => {
    expect(Array.from(fitEdges([NaN, 1, Infinity, 2], 256))).toEqual([1.5]);
  });

  it("bins a matrix column-major with per-column cut points", () => {
    const b = binMatrix([0, 10, 1, 20, 2, 30], 3, 2, 256);
    expect(Array.from(b.codes)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(Array.from(b.edges)).toEqual([0.5, 1.5, 15, 25]);
  });
});
