import { CLASS_NAMES } from "@/lib/core/classes";
import { formatNum, formatPct } from "@/lib/core/format";
import type { ResultSummary } from "@/lib/run/types";
import { TableHead } from "../TableHead";

const KIND_STYLE: Record<ResultSummary["kind"], string> = {
  model: "",
  ensemble: "bg-indigo-50",
  baseline: "text-slate-500",
};

/** Test-part metrics of every model, ensemble and baseline side by side. */
export function ComparisonTable({ results }: { results: ResultSummary[] }) {
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
              <td className="pr-3" data-testid={`accuracy-${r.id}`}>
                {formatPct(r.metrics.accuracy)}
              </td>
              <td className={`pr-3 ${r.metrics.balancedAccuracy === best ? "font-semibold text-emerald-700" : ""}`}>
                {formatPct(r.metrics.balancedAccuracy)}
              </td>
              <td className="pr-3">{formatNum(r.metrics.macroF1)}</td>
              <td className="pr-3">{r.metrics.logLoss === null ? "—" : formatNum(r.metrics.logLoss)}</td>
              {CLASS_NAMES.map((c, k) => (
                <td key={c} className="pr-3 whitespace-nowrap">
                  {formatPct(r.metrics.precision[k], 0)} / {formatPct(r.metrics.recall[k], 0)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
