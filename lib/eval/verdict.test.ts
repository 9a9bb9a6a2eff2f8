import { describe, expect, it } from "vitest";
import { baselineVerdict, noiseBands, type VerdictRow } from "./verdict";

const row = (id: string, kind: VerdictRow["kind"], accuracy: number, balancedAccuracy: number): VerdictRow => ({
  id,
  label: id,
  kind,
  metrics: { accuracy, balancedAccuracy },
});

describe("verdict against the baselines", () => {
  const results = [
    row("transformer", "model", 0.355, 0.334),
    row("forest", "model", 0.438, 0.254),
    row("ensemble", "ensemble", 0.5, 0.3),
    row("majority", "baseline", 0.432, 0.25),
    row("previous_label", "baseline", 0.382, 0.264),
  ];
  const counts = [166, 1011, 1009, 156]; // 2,342 test samples

  it("noise bands: two binomial standard errors for accuracy, a chance classifier's for balanced accuracy", () => {
    const b = noiseBands(0.432, counts);
    // 2·√(0.432·0.568/2342) = 0.02047
    expect(b.accuracy).toBeCloseTo(0.02047, 4);
    // 2·√(Σ 0.1875/n_c) / 4
    const expected = (2 * Math.sqrt(counts.reduce((s, c) => s + 0.1875 / c, 0))) / 4;
    expect(b.balancedAccuracy).toBeCloseTo(expected, 10);
    expect(noiseBands(0.5, [0, 0, 0, 0]).accuracy).toBe(Infinity);
  });

  it("compares with the best baseline per metric; gaps inside the band are not called wins", () => {
    const [acc, bal] = baselineVerdict(results, counts);
    expect(acc.best).toEqual({ id: "majority", label: "majority", value: 0.432 });
    expect(acc.rows.map((r) => [r.id, +r.gap.toFixed(3), r.clear])).toEqual([
      ["ensemble", 0.068, true],
      ["forest", 0.006, false],
      ["transformer", -0.077, false],
    ]);
    expect(bal.best.id).toBe("previous_label");
    expect(bal.noise).toBeCloseTo(0.026, 3);
    expect(bal.rows.map((r) => [r.id, r.clear])).toEqual([
      ["transformer", true],
      ["ensemble", true],
      ["forest", false],
    ]);
  });

  it("has nothing to say without baselines or without models", () => {
    expect(
      baselineVerdict(
        results.filter((r) => r.kind !== "baseline"),
        counts,
      ),
    ).toEqual([]);
    expect(
      baselineVerdict(
        results.filter((r) => r.kind === "baseline"),
        counts,
      ),
    ).toEqual([]);
  });

  it("a tiny test part widens the bands until nothing is clear", () => {
    const verdicts = baselineVerdict(results, [5, 20, 20, 5]);
    expect(verdicts[0].noise).toBeGreaterThan(0.13);
    expect(verdicts.flatMap((v) => v.rows).every((r) => !r.clear)).toBe(true);
  });
});
