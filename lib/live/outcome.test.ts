import { describe, expect, it } from "vitest";
import { DEFAULT_LABEL_SPEC } from "../core/labels";
import { closeAt, outcomeCandleTime, outcomeDueAt, resolveOutcome, resolvePending, tradePnl } from "./outcome";

const H = 3600_000;
const T0 = Date.UTC(2025, 0, 1);

describe("outcome at exactly the horizon", () => {
  it("names the candle t + horizon and its close as the moment", () => {
    expect(outcomeCandleTime(T0, H, 4)).toBe(T0 + 4 * H);
    expect(outcomeDueAt(T0, H, 4)).toBe(T0 + 5 * H);
  });

  it("stays pending until the outcome candle closes, then reads that candle's close (not a neighbour's)", () => {
    const openTime = Array.from({ length: 8 }, (_, i) => T0 + i * H);
    const close = [100, 101, 102, 103, 104, 105, 106, 107];
    const sig = { openTime: T0, entryClose: 100 };
    expect(resolvePending([sig], { openTime, close }, T0 + 5 * H - 1, H, 4)[0].status).toBe("pending");
    expect(resolvePending([sig], { openTime, close }, T0 + 5 * H, H, 4)[0]).toEqual({
      signal: sig,
      status: "ready",
      exitClose: 104,
    });
  });

  it("notes a gap when the outcome candle never existed", () => {
    const openTime = [T0, T0 + H, T0 + 2 * H, T0 + 3 * H, T0 + 5 * H];
    const r = resolvePending([{ openTime: T0, entryClose: 1 }], { openTime, close: [1, 1, 1, 1, 1] }, T0 + 6 * H, H, 4);
    expect(r[0]).toMatchObject({ status: "gap", note: "no candle opened at 2025-01-01T04:00:00.000Z (exchange gap)" });
    expect(closeAt(openTime, [1, 2, 3, 4, 5], T0 + 5 * H)).toBe(5);
    expect(closeAt(openTime, [1, 2, 3, 4, 5], T0 + 4 * H)).toBeUndefined();
  });

  it("labels with the dataset's spec and prices fees on both sides", () => {
    const base = { baseSize: 1000, feeRate: 0.001, entryClose: 100, labelSpec: DEFAULT_LABEL_SPEC };
    // +2% → STRONG_BUY; long 800 pays 0.8 entry and 0.816 exit: 800·0.02 − 0.8 − 0.816 = 14.384
    const up = resolveOutcome({ ...base, predicted: 3, direction: 1, size: 800, exitClose: 102 });
    expect(up.realizedReturn).toBeCloseTo(0.02, 12);
    expect(up).toMatchObject({ trueLabel: 3, correct: true });
    expect(up.pnl).toBeCloseTo(14.384, 9);
    expect(up.pnlReturn).toBeCloseTo(0.014384, 12);
    // −0.7% → SELL; a short of 500 earns 3.5 − 0.5 − 0.4965
    const down = resolveOutcome({ ...base, predicted: 2, direction: -1, size: 500, exitClose: 99.3 });
    expect(down).toMatchObject({ trueLabel: 1, correct: false });
    expect(down.pnl).toBeCloseTo(3.5 - 0.5 - 0.4965, 9);
    // Untraded: no P&L, still scored.
    expect(resolveOutcome({ ...base, predicted: 1, direction: -1, size: 0, exitClose: 99.3 })).toMatchObject({
      pnl: 0,
      correct: true,
    });
    // Inside ±weak with "exclude": no label, never counted as right.
    const ex = resolveOutcome({
      ...base,
      labelSpec: { ...DEFAULT_LABEL_SPEC, weakZone: "exclude" },
      predicted: 2,
      direction: 1,
      size: 0,
      exitClose: 100.1,
    });
    expect(ex).toMatchObject({ trueLabel: -1, correct: false });
    expect(tradePnl(0, 1, 0.5, 0.001)).toBe(0);
    expect(() => resolveOutcome({ ...base, predicted: 0, direction: -1, size: 0, exitClose: 0 })).toThrow(
      /positive closes/,
    );
  });
});
