import { describe, expect, it } from "vitest";
import { binomialHalfUpperTail, mcnemarExact, pairedCounts } from "./paired-test";

describe("exact McNemar", () => {
  it("counts the paired table", () => {
    const champ = [true, true, false, false, true];
    const chall = [true, false, true, false, true];
    expect(pairedCounts(champ, chall)).toEqual({ challengerOnly: 1, championOnly: 1, bothRight: 2, bothWrong: 1 });
  });

  it("refuses records of different candles", () => {
    expect(() => pairedCounts([true], [true, false])).toThrow(/same candles/);
  });

  it("matches hand-computed binomial tails", () => {
    // P[X >= 8 | n = 9] = (C(9,8) + C(9,9)) / 2^9 = 10 / 512
    expect(binomialHalfUpperTail(8, 9)).toBeCloseTo(10 / 512, 12);
    // P[X >= 2 | n = 4] = (6 + 4 + 1) / 16
    expect(binomialHalfUpperTail(2, 4)).toBeCloseTo(11 / 16, 12);
    expect(binomialHalfUpperTail(0, 5)).toBe(1);
    expect(binomialHalfUpperTail(6, 5)).toBe(0);
    // n = 2000, x = 1000: 1/2 + C(2000,1000)/2^2001, and C(2000,1000)/2^2000 ≈ (1 - 1/8000)/sqrt(1000π)
    // (Stirling) = 0.0178390; the log-space sum stays finite where 2^2000 would overflow.
    expect(binomialHalfUpperTail(1000, 2000)).toBeCloseTo(0.5 + 0.017839 / 2, 6);
  });

  it("gives both one-sided p-values", () => {
    const r = mcnemarExact({ challengerOnly: 8, championOnly: 1, bothRight: 80, bothWrong: 11 });
    expect(r.n).toBe(100);
    expect(r.pChallengerBetter).toBeCloseTo(10 / 512, 12);
    expect(r.pChallengerWorse).toBeCloseTo(1 - 1 / 512, 12); // P[X >= 1 | n=9] = 1 - P[X = 0]
  });
});
