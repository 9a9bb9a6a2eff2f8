import { confusionSigns } from "@/lib/eval/signs";
import type { ResultSummary } from "@/lib/run/types";
import { ConfusionHeatmap } from "../charts/ConfusionHeatmap";

/** Confusion matrices of the models and ensembles, each with the guide's good/bad signs. */
export function ConfusionPanel({
  results,
  renderActions,
}: {
  results: ResultSummary[];
  renderActions?: (r: ResultSummary) => React.ReactNode;
}) {
  const shown = results.filter((r) => r.kind !== "baseline");
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      {shown.map((r) => (
        <div key={r.id} className="space-y-2" data-testid={`confusion-${r.id}`}>
          <ConfusionHeatmap counts={r.confusion} title={r.label} />
          <ul className="space-y-0.5 text-xs">
            {confusionSigns(r.confusion).map((s) => {
              const good = s.kind === "good" ? s.ok : !s.ok;
              return (
                <li key={s.id} className={good ? "text-emerald-700" : "text-red-700"} title={s.detail}>
                  {good ? "✓" : "✗"} {s.label}: <span className="text-slate-600">{s.detail}</span>
                </li>
              );
            })}
          </ul>
          {renderActions?.(r)}
        </div>
      ))}
    </div>
  );
}
