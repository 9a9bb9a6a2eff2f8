import { formatPct } from "@/lib/core/format";
import { pctIntervalText } from "@/lib/eval/figure-text";
import { CONTROL_DESCRIPTION, controlSentence } from "@/lib/run/control";
import type { ControlRow, ControlSummary } from "@/lib/run/types";
import { TableHead } from "../TableHead";

const VERDICT_TEXT: Record<ControlRow["verdict"], string> = {
  consistent: "consistent with chance",
  above: "above chance: leak",
  below: "below chance",
  unknown: "no interval",
};

/**
 * A control run's verdict, in place of the comparison with the baselines: each model and
 * ensemble against the chance level of its own prediction mix (Σ p_pred·p_true for accuracy,
 * the mean predicted share of the classes present for balanced accuracy), with the block
 * bootstrap's 95% interval. The summary computed it; the share page shows the same.
 */
export function ControlVerdict({ control }: { control: ControlSummary }) {
  const { lead, rest } = controlSentence(control);
  const leak = control.rows.some((r) => r.verdict === "above");
  return (
    <div
      className={`space-y-2 rounded border p-2 text-sm ${leak ? "border-red-300 bg-red-50" : "border-slate-200"}`}
      data-testid="control-verdict"
    >
      <p>
        <b>{lead}</b> {rest}
      </p>
      <table className="w-full text-sm">
        <TableHead columns={["result", "accuracy (95%)", "chance", "balanced acc. (95%)", "chance", "verdict"]} />
        <tbody>
          {control.rows.map((r) => (
            <tr key={r.id} className="border-b last:border-0" data-testid={`control-row-${r.id}`}>
              <td className="py-1 pr-3 font-medium">{r.label}</td>
              <td className="pr-3 whitespace-nowrap">
                {formatPct(r.accuracy)} ({pctIntervalText(r.accuracyInterval) || "—"})
              </td>
              <td className="pr-3">{formatPct(r.chanceAccuracy)}</td>
              <td className="pr-3 whitespace-nowrap">
                {formatPct(r.balancedAccuracy)} ({pctIntervalText(r.balancedInterval) || "—"})
              </td>
              <td className="pr-3">{formatPct(r.chanceBalancedAccuracy)}</td>
              <td className={`pr-3 ${r.verdict === "above" ? "font-semibold text-red-700" : ""}`}>
                {VERDICT_TEXT[r.verdict]}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-xs text-slate-500">
        {CONTROL_DESCRIPTION[0].toUpperCase() + CONTROL_DESCRIPTION.slice(1)} (train, validation and test separately,
        seed {control.seed}). Chance is that of a predictor independent of the labels with the same prediction mix, not
        the majority class; each interval is a 95% one, so with several results one may miss chance by luck.
      </p>
    </div>
  );
}
