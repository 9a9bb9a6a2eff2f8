import { describe, expect, it } from "vitest";
import { dropoutMask } from "./dropout-mask";

describe("dropoutMask", () => {
  it("drops a `rate` share of values and scales the rest so the mean stays 1", () => {
    const n = 200_001; // odd: the last value takes half a hash
    for (const rate of [0.1, 0.2, 0.5]) {
      const mask = dropoutMask(n, rate, 7);
      const scale = 1 / (1 - rate);
      let zeros = 0;
      let misScaled = 0;
      let sum = 0;
      for (const m of mask) {
        if (m === 0) zeros++;
        else if (Math.abs(m - scale) > 1e-4) misScaled++;
        sum += m;
      }
      expect(misScaled).toBe(0);
      // Binomial: within 5 standard deviations of n * rate.
      const sd = Math.sqrt(n * rate * (1 - rate));
      expect(Math.abs(zeros - n * rate)).toBeLessThan(5 * sd);
      expect(Math.abs(sum / n - 1)).toBeLessThan((5 * sd * scale) / n);
      expect(mask[n - 1] === 0 || mask[n - 1] > 1).toBe(true);
    }
  });

  it("keeps everything at rate 0", () => {
    expect(Array.from(dropoutMask(9, 0, 3))).toEqual(new Array(9).fill(1));
  });

  it("is a function of the seed: the same seed the same mask, another seed another", () => {
    const a = dropoutMask(4096, 0.1, 11);
    expect(Array.from(dropoutMask(4096, 0.1, 11))).toEqual(Array.from(a));
    const b = dropoutMask(4096, 0.1, 12);
    let same = 0;
    for (let k = 0; k < a.length; k++) if ((a[k] === 0) === (b[k] === 0)) same++;
    // Independent masks agree where both keep or both drop: 0.9² + 0.1² = 82% of the time.
    expect(same / a.length).toBeGreaterThan(0.79);
    expect(same / a.length).toBeLessThan(0.85);
  });

  it("drops neighbours independently (the two halves of each hash are not correlated)", () => {
    const mask = dropoutMask(100_000, 0.5, 5);
    let bothDropped = 0;
    for (let k = 0; k < mask.length; k += 2) if (mask[k] === 0 && mask[k + 1] === 0) bothDropped++;
    const pairs = mask.length / 2;
    expect(Math.abs(bothDropped / pairs - 0.25)).toBeLessThan(5 * Math.sqrt((0.25 * 0.75) / pairs));
  });

  it("refuses a rate outside [0, 1)", () => {
    expect(() => dropoutMask(4, 1, 0)).toThrow(/rate/);
    expect(() => dropoutMask(4, -0.1, 0)).toThrow(/rate/);
    expect(() => dropoutMask(4, Number.NaN, 0)).toThrow(/rate/);
  });
});
