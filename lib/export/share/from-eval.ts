import type { BacktestResult } from "@/lib/eval/backtest";
import type { ClassificationMetrics } from "@/lib/eval/metrics";
import type { EpochRecord } from "@/lib/models/types";
import { curveFromHistory, downsampleIndices } from "./compact";
import { SHARE_LIMITS, type SharedBacktest, type SharedCurve, type SharedMetrics, type SharedResult } from "./types";

/** Adapters from the studio's evaluation / training outputs to share-link fields. */

const finiteOr = (x: number, fallback: number) => (Number.isFinite(x) ? x : fallback);
const clamp01 = (x: number) => Math.min(1, Math.max(0, finiteOr(x, 0)));

/** lib/eval's ClassificationMetrics → SharedMetrics (NaN → 0, non-finite log loss → null). */
export function sharedMetrics(m: ClassificationMetrics): SharedMetrics {
  return {
    accuracy: clamp01(m.accuracy),
    balancedAccuracy: clamp01(m.balancedAccuracy),
    macroF1: clamp01(m.macroF1),
    logLoss: Number.isFinite(m.logLoss) && m.logLoss >= 0 ? Math.min(m.logLoss, 1000) : null,
    precision: m.perClass.map((c) => clamp01(c.precision)),
    recall: m.perClass.map((c) => clamp01(c.recall)),
  };
}

/** A trainer's epoch history → a curve of at most SHARE_LIMITS.maxCurvePoints points. */
export function sharedCurve(history: readonly EpochRecord[], bestEpoch?: number): SharedCurve | undefined {
  if (history.length === 0) return undefined;
  const pick = (k: "loss" | "acc" | "valLoss" | "valAcc", clampTo?: 1) =>
    history.map((h) => (clampTo ? clamp01(h[k]) : Math.min(1e4, Math.max(0, finiteOr(h[k], 0)))));
  const c = curveFromHistory(
    { loss: pick("loss"), acc: pick("acc", 1), valLoss: pick("valLoss"), valAcc: pick("valAcc", 1) },
    SHARE_LIMITS.maxCurvePoints,
    bestEpoch && bestEpoch > 0 ? bestEpoch : undefined,
  );
  // Use the trainer's epoch numbers (a resumed run may not start at 1).
  const idx = downsampleIndices(history.length, SHARE_LIMITS.maxCurvePoints);
  return { ...c, epoch: idx.map((i) => history[i].epoch) };
}

/** One row of the results table. */
export function sharedResult(
  id: string,
  label: string,
  kind: SharedResult["kind"],
  m: ClassificationMetrics,
  curve?: SharedCurve,
): SharedResult {
  return {
    id,
    label,
    kind,
    metrics: sharedMetrics(m),
    confusion: m.confusion.map((row) => row.map((v) => Math.max(0, Math.round(v)))),
    ...(curve ? { curve } : {}),
  };
}

/** lib/eval's BacktestResult → SharedBacktest with equity down-sampled to `maxPoints`. */
export function sharedBacktest(
  model: string,
  r: BacktestResult,
  maxPoints: number = SHARE_LIMITS.maxEquityPoints,
): SharedBacktest {
  const idx = downsampleIndices(r.equity.length, maxPoints);
  const m = r.metrics;
  return {
    model,
    totalReturn: Math.max(-1, finiteOr(m.totalReturn, 0)),
    buyHoldReturn: Math.max(-1, finiteOr(r.buyHoldMetrics.totalReturn, 0)),
    sharpe: finiteOr(m.sharpe, 0),
    winRate: clamp01(m.winRate),
    maxDrawdown: clamp01(m.maxDrawdown),
    profitFactor: Number.isFinite(m.profitFactor) && m.profitFactor >= 0 ? m.profitFactor : null,
    trades: m.trades,
    feeBps: r.settings.feeRate * 10_000,
    longOnly: r.settings.longOnly,
    minConfidence: r.settings.minConfidence,
    sizing: r.settings.sizing,
    equity: idx.map((i) => Math.max(0, r.equity[i])),
    buyHold: idx.map((i) => Math.max(0, r.buyHold[i])),
    start: r.times[0],
    end: r.times[r.times.length - 1],
  };
}
