import { describe, expect, it } from "vitest";
import { classBalance, DEFAULT_LABEL_SPEC } from "./labels";
import { DEFAULT_FIT_TARGET, fitThresholds } from "./thresholds";

const sign = { ...DEFAULT_LABEL_SPEC }; // strong 1.5%, weak 0.5%: ratio 1/3
const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

describe("fitThresholds", () => {
  it("chooses the largest strong threshold at which the rarest class reaches the target (hand-checked)", () => {
    // Eight returns ±1..4%: at strong 3% each class holds 2 of 8 (25%); at 4% the strong classes
    // hold 1 of 8 (12.5%).
    const fwd = [-0.04, -0.03, -0.02, -0.01, 0.01, 0.02, 0.03, 0.04];
    const f25 = fitThresholds(fwd, all(8), sign, 0.25);
    expect(f25.strong).toBeCloseTo(0.03, 15);
    expect(f25.weak).toBeCloseTo(0.01, 15); // the ratio 1/3 of the given thresholds
    expect(f25).toMatchObject({ rarest: 0.25, reached: true, rows: 8, target: 0.25 });
    expect(fitThresholds(fwd, all(8), sign, DEFAULT_FIT_TARGET).strong).toBeCloseTo(0.03, 15); // 15% of 8 needs 2
    const f10 = fitThresholds(fwd, all(8), sign, 0.1);
    expect(f10.strong).toBeCloseTo(0.04, 15);
    expect(f10.rarest).toBe(0.125);
  });

  it("reaches the guide's 15% where the fixed 1.5% / 0.5% thresholds do not", () => {
    // Calm returns (|r| mostly well under 1.5%): the fixed thresholds leave the strong classes rare.
    const fwd = Float32Array.from({ length: 5000 }, (_, i) => 0.012 * Math.sin(i * 0.7) * Math.cos(i * 0.013));
    const ends = all(5000);
    const fixed = classBalance(fwd, sign, ends);
    expect(Math.min(...fixed.fractions)).toBeLessThan(0.15);
    const fit = fitThresholds(fwd, ends, sign);
    expect(fit.reached).toBe(true);
    const b = classBalance(fwd, { ...sign, strong: fit.strong, weak: fit.weak }, ends);
    expect(Math.min(...b.fractions)).toBeGreaterThanOrEqual(0.15);
    expect(Math.min(...b.fractions)).toBe(fit.rarest);
    // Largest such: a slightly larger strong threshold misses the target.
    const above = classBalance(fwd, { ...sign, strong: fit.strong * 1.001, weak: fit.weak * 1.001 }, ends);
    expect(Math.min(...above.fractions)).toBeLessThan(0.15);
  });

  it("reads only the training rows: changing validation and test returns leaves the thresholds unchanged", () => {
    const n = 1000;
    const fwd = Float32Array.from({ length: n }, (_, i) => 0.02 * Math.sin(i * 1.7));
    const train = all(700);
    const before = fitThresholds(fwd, train, sign);
    const changed = Float32Array.from(fwd);
    for (let i = 700; i < n; i++) changed[i] = i % 2 ? 0.5 : -0.5; // wild later returns
    expect(fitThresholds(changed, train, sign)).toEqual(before);
    // ... while a change inside the training part does move them (the test can fail).
    const trainChanged = Float32Array.from(fwd);
    for (let i = 0; i < 700; i++) trainChanged[i] *= 2;
    expect(fitThresholds(trainChanged, train, sign).strong).toBeCloseTo(before.strong * 2, 6);
  });

  it("exclude zone: weak keeps its ratio and the excluded rows do not count", () => {
    // ±0.5 (excluded at weak = strong/3 for strong ≥ 1.5), ±1, ±2, ±3 (each sign twice).
    const mags = [0.005, 0.01, 0.02, 0.03];
    const fwd = mags.flatMap((m) => [m, m, -m, -m]);
    const fit = fitThresholds(fwd, all(fwd.length), { ...sign, weakZone: "exclude" }, 0.25);
    // strong 3%, weak 1%: 0.5% excluded; classes {3}, {1,2}, {-1,-2}, {-3} hold 2, 4, 4, 2 of 12.
    // strong 2%, weak 0.67%: {2,3}, {1}, {-1}, {-2,-3} hold 4, 2, 2, 4 of 12 (rarest 1/6 again).
    // strong 1%, weak 0.33%: 6, 2, 2, 6 of 16 (1/8); strong 0.5%: no BUY/SELL at all (0).
    expect(fit.reached).toBe(false);
    expect(fit.rarest).toBeCloseTo(1 / 6, 12);
    expect(fit.strong).toBeCloseTo(0.03, 12); // the largest of the equally good thresholds
  });

  it("with ATR scaling, compares returns in units of each row's scale", () => {
    const fwd = [-0.08, -0.06, -0.02, -0.01, 0.01, 0.02, 0.06, 0.08];
    const scale = [2, 2, 1, 1, 1, 1, 2, 2]; // scaled: ±4, ±3, ±2, ±1 %
    const fit = fitThresholds(fwd, all(8), { ...sign, atrScaled: true }, 0.25, scale);
    expect(fit.strong).toBeCloseTo(0.03, 12);
    expect(fit.reached).toBe(true);
  });

  it("no training returns: the given thresholds, not reached", () => {
    expect(fitThresholds([NaN, 0.1], [0], sign)).toMatchObject({ strong: 0.015, weak: 0.005, reached: false, rows: 0 });
  });
});
