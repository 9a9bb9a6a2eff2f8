import { CLASS_NAMES } from "@/lib/core/classes";
import { formatInt, formatNum, formatPct } from "@/lib/core/format";
import { numIntervalText, pctIntervalText } from "@/lib/eval/figure-text";
import type { ResultSummary, RunSummary } from "@/lib/run/types";
import { TableHead } from "../TableHead";

const KIND_STYLE: Record<ResultSummary["kind"], string> = {
  model: "",
  ensemble: "bg-indigo-50",
  baseline: "text-slate-500",
};

/** An interval beside its figure, in small print: " (41.0–45.3)"; nothing when unknown. */
function Ci({ text, testId }: { text: string; testId: string }) {
  if (!text) return null;
  return (
    <span className="ml-1 text-xs text-slate-500" data-testid={testId}>
      ({text})
    </span>
  );
}

/**
 * Test-part metrics of every model, ensemble and baseline side by side, each with its 95%
 * block-bootstrap interval when the summary has one.
 */
export function ComparisonTable({
  results,
  uncertainty,
}: {
  results: ResultSummary[];
  uncertainty?: RunSummary["uncertainty"];
}) {
  const best = Math.max(...results.filter((r) => r.kind !== "baseline").map((r) => r.metrics.balancedAccuracy));
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="comparison-table">
        <TableHead
          columns={[
            "model",
            "accuracy",
            "balanced acc.",
            "macro F1",
            "log loss",
            ...CLASS_NAMES.map((c) => ({ key: c, label: `${c} P / R`, title: `precision / recall of ${c}` })),
          ]}
        />
        <tbody>
          {results.map((r) => (
            <tr
              key={r.id}
              className={`border-b last:border-0 ${KIND_STYLE[r.kind]}`}
              data-testid={`metrics-row-${r.id}`}
            >
              <td className="py-1 pr-3 font-medium">
                {r.label}
                {r.kind === "baseline" && <span className="ml-1 text-[10px] uppercase">baseline</span>}
              </td>
              <td className="pr-3 whitespace-nowrap">
                <span data-testid={`accuracy-${r.id}`}>{formatPct(r.metrics.accuracy)}</span>
                <Ci text={pctIntervalText(r.metrics.ci95?.accuracy)} testId={`accuracy-ci-${r.id}`} />
              </td>
              <td
                className={`pr-3 whitespace-nowrap ${r.metrics.balancedAccuracy === best ? "font-semibold text-emerald-700" : ""}`}
              >
                {formatPct(r.metrics.balancedAccuracy)}
                <Ci text={pctIntervalText(r.metrics.ci95?.balancedAccuracy)} testId={`balanced-ci-${r.id}`} />
              </td>
              <td className="pr-3">{formatNum(r.metrics.macroF1)}</td>
              <td className="pr-3 whitespace-nowrap">
                {r.metrics.logLoss === null ? "—" : formatNum(r.metrics.logLoss)}
                <Ci text={numIntervalText(r.metrics.ci95?.logLoss)} testId={`logloss-ci-${r.id}`} />
              </td>
              {CLASS_NAMES.map((c, k) => (
                <td key={c} className="pr-3 whitespace-nowrap">
                  {formatPct(r.metrics.precision[k], 0)} / {formatPct(r.metrics.recall[k], 0)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {uncertainty && (
        <p className="mt-1 text-xs text-slate-500" data-testid="interval-note">
          In brackets: 95% intervals from a block bootstrap of the test sequence (blocks of{" "}
          {formatInt(uncertainty.blockLength)} candles on average, {formatInt(uncertainty.resamples)} resamples), since
          neighbouring samples share most of their window and label.
        </p>
      )}
    </div>
  );
}
