/**
 * Stored shapes of the live loop (Signals page): a deployment (champion, optional challenger,
 * their A/B state and decision history, the loop's progress) and one signal record per
 * (deployment, candle open time), so no candle is ever recorded twice, whatever reloads or
 * catch-ups happen. A signal's outcome is written into the same record once, when its horizon
 * has closed.
 */
import * as v from "valibot";
import { count, figure, finite, strictObj, text } from "../core/schema";

const time = finite();
const traffic = v.picklist([0, 10, 50, 100], "traffic must be 0, 10, 50 or 100");
const probs = v.array(figure);

const mcnemarSchema = strictObj({
  challengerOnly: count,
  championOnly: count,
  bothRight: count,
  bothWrong: count,
  n: count,
  pChallengerBetter: figure,
  pChallengerWorse: figure,
});

const abDecisionSchema = strictObj({
  kind: v.picklist(["start", "advance", "promote", "rollback"], "unknown decision"),
  at: time,
  from: traffic,
  to: traffic,
  reason: text(1000),
  test: v.optional(mcnemarSchema),
});

export const abStateSchema = strictObj({
  status: v.picklist(["ramping", "promoted", "rolledBack"], "unknown A/B status"),
  traffic,
  stageStart: time,
  decisions: v.array(abDecisionSchema),
});

export const promotionRulesSchema = strictObj({
  minOutcomes: finite({ min: 1, int: true }),
  minDays: finite({ min: 0 }),
  alpha: finite({ min: 1e-9, max: 0.5 }),
  maxOutcomes: finite({ min: 1, int: true }),
});

export const signalSettingsSchema = strictObj({
  minConfidence: finite({ min: 0, max: 1 }),
  baseSize: finite({ min: 0 }),
  longOnly: v.boolean(),
  feeRate: finite({ min: 0, max: 0.1 }),
});

/** A note of the loop (catch-up, gap, network error), newest last, bounded by the writer. */
const noteSchema = strictObj({
  at: time,
  kind: v.picklist(["catch-up", "gap", "stale", "info"], "unknown note kind"),
  text: text(1000),
});

/** One deployment. Primary key id. */
export const deploymentRecordSchema = strictObj({
  v: v.literal(1),
  id: text(200, 1),
  createdAt: time,
  /** True for a replay over stored candles (marked as such everywhere). */
  replay: v.boolean(),
  championRunId: text(200, 1),
  challengerRunId: v.optional(text(200, 1)),
  /** Present while a challenger is (or was) deployed. */
  ab: v.optional(abStateSchema),
  rules: promotionRulesSchema,
  settings: signalSettingsSchema,
  /** Open time of the newest base candle the loop has handled (signal made or skipped). */
  lastCandle: v.nullable(time),
  notes: v.array(noteSchema),
});
export type DeploymentRecord = v.InferOutput<typeof deploymentRecordSchema>;

/** One model's signal for a candle. */
const decisionSchema = strictObj({
  runId: text(200, 1),
  predicted: finite({ min: 0, max: 3, int: true }),
  probs,
  modelProbs: v.record(v.string(), probs),
  confidence: figure,
  direction: v.picklist([1, -1], "direction must be 1 or -1"),
  tradeable: v.boolean(),
  size: figure,
});

const outcomeSchema = strictObj({
  realizedReturn: figure,
  trueLabel: finite({ min: -1, max: 3, int: true }),
  correct: v.boolean(),
  pnl: figure,
  pnlReturn: figure,
});

/** A signal of a deployment for one base candle. Primary key [deploymentId+openTime]. */
export const signalRecordSchema = strictObj({
  v: v.literal(1),
  deploymentId: text(200, 1),
  /** Open time of the candle the signal is for (ms). */
  openTime: time,
  /** Clock time the signal was made (ms; in a replay, the replay clock). */
  issuedAt: time,
  /** Close of the candle (the entry price of a trade). */
  close: finite({ min: 0 }),
  champion: decisionSchema,
  challenger: v.optional(decisionSchema),
  /** Which model's signal was served (A/B traffic) and the share at the time. */
  served: v.picklist(["champion", "challenger"], "unknown served model"),
  traffic,
  /** Resolved at the horizon: each model's outcome on this candle. */
  outcome: v.optional(
    strictObj({
      resolvedAt: time,
      exitClose: finite({ min: 0 }),
      champion: outcomeSchema,
      challenger: v.optional(outcomeSchema),
    }),
  ),
  /** Why no outcome will come (the outcome candle is missing). */
  skipped: v.optional(text(1000)),
});
export type SignalRecord = v.InferOutput<typeof signalRecordSchema>;
