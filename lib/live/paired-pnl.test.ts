import { describe, expect, it } from "vitest";
import { mulberry32 } from "@/lib/core/random";
import { pairedPnl } from "./paired-pnl";

/** Gaps that persist over `run` candles (as overlapping horizons make them), around `mean`. */
function persistentGaps(n: number, run: number, mean: number, seed: number): number[] {
  const rand = mulberry32(seed);
  const out: number[] = [];
  let level = 0;
  for (let i = 0; i < n; i++) {
    if (i % run === 0) level = (rand() - 0.5) * 0.02;
    out.push(mean + level + (rand() - 0.5) * 0.002);
  }
  return out;
}

describe("paired P&L of challenger and champion", () => {
  it("gives the mean gap, an interval around it, and a small p only for a real gap", () => {
    const real = pairedPnl(persistentGaps(600, 4, 0.004, 1), 4);
    expect(real.n).toBe(600);
    expect(real.meanGap).toBeCloseTo(persistentGaps(600, 4, 0.004, 1).reduce((a, b) => a + b) / 600, 12);
    expect(real.interval[0]).toBeLessThan(real.meanGap);
    expect(real.interval[1]).toBeGreaterThan(real.meanGap);
    expect(real.interval[0]).toBeGreaterThan(0);
    expect(real.p).toBeLessThan(0.01);
    expect(real.block).toBeGreaterThanOrEqual(4);
    // No gap: over 40 independent records about 2 of 40 reach p < 0.05 (a band that ignored the persistence would give many more).
    let hits = 0;
    for (let s = 0; s < 40; s++) if (pairedPnl(persistentGaps(300, 6, 0, 100 + s), 4, 500).p < 0.05) hits++;
    expect(hits).toBeLessThanOrEqual(5);
  });

  it("says nothing from fewer than two paired candles", () => {
    expect(pairedPnl([], 4)).toMatchObject({ n: 0, p: 1 });
    expect(pairedPnl([0.01], 4).interval.every(Number.isNaN)).toBe(true);
  });
});
