import { describe, expect, it } from "vitest";
import { NO_LABEL } from "./classes";
import { atrLabelScale, classBalance, DEFAULT_LABEL_SPEC, forwardReturns, labelOf, labelRows } from "./labels";

describe("labels", () => {
  it("maps returns to the four classes at the guide's thresholds", () => {
    const s = DEFAULT_LABEL_SPEC;
    expect([0.02, 0.015, 0.01, 0.005, 0.001, -0.001, -0.005, -0.01, -0.015, -0.03].map((r) => labelOf(r, s))).toEqual([
      3, 3, 2, 2, 2, 1, 1, 1, 0, 0,
    ]);
    expect(labelOf(0.001, { ...s, weakZone: "exclude" })).toBe(NO_LABEL);
    expect(labelOf(0, s)).toBe(NO_LABEL);
    expect(labelOf(NaN, s)).toBe(NO_LABEL);
    expect(labelOf(0.02, s, 2)).toBe(2); // ATR scale doubles thresholds: 2% < 3%
  });
  it("forward returns need the candle exactly h intervals later", () => {
    const t = [0, 1, 2, 3, 5, 6].map((k) => k * 10);
    const c = [100, 101, 102, 103, 104, 105];
    const r = forwardReturns(t, c, 10, 2);
    expect(r[0]).toBeCloseTo(0.02, 12);
    expect(r[1]).toBeCloseTo(103 / 101 - 1, 12);
    expect(Number.isNaN(r[2])).toBe(true); // row 4 opens at 50, not 40: gap
    expect(Number.isNaN(r[5])).toBe(true);
  });
  it("class balance agrees with labelRows and is fast on 20k rows", () => {
    const fwd = Float32Array.from({ length: 20_000 }, (_, i) => Math.sin(i * 1.3) * 0.03);
    fwd[5] = NaN;
    const s = { ...DEFAULT_LABEL_SPEC, weakZone: "exclude" as const };
    const b = classBalance(fwd, s);
    const l = labelRows(fwd, s);
    for (let c = 0; c < 4; c++) expect(b.counts[c]).toBe(l.filter((x) => x === c).length);
    expect(b.unknown).toBe(1);
    expect(b.labelled + b.excluded + b.unknown).toBe(20_000);
    const t0 = performance.now();
    for (let k = 0; k < 20; k++) classBalance(fwd, { ...s, strong: 0.01 + k * 0.001 });
    expect((performance.now() - t0) / 20).toBeLessThan(10);
  });
  it("ATR scale uses the training rows' median only", () => {
    const ratio = Float32Array.from([1, 2, 3, 100, 100]);
    const s = atrLabelScale(ratio, [0, 1, 2]);
    expect(Array.from(s)).toEqual([0.5, 1, 1.5, 50, 50]);
  });
});
