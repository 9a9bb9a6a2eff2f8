/**
 * The A/B summary in the guide's shape (`getABTestingSummary()` in its Step 5/6):
 * championPerformance.accuracy, championPerformance.sharpeRatio, challengerActive,
 * challengerPerformance, challengerTrafficPercentage; plus what makes it checkable (outcome
 * counts, intervals, the decision history, and whether it came from a replay).
 */
import { forwardRecord, type ForwardEntry, type ForwardRecord } from "./forward";
import type { AbState } from "./ramp";

/** The parts of a stored signal the summary reads (lib/db's SignalRecord satisfies it). */
export interface SummarySignal {
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

/**
 * @param signals the deployment's signals (any order)
 * @param horizonMs horizon × base interval (ms)
 */
export function abSummary(
  deployment: { replay: boolean; championRunId: string; challengerRunId?: string; ab?: AbState },
  signals: readonly SummarySignal[],
  horizonMs: number,
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
    abStatus: ab?.status ?? null,
    decisions: ab?.decisions ?? [],
  };
}
