import { describe, expect, it } from "vitest";
import { startChallenger } from "./ramp";
import { abSummary, type SummarySignal } from "./summary";

const H4 = 4 * 3600_000;
let t = 0;
const sig = (chRight: boolean, cpRight: boolean): SummarySignal => ({
  openTime: (t += 3600_000),
  champion: { runId: "a", predicted: 2, size: 500 },
  challenger: { runId: "b", predicted: 1, size: 0 },
  outcome: {
    champion: { trueLabel: cpRight ? 2 : 1, pnlReturn: cpRight ? 0.004 : -0.006 },
    challenger: { trueLabel: chRight ? 1 : 2, pnlReturn: 0 },
  },
});

describe("A/B summary", () => {
  it("has the guide's keys, computed from the forward record", () => {
    const signals = [
      sig(true, true),
      sig(true, false),
      sig(false, true),
      sig(true, true),
      { ...sig(true, true), outcome: undefined },
    ];
    const s = abSummary(
      { replay: true, championRunId: "a", challengerRunId: "b", ab: { ...startChallenger(0), traffic: 10 } },
      signals,
      H4,
      4,
    );
    expect(s.challengerActive).toBe(true);
    expect(s.challengerTrafficPercentage).toBe(10);
    expect(s.championPerformance!.accuracy).toBeCloseTo(3 / 4, 12);
    expect(s.championPerformance!.outcomes).toBe(4);
    expect(s.challengerPerformance!.accuracy).toBeCloseTo(3 / 4, 12);
    expect(s.championPerformance!.sharpeRatio).toBeGreaterThan(0);
    expect(s.challengerPerformance!.trades).toBe(0);
    expect(s.replay).toBe(true);
    // Challenger − champion P&L on the four resolved candles: 0 − (0.004, −0.006, 0.004, 0.004).
    expect(s.pairedPnl!.n).toBe(4);
    expect(s.pairedPnl!.meanGap).toBeCloseTo(-(0.004 - 0.006 + 0.004 + 0.004) / 4, 12);
    expect(s.pairedPnl!.interval[0]).toBeLessThanOrEqual(s.pairedPnl!.meanGap);
    expect(JSON.parse(JSON.stringify(s)).championPerformance.sharpeRatio).toBe(s.championPerformance!.sharpeRatio);
  });

  it("reports no active challenger after a rollback, keeping its record", () => {
    const ab = { ...startChallenger(0), status: "rolledBack" as const };
    const s = abSummary({ replay: false, championRunId: "a", ab }, [sig(false, true)], H4, 4);
    expect(s).toMatchObject({ challengerActive: false, challengerTrafficPercentage: 0, abStatus: "rolledBack" });
    expect(s.challengerPerformance!.runId).toBe("b");
    expect(s.challengerPerformance!.accuracy).toBe(0);
  });
});
