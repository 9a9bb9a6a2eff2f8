/**
 * Champion / challenger as a state machine. A challenger starts in shadow mode (0% of the
 * served signals) and climbs 0 → 10 → 50 → 100%, then is promoted to champion (the guide's
 * "0% → 10% → 50% → 100% → promoted"): four gates, each passed the same way. Each step is a stage with its own record: only outcomes of candles that opened
 * after the stage began count, so a decision never reuses the evidence of the previous one (a
 * cumulative record would test the same candles three times and inflate the false-promotion
 * rate).
 *
 * Rules, evaluated whenever a paired outcome arrives (see `describeRules` for the words):
 * - advance (or promote from 100%): the stage holds at least `minOutcomes` paired outcomes, has
 *   lasted at least `minDays`, and the exact McNemar test says the challenger is more often right
 *   than the champion on the same candles at p < `alpha` (one-sided);
 * - roll back (behind): at least `minOutcomes` paired outcomes and the same test says it is more
 *   often wrong at p < `alpha`; no day minimum, falling behind is acted on at once;
 * - roll back (no evidence): the stage reached `maxOutcomes` without either result, so a
 *   challenger that is merely as good never sits in the ramp for ever.
 * Time is candle time (the injected clock), so a replay decides exactly as live would.
 */
import { mcnemarExact, pairedCounts, type McNemarResult } from "./paired-test";

export const TRAFFIC_STEPS = [0, 10, 50, 100] as const;
export type TrafficPercent = (typeof TRAFFIC_STEPS)[number];

const DAY_MS = 24 * 3600 * 1000;

export interface PromotionRules {
  /** Paired outcomes a stage needs before any decision. Default 100. */
  minOutcomes: number;
  /** Days a stage must last before the challenger may advance. Default 7. */
  minDays: number;
  /** One-sided significance level of the paired test. Default 0.05. */
  alpha: number;
  /** Paired outcomes after which a stage without a result rolls back. Default 1000. */
  maxOutcomes: number;
}

export const DEFAULT_PROMOTION_RULES: Readonly<PromotionRules> = Object.freeze({
  minOutcomes: 100,
  minDays: 7,
  alpha: 0.05,
  maxOutcomes: 1000,
});

export type AbStatus = "ramping" | "promoted" | "rolledBack";
export type DecisionKind = "start" | "advance" | "promote" | "rollback";

/** One entry of the decision history (kept for ever, shown on the Signals page). */
export interface AbDecision {
  kind: DecisionKind;
  /** Decision time (ms, candle clock). */
  at: number;
  from: TrafficPercent;
  to: TrafficPercent;
  /** Why, in words. */
  reason: string;
  /** The stage's paired test when the decision came from one. */
  test?: McNemarResult;
}

export interface AbState {
  status: AbStatus;
  traffic: TrafficPercent;
  /** The stage began at this time (ms); its record holds outcomes of candles opened at or after it. */
  stageStart: number;
  decisions: AbDecision[];
}

/** One candle both models predicted and whose outcome is known. */
export interface PairedOutcome {
  /** Open time of the candle the signals were for (ms). */
  openTime: number;
  championCorrect: boolean;
  challengerCorrect: boolean;
}

/** Problems with edited rules, each naming its field; empty when the rules are usable. */
export function validateRules(rules: PromotionRules): string[] {
  const errors: string[] = [];
  if (!Number.isInteger(rules.minOutcomes) || rules.minOutcomes < 1)
    errors.push(`minOutcomes must be a whole number of at least 1, got ${rules.minOutcomes}`);
  if (!Number.isFinite(rules.minDays) || rules.minDays < 0)
    errors.push(`minDays must be 0 or more days, got ${rules.minDays}`);
  if (!(rules.alpha > 0 && rules.alpha <= 0.5)) errors.push(`alpha must lie in (0, 0.5], got ${rules.alpha}`);
  if (!Number.isInteger(rules.maxOutcomes) || rules.maxOutcomes < rules.minOutcomes)
    errors.push(
      `maxOutcomes must be a whole number of at least minOutcomes (${rules.minOutcomes}), got ${rules.maxOutcomes}`,
    );
  return errors;
}

