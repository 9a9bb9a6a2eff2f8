import { describe, expect, it } from "vitest";
import { runBacktest } from "./backtest";
import { pctIntervalText, ppIntervalText, ppText, profitFactorText } from "./figure-text";

describe("figures that can be undefined", () => {
  it("zero trades: profit factor '—', never ∞", () => {
    // Every signal below the confidence threshold: no trade, profit factor undefined.
    const flat = runBacktest([100, 110, 120], [0, 3_600_000, 7_200_000], [0], [0.3, 0.3, 0.2, 0.2], 1);
    expect(flat.metrics.trades).toBe(0);
    expect(profitFactorText(null, flat.metrics.trades)).toBe("—");
    expect(profitFactorText(flat.metrics.profitFactor, flat.metrics.trades)).toBe("—");
    expect(profitFactorText(Infinity, 0)).toBe("—");
  });
  it("trades and no losing trade: ∞ said as such; otherwise the ratio", () => {
    expect(profitFactorText(null, 3)).toBe("∞ (no losing trade)");
    expect(profitFactorText(1.314, 12)).toBe("1.31");
  });
  it("gaps and intervals: a dash or nothing, never Infinity or NaN", () => {
    expect(ppText(0.068)).toBe("+6.8 pp");
    expect(ppText(-0.0771)).toBe("−7.7 pp");
    expect(ppText(Infinity)).toBe("—");
    expect(ppText(NaN)).toBe("—");
    expect(ppIntervalText([0.021, 0.11])).toBe("+2.1 to +11.0 pp");
    expect(ppIntervalText([-Infinity, 0.1])).toBe("");
    expect(pctIntervalText([0.41, 0.4534])).toBe("41.0–45.3");
    expect(pctIntervalText(null)).toBe("");
    expect(pctIntervalText([NaN, 0.5])).toBe("");
  });
});
