import { formatNum, formatPct } from "@/lib/core/format";
import type { BacktestSummary } from "@/lib/run/types";

const SOURCE_TEXT = {
  training: "the evaluation's own rules, set before any test result",
  "tuned-on-validation": "tuned on the validation part",
  manual: "chosen by hand",
} as const;

/**
 * How often rules met the test part (trials, issue 12), the probabilistic and deflated Sharpe
 * ratios with that count, and a mark when the rules shown were chosen after a test result was
 * seen. Older runs and links without the record show only what they carry.
 */
export function BacktestTrials({ backtest }: { backtest: BacktestSummary }) {
  const { rules, probabilisticSharpe: psr, deflatedSharpe: dsr } = backtest;
  if (!rules && psr === undefined && !dsr) return null;
  return (
    <div className="space-y-1 text-xs text-slate-600" data-testid="backtest-trials">
      {rules && (
        <p>
          Rules: {SOURCE_TEXT[rules.source]}. Test part used {rules.applications}{" "}
          {rules.applications === 1 ? "time" : "times"} for backtest rules
          {dsr
            ? `, ${dsr.trials} configurations in all (each result under each set of rules${dsr.fromOtherRuns ? `; ${dsr.fromOtherRuns} of them by other runs on this dataset's test part` : ""})`
            : ""}
          .
        </p>
      )}
      {(psr !== undefined || dsr) && (
        <p data-testid="backtest-psr-dsr">
          {psr === undefined ? "" : `P(true Sharpe > 0) ${formatPct(psr, 0)} (PSR)`}
          {psr !== undefined && dsr ? "; " : ""}
          {dsr
            ? `deflated for ${dsr.trials} trials (DSR): ${formatPct(dsr.dsr, 0)}, against the Sharpe ${formatNum(dsr.benchmarkSharpe, 2)} the best of ${dsr.trials} skill-less trials would show`
            : ""}
          .
        </p>
      )}
      {rules?.afterTestSeen && (
        <p className="rounded bg-amber-100 px-2 py-1 font-semibold text-amber-900" data-testid="rules-after-test">
          ⚠ These rules were{" "}
          {rules.source === "tuned-on-validation"
            ? "tuned on validation, but applied after a test result had been seen"
            : "changed after the test result was seen"}
          : the test part is no longer untouched. Every application counts as a trial in the deflated Sharpe ratio.
        </p>
      )}
    </div>
  );
}
