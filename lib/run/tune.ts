/**
 * A run's backtest rules tuned on its validation part (lib/eval/tune-rules.ts): the candidates
 * are the run's models and ensembles with their stored validation probabilities, assembled as
 * the predictions download assembles them (lib/export/predictions.ts resultProbabilities), and
 * traded over the validation window ends. No test probability and no test row is read. A
 * multi-symbol dataset trades its first symbol's validation samples, as its test backtest trades
 * its first symbol's test samples (summarizeRun).
 */
import { NUM_CLASSES } from "@/lib/core/classes";
import type { Dataset } from "@/lib/core/dataset";
import { partPositionsBySymbol } from "@/lib/core/multi-symbol";
import { DEFAULT_BACKTEST_SETTINGS } from "@/lib/eval/backtest";
import { tuneBacktestRules, type RuleGrid, type TunedRules } from "@/lib/eval/tune-rules";
import { resultProbabilities, type PredictionsOutcome } from "@/lib/export/predictions";
import type { RunSummary } from "./types";

export type { TunedRules } from "@/lib/eval/tune-rules";

/**
 * The grid rule with the highest validation Sharpe for run `summary` (ties: fewest changes from
 * its current rules, then more trades).
 * @param outcomes the run's models (only their validation probabilities are read)
 * @param feeRate fee per side, fraction of notional: the user's, never tuned
 */
export function tuneRunRules(
  dataset: Pick<Dataset, "split" | "symbols" | "rowSymbol" | "closes" | "times" | "labelSpec">,
  outcomes: readonly PredictionsOutcome[],
  summary: Pick<RunSummary, "results" | "ensemble" | "backtest">,
  feeRate: number,
  grid?: RuleGrid,
): TunedRules {
  // Only validation probabilities: resultProbabilities reads the part it is asked for.
  const val = resultProbabilities(dataset, outcomes, summary, "val");
  const first = partPositionsBySymbol(dataset, "val")?.[0];
  const k = NUM_CLASSES;
  const pick = (probs: Float32Array) =>
    first
      ? Float32Array.from({ length: first.length * k }, (_, j) => probs[first[Math.floor(j / k)] * k + (j % k)])
      : probs;
  const ends = first ? Int32Array.from(first, (i) => dataset.split.val[i]) : dataset.split.val;
  const b = summary.backtest;
  return tuneBacktestRules({
    closes: dataset.closes,
    times: dataset.times,
    ends,
    horizon: dataset.labelSpec.horizon,
    candidates: Object.entries(val).map(([id, probs]) => ({ id, probs: pick(probs) })),
    feeRate,
    ...(b
      ? {
          current: {
            tradedModel: b.model,
            longOnly: b.longOnly ?? DEFAULT_BACKTEST_SETTINGS.longOnly,
            minConfidence: b.minConfidence ?? DEFAULT_BACKTEST_SETTINGS.minConfidence,
            sizing: b.sizing ?? DEFAULT_BACKTEST_SETTINGS.sizing,
          },
        }
      : {}),
    ...(grid ? { grid } : {}),
  });
}
