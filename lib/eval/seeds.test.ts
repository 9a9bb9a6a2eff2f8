import { describe, expect, it } from "vitest";
import { mulberry32 } from "./random";
import { meanStd } from "./seeds";

describe("meanStd", () => {
  it("is the mean and the sample standard deviation (n − 1)", () => {
    const r = meanStd([0.4, 0.5, 0.6])!;
    expect(r.n).toBe(3);
    expect(r.mean).toBeCloseTo(0.5, 12);
    // Deviations ±0.1 and 0: variance (0.01 + 0.01) / 2.
    expect(r.std).toBeCloseTo(0.1, 12);
  });

  it("skips missing and non-finite values, and needs two to report a spread", () => {
    expect(meanStd([1, null, NaN, 3, undefined, Infinity])).toEqual({ mean: 2, std: Math.SQRT2, n: 2 });
    expect(meanStd([0.7])).toBeNull();
    expect(meanStd([null, 0.7])).toBeNull();
    expect(meanStd([0.3, 0.3, 0.3])).toEqual({ mean: 0.3, std: 0, n: 3 });
  });

  it("estimates the spread of the distribution the values come from", () => {
    const rnd = mulberry32(5);
    // Uniform on [0, 1): mean 1/2, std 1/√12.
    const xs = Array.from({ length: 20_000 }, () => rnd());
    const r = meanStd(xs)!;
    expect(r.mean).toBeCloseTo(0.5, 2);
    expect(r.std).toBeCloseTo(1 / Math.sqrt(12), 2);
  });
});
