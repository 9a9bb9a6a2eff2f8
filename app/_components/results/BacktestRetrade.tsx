"use client";

import { useState } from "react";
import { formatPct } from "@/lib/core/format";
import { retradeRun, tuneAndRetradeRun } from "@/lib/run/retrade";
import type { TunedRules } from "@/lib/run/tune";
import type { RunEvaluation } from "@/lib/run/types";
import { BacktestSettingsForm } from "./BacktestSettingsForm";
import { TunedRulesNote } from "./TunedRulesNote";

/**
 * The Results page's backtest controls: rules by hand or tuned on validation, each application
 * a trial of the run (lib/run/trials.ts). `perform` runs an action and shows the text it returns.
 */
export function BacktestRetrade({
  runId,
  evaluation,
  busy,
  perform,
}: {
  runId: string;
  evaluation: RunEvaluation;
  busy: boolean;
  perform: (name: string, work: () => Promise<string>) => void;
}) {
  const [tuned, setTuned] = useState<TunedRules | null>(null);
  const backtest = evaluation.summary.backtest!;
  const trialText = (e: RunEvaluation) =>
    `Application ${e.trials.length} of rules to the test part, counted as a trial.`;
  return (
    <div className="space-y-2">
      <BacktestSettingsForm
        // A new application remounts the form with the rules it applied (tuned ones fill it so).
        key={evaluation.trials.length}
        backtest={backtest}
        results={evaluation.summary.results}
        busy={busy}
        onApply={(choice) =>
          perform("backtest", async () => {
            const next = await retradeRun(runId, choice);
            setTuned(null);
            const b = next.summary.backtest!;
            return `Backtest run again on the stored test predictions: ${b.trades} trades, total return ${formatPct(b.totalReturn)}, Sharpe ${b.sharpe.toFixed(2)}. ${trialText(next)} evaluation_metrics.json and share links now use these settings.`;
          })
        }
        onTune={(feeRate) =>
          perform("backtest-tune", async () => {
            const next = await tuneAndRetradeRun(runId, feeRate);
            setTuned(next.tuned);
            const b = next.evaluation.summary.backtest!;
            return `Rules tuned on the validation part (validation Sharpe ${next.tuned.validation.sharpe.toFixed(2)}), then applied to the test part: ${b.trades} trades, total return ${formatPct(b.totalReturn)}, Sharpe ${b.sharpe.toFixed(2)}. ${trialText(next.evaluation)}`;
          })
        }
      />
      {tuned && <TunedRulesNote tuned={tuned} />}
    </div>
  );
}
