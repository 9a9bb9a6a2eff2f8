import { describe, expect, it } from "vitest";
import {
  DEFAULT_PROMOTION_RULES,
  describeRules,
  evaluateAb,
  servedBy,
  startChallenger,
  validateRules,
  type AbState,
  type PairedOutcome,
  type PromotionRules,
} from "./ramp";

const H = 3600_000;
const DAY = 24 * H;
const T0 = Date.UTC(2025, 0, 1);

/**
 * `n` hourly paired outcomes from `start`: `chOnly` candles only the challenger got right,
 * `cpOnly` only the champion, the rest both right.
 */
function record(start: number, n: number, chOnly: number, cpOnly: number): PairedOutcome[] {
  return Array.from({ length: n }, (_, i) => ({
    openTime: start + i * H,
    challengerCorrect: i >= chOnly + cpOnly || i < chOnly,
    championCorrect: i >= chOnly,
  }));
}

const rules: PromotionRules = { ...DEFAULT_PROMOTION_RULES };

describe("champion/challenger ramp", () => {
  it("starts in shadow mode with the start in its history", () => {
    const s = startChallenger(T0);
    expect(s).toMatchObject({ status: "ramping", traffic: 0, stageStart: T0 });
    expect(s.decisions.map((d) => d.kind)).toEqual(["start"]);
  });

  it("waits for the minimum record (99 outcomes decide nothing even when lopsided)", () => {
    const s = startChallenger(T0);
    expect(evaluateAb(s, record(T0, 99, 30, 0), T0 + 10 * DAY, rules)).toBe(s);
  });

  it("waits for the minimum days before stepping up", () => {
    const s = startChallenger(T0);
    const rec = record(T0, 120, 20, 0);
    expect(evaluateAb(s, rec, T0 + 6.9 * DAY, rules)).toBe(s);
    expect(evaluateAb(s, rec, T0 + 7 * DAY, rules).traffic).toBe(10);
  });

  it("steps 0 → 10 → 50 → 100 → promoted on fresh records, each stage counting only its own candles", () => {
    let s: AbState = startChallenger(T0);
    const all: PairedOutcome[] = [];
    let t = T0;
    const expected = [10, 50, 100, 100] as const;
    for (const to of expected) {
      all.push(...record(t, 168, 20, 2)); // 7 days of hourly candles
      t += 168 * H;
      const next = evaluateAb(s, all, t, rules);
      expect(next.traffic).toBe(to);
      expect(next.stageStart).toBe(t);
      // The new stage starts empty: evaluating again at once changes nothing.
      expect(evaluateAb(next, all, t + 30 * DAY, rules)).toBe(next);
      s = next;
    }
    expect(s.status).toBe("promoted");
    expect(s.decisions.map((d) => `${d.kind}:${d.from}->${d.to}`)).toEqual([
      "start:0->0",
      "advance:0->10",
      "advance:10->50",
      "advance:50->100",
      "promote:100->100",
    ]);
    expect(s.decisions[1].test).toMatchObject({ challengerOnly: 20, championOnly: 2, n: 168 });
  });

  it("does not step up when ahead by chance only (not significant)", () => {
    const s = startChallenger(T0);
    // 6 vs 3 discordant: P[X >= 6 | 9] = 130/512 ≈ 0.25
    expect(evaluateAb(s, record(T0, 200, 6, 3), T0 + 10 * DAY, rules)).toBe(s);
  });

  it("rolls back when behind, from any traffic level, without waiting for the days", () => {
    for (const traffic of [0, 10, 50, 100] as const) {
      const s: AbState = { ...startChallenger(T0), traffic };
      const next = evaluateAb(s, record(T0, 100, 1, 12), T0 + 1 * DAY, rules);
      expect(next).toMatchObject({ status: "rolledBack", traffic: 0 });
      expect(next.decisions.at(-1)).toMatchObject({ kind: "rollback", from: traffic, to: 0 });
      expect(next.decisions.at(-1)!.reason).toMatch(/behind the champion/);
    }
  });

  it("rolls back a stage that reaches the outcome cap with no result", () => {
    const s: AbState = { ...startChallenger(T0), traffic: 10 };
    const capped = { ...rules, maxOutcomes: 150 };
    expect(evaluateAb(s, record(T0, 149, 5, 5), T0 + 30 * DAY, capped)).toBe(s);
    const next = evaluateAb(s, record(T0, 150, 5, 5), T0 + 30 * DAY, capped);
    expect(next).toMatchObject({ status: "rolledBack", traffic: 0 });
    expect(next.decisions.at(-1)!.reason).toMatch(/no result after 150 outcomes at 10%/);
  });

  it("never leaves a terminal state", () => {
    const promoted: AbState = { ...startChallenger(T0), status: "promoted", traffic: 100 };
    const rolled: AbState = { ...startChallenger(T0), status: "rolledBack" };
    expect(evaluateAb(promoted, record(T0, 200, 0, 50), T0 + 30 * DAY, rules)).toBe(promoted);
    expect(evaluateAb(rolled, record(T0, 200, 50, 0), T0 + 30 * DAY, rules)).toBe(rolled);
  });

  it("ignores outcomes of candles before the stage began", () => {
    const s: AbState = { ...startChallenger(T0), stageStart: T0 + 100 * H };
    // 100 strong outcomes, all before the stage: nothing to decide on.
    expect(evaluateAb(s, record(T0, 100, 40, 0), T0 + 30 * DAY, rules)).toBe(s);
  });

  it("uses edited thresholds and refuses bad ones by field", () => {
    const s = startChallenger(T0);
    const quick = { minOutcomes: 20, minDays: 0, alpha: 0.05, maxOutcomes: 100 };
    expect(evaluateAb(s, record(T0, 20, 8, 0), T0 + H, quick).traffic).toBe(10);
    expect(validateRules({ minOutcomes: 0, minDays: -1, alpha: 0.9, maxOutcomes: 5 })).toEqual([
      "minOutcomes must be a whole number of at least 1, got 0",
      "minDays must be 0 or more days, got -1",
      "alpha must lie in (0, 0.5], got 0.9",
    ]);
    expect(validateRules({ ...DEFAULT_PROMOTION_RULES, maxOutcomes: 50 })).toEqual([
      "maxOutcomes must be a whole number of at least minOutcomes (100), got 50",
    ]);
    expect(validateRules(DEFAULT_PROMOTION_RULES)).toEqual([]);
    expect(() => evaluateAb(s, [], T0, { ...quick, alpha: 0 })).toThrow(/alpha must lie/);
  });

  it("describes the rules in words with their values", () => {
    const words = describeRules(DEFAULT_PROMOTION_RULES).join(" ");
    expect(words).toMatch(/at least 100 outcomes/);
    expect(words).toMatch(/at least 7 days/);
    expect(words).toMatch(/one-sided 5% level/);
    expect(words).toMatch(/1000 outcomes/);
  });

  it("routes the traffic share of candles to the challenger, the same way every time", () => {
    const times = Array.from({ length: 10_000 }, (_, i) => T0 + i * H);
    for (const traffic of [10, 50] as const) {
      const share = times.filter((t) => servedBy(t, traffic) === "challenger").length / times.length;
      expect(Math.abs(share - traffic / 100)).toBeLessThan(0.02);
    }
    expect(times.every((t) => servedBy(t, 0) === "champion")).toBe(true);
    expect(times.every((t) => servedBy(t, 100) === "challenger")).toBe(true);
    expect(times.map((t) => servedBy(t, 10))).toEqual(times.map((t) => servedBy(t, 10)));
  });
});