/** The rules in words, one sentence each (the Signals page shows them beside the editor). */
export function describeRules(rules: PromotionRules): string[] {
  const pct = `${+(rules.alpha * 100).toFixed(2)}%`;
  return [
    `The challenger predicts every candle in shadow mode; its share of served signals climbs ${TRAFFIC_STEPS.join(" → ")}%, and one more step from 100% promotes it to champion.`,
    `Each step needs a fresh record: at least ${rules.minOutcomes} outcomes on candles both models predicted, gathered over at least ${rules.minDays} day${rules.minDays === 1 ? "" : "s"} since the previous step.`,
    `It steps up when it was right more often than the champion on those same candles, by an exact McNemar test at a one-sided ${pct} level.`,
    `It is rolled back as soon as the same test, after ${rules.minOutcomes} outcomes, finds it wrong more often than the champion at ${pct}.`,
    `It is also rolled back when a step reaches ${rules.maxOutcomes} outcomes without a result either way.`,
  ];
}

/** A challenger just deployed: shadow mode (0%), its first stage starting at `at` (ms). */
export function startChallenger(at: number): AbState {
  return {
    status: "ramping",
    traffic: 0,
    stageStart: at,
    decisions: [{ kind: "start", at, from: 0, to: 0, reason: "challenger deployed in shadow mode (0% of signals)" }],
  };
}

/** The outcomes that count for the current stage (candles opened at or after its start). */
export function stageRecord(state: AbState, outcomes: readonly PairedOutcome[]): PairedOutcome[] {
  return outcomes.filter((o) => o.openTime >= state.stageStart);
}

/**
 * Applies the rules once: returns the next state (a new object with the decision appended) or
 * the same object when nothing changes. Terminal states (promoted, rolled back) never change.
 * @param outcomes every paired outcome so far (any order; only the stage's are read)
 * @param now decision time (ms, candle clock), the start of the next stage when one begins
 */
export function evaluateAb(
  state: AbState,
  outcomes: readonly PairedOutcome[],
  now: number,
  rules: PromotionRules = DEFAULT_PROMOTION_RULES,
): AbState {
  if (state.status !== "ramping") return state;
  const errors = validateRules(rules);
  if (errors.length) throw new Error(`promotion rules: ${errors.join("; ")}`);
  const record = stageRecord(state, outcomes);
  if (record.length < rules.minOutcomes) return state;
  const test = mcnemarExact(
    pairedCounts(
      record.map((o) => o.championCorrect),
      record.map((o) => o.challengerCorrect),
    ),
  );
  const days = (now - state.stageStart) / DAY_MS;
  const tally = `${test.challengerOnly} candles only the challenger got right, ${test.championOnly} only the champion, of ${test.n}`;
  const decide = (kind: DecisionKind, to: TrafficPercent, reason: string): AbState => ({
    status: kind === "promote" ? "promoted" : kind === "rollback" ? "rolledBack" : "ramping",
    traffic: to,
    stageStart: now,
    decisions: [...state.decisions, { kind, at: now, from: state.traffic, to, reason, test }],
  });
  if (test.pChallengerWorse < rules.alpha)
    return decide("rollback", 0, `behind the champion: ${tally} (p = ${test.pChallengerWorse.toPrecision(2)})`);
  if (test.pChallengerBetter < rules.alpha && days >= rules.minDays) {
    const reason = `ahead of the champion over ${days.toFixed(1)} days: ${tally} (p = ${test.pChallengerBetter.toPrecision(2)})`;
    if (state.traffic === 100) return decide("promote", 100, reason);
    return decide("advance", TRAFFIC_STEPS[TRAFFIC_STEPS.indexOf(state.traffic) + 1], reason);
  }
  if (record.length >= rules.maxOutcomes)
    return decide("rollback", 0, `no result after ${record.length} outcomes at ${state.traffic}%: ${tally}`);
  return state;
}

/**
 * Which model serves the signal of the candle opened at `openTime`: the challenger for
 * `traffic`% of candles, chosen by a fixed hash of the candle time so a reload (or a replay)
 * routes every candle the same way.
 */
export function servedBy(openTime: number, traffic: TrafficPercent): "champion" | "challenger" {
  if (traffic === 0) return "champion";
  if (traffic === 100) return "challenger";
  // murmur3's fmix32 of the minute index: open times' low bits are all zeros, and a plain
  // multiplicative hash of consecutive hours missed 10% by 2 points over 10,000 candles.
  let h = Math.floor(openTime / 60_000) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = (h ^ (h >>> 16)) >>> 0;
  return h % 100 < traffic ? "challenger" : "champion";
}
