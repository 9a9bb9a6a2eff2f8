import { describe, expect, it } from "vitest";
import { decideSignal, DEFAULT_SIGNAL_SETTINGS } from "./signal";
import { forwardRecord, wilsonInterval } from "./forward";

describe("live signal", () => {
  it("ensembles with the guide's weights and sizes base × confidence", () => {
    const s = decideSignal({
      transformer: [0.1, 0.1, 0.2, 0.6],
      lstm: [0.1, 0.1, 0.6, 0.2],
      forest: [0.25, 0.25, 0.25, 0.25],
    });
    // STRONG_BUY: 0.5·0.6 + 0.3·0.2 + 0.2·0.25 = 0.41
    expect(s.className).toBe("STRONG_BUY");
    expect(s.confidence).toBeCloseTo(0.41, 6);
    expect(s.tradeable).toBe(true);
    expect(s.size).toBeCloseTo(1000 * 0.41, 4);
    expect(s.direction).toBe(1);
    expect(s.weights).toEqual({ transformer: 0.5, lstm: 0.3, forest: 0.2 });
  });

  it("is not tradeable below the minimum confidence or short when long-only", () => {
    const flat = decideSignal({ forest: [0.3, 0.2, 0.25, 0.25] });
    expect(flat).toMatchObject({ className: "STRONG_SELL", tradeable: false, size: 0 });
    const sell = decideSignal({ forest: [0.7, 0.1, 0.1, 0.1] }, undefined, {
      ...DEFAULT_SIGNAL_SETTINGS,
      longOnly: true,
    });
    expect(sell).toMatchObject({ direction: -1, tradeable: false, size: 0 });
    expect(() => decideSignal({ forest: [1, 0] })).toThrow(/model forest gave 2 probabilities/);
  });
});

describe("forward record", () => {
  it("scores resolved signals as the Results page does", () => {
    const r = forwardRecord(
      [
        { predicted: 3, trueLabel: 3, size: 100, pnlReturn: 0.01 },
        { predicted: 3, trueLabel: 2, size: 100, pnlReturn: -0.005 },
        { predicted: 1, trueLabel: 1, size: 0, pnlReturn: 0 },
        { predicted: 2, trueLabel: -1, size: 100, pnlReturn: 0.002 },
      ],
      4 * 3600_000,
    );
    expect(r.outcomes).toBe(3);
    expect(r.accuracy).toBeCloseTo(2 / 3, 12);
    // recalls: class 1 → 1, class 2 → 0, class 3 → 1
    expect(r.balancedAccuracy).toBeCloseTo(2 / 3, 12);
    expect(r.trades).toBe(3);
    expect(r.winRate).toBeCloseTo(2 / 3, 12);
    expect(r.sharpeRatio).not.toBe(0);
    expect(r.accuracyInterval).toEqual(wilsonInterval(2, 3));
  });

  it("has a Wilson interval that matches a hand-computed case", () => {
    // k = 8, n = 10, z = 1.96: centre (0.8 + 0.19208) / 1.38416 = 0.716738, half-width 1.96·√(0.016 + 0.009604) / 1.38416 = 0.226581
    const [lo, hi] = wilsonInterval(8, 10);
    expect(lo).toBeCloseTo(0.4902, 4);
    expect(hi).toBeCloseTo(0.9433, 4);
    expect(wilsonInterval(0, 0).every(Number.isNaN)).toBe(true);
  });
});
