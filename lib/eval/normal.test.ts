import { describe, expect, it } from "vitest";
import { normalCdf, normalQuantile } from "./normal";

// Reference values: scipy.stats.norm.cdf / norm.ppf (SciPy 1.17).
const CDF: [number, number][] = [
  [-8, 6.22096057427174e-16],
  [-3.2, 0.0006871379379158471],
  [-1.5, 0.06680720126885807],
  [-0.3, 0.3820885778110474],
  [0, 0.5],
  [0.7, 0.758036347776927],
  [1.96, 0.9750021048517795],
  [2.5, 0.9937903346742238],
  [6, 0.9999999990134123],
];
const PPF: [number, number][] = [
  [1e-10, -6.361340902404056],
  [0.001, -3.090232306167813],
  [0.02, -2.053748910631823],
  [0.3, -0.5244005127080409],
  [0.5, 0],
  [0.9, 1.2815515655446004],
  [0.99, 2.3263478740408408],
  [0.9963212055882856, 2.6802104449668875],
  [0.999999, 4.753424308817087],
];

describe("standard normal", () => {
  it("Φ matches SciPy to 1e-14 (relative in the lower tail)", () => {
    for (const [x, p] of CDF) expect(Math.abs(normalCdf(x) - p)).toBeLessThan(1e-14 * Math.max(p, 1e-2));
    expect(normalCdf(-40)).toBe(0);
    expect(normalCdf(40)).toBe(1);
    expect(normalCdf(NaN)).toBeNaN();
  });
  it("Φ⁻¹ matches SciPy to 1e-12 and inverts Φ", () => {
    for (const [p, x] of PPF) expect(Math.abs(normalQuantile(p) - x)).toBeLessThan(1e-12);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
    for (const x of [-4, -1, 0.25, 3]) expect(normalQuantile(normalCdf(x))).toBeCloseTo(x, 10);
  });
});
