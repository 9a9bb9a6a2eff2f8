/**
 * The A/B summary in the guide's shape (`getABTestingSummary()` in its Step 5/6):
 * championPerformance.accuracy, championPerformance.sharpeRatio, challengerActive,
 * challengerPerformance, challengerTrafficPercentage; plus what makes it checkable (outcome
 * counts, intervals, the decision history, and whether it came from a replay).
 */
import { forwardRecord, type ForwardEntry, type ForwardRecord } from "./forward";
import { pairedPnl, type PairedPnl } from "./paired-pnl";
import type { AbState } from "./ramp";

/** The parts of a stored signal the summary reads (lib/db's SignalRecord satisfies it). */
export interface SummarySignal {
  openTime: number;
  champion: { runId: string; predicted: number; size: number };
  challenger?: { runId: string; predicted: number; size: number };
  outcome?: {
    champion: { trueLabel: number; pnlReturn: number };
    challenger?: { trueLabel: number; pnlReturn: number };
  };
}

export interface ModelPerformance extends ForwardRecord {
  runId: string;
}

export interface AbSummary {
  replay: boolean;
  championPerformance: ModelPerformance | null;
  challengerActive: boolean;
  challengerPerformance: ModelPerformance | null;
  /** Share of served signals that are the challenger's (0, 10, 50 or 100). */
  challengerTrafficPercentage: number;
  /** Challenger − champion P&L per signal on the candles both were resolved for, with its interval; null without a challenger. */
  pairedPnl: PairedPnl | null;
  abStatus: AbState["status"] | null;
  decisions: AbState["decisions"];
}

function performance(
  signals: readonly SummarySignal[],
  role: "champion" | "challenger",
  runId: string | undefined,
  horizonMs: number,
): ModelPerformance | null {
  if (!runId) return null;
  const entries: ForwardEntry[] = [];
  for (const s of signals) {
    const d = s[role];
    const o = s.outcome?.[role];
    if (!d || !o || d.runId !== runId) continue;
    entries.push({ predicted: d.predicted, trueLabel: o.trueLabel, size: d.size, pnlReturn: o.pnlReturn });
  }
  return { runId, ...forwardRecord(entries, horizonMs) };
}

/** Challenger − champion P&L per candle the challenger shadowed and both were resolved for, in candle order. */
function pnlGaps(signals: readonly SummarySignal[], challengerRun: string): number[] {
  return signals
    .filter((s) => s.challenger?.runId === challengerRun && s.outcome?.challenger)
    .sort((a, b) => a.openTime - b.openTime)
    .map((s) => s.outcome!.challenger!.pnlReturn - s.outcome!.champion.pnlReturn);
}

/**
 * @param signals the deployment's signals (any order)
 * @param horizonMs horizon × base interval (ms)
 * @param horizon the label horizon in candles (the paired P&L's shortest bootstrap block)
 */
export function abSummary(
  deployment: { replay: boolean; championRunId: string; challengerRunId?: string; ab?: AbState },
  signals: readonly SummarySignal[],
  horizonMs: number,
  horizon: number,
): AbSummary {
  const ab = deployment.ab;
  const active = ab?.status === "ramping" && deployment.challengerRunId !== undefined;
  const challengerRun = deployment.challengerRunId ?? signals.findLast((s) => s.challenger)?.challenger?.runId;
  return {
    replay: deployment.replay,
    championPerformance: performance(signals, "champion", deployment.championRunId, horizonMs),
    challengerActive: active,
    challengerPerformance: performance(signals, "challenger", challengerRun, horizonMs),
    challengerTrafficPercentage: active ? ab!.traffic : 0,
    pairedPnl: challengerRun ? pairedPnl(pnlGaps(signals, challengerRun), horizon) : null,
    abStatus: ab?.status ?? null,
    decisions: ab?.decisions ?? [],
  };
}
