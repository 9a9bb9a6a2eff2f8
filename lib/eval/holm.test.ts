import { describe, expect, it } from "vitest";
import { holm } from "./holm";

describe("Holm step-down", () => {
  it("hand-computed: rejects while p(i) <= α/(m − i), adjusts monotonically", () => {
    // Sorted: 0.005 ≤ 0.05/4 ✓, 0.01 ≤ 0.05/3 ✓, 0.03 > 0.05/2 ✗ → stop.
    const h = holm([0.01, 0.04, 0.03, 0.005], 0.05);
    expect(h.rejected).toEqual([true, false, false, true]);
    // 4·0.005 = 0.02; max(0.02, 3·0.01) = 0.03; max(0.03, 2·0.03) = 0.06; max(0.06, 0.04) = 0.06
    h.adjusted.forEach((p, i) => expect(p).toBeCloseTo([0.03, 0.06, 0.06, 0.02][i], 12));
    h.levels.forEach((l, i) => expect(l).toBeCloseTo([1 - 0.05 / 3, 0.95, 1 - 0.05 / 2, 1 - 0.05 / 4][i], 12));
  });
  it("one comparison is no correction; NaN counts as no evidence", () => {
    expect(holm([0.03])).toEqual({ adjusted: [0.03], rejected: [true], levels: [0.95] });
    expect(holm([NaN, 0.001]).rejected).toEqual([false, true]);
    expect(holm([])).toEqual({ adjusted: [], rejected: [], levels: [] });
  });
});
