import { formatPct } from "@/lib/core/format";
import { aggregateImportances } from "@/lib/eval/importance";
import type { SharedImportance } from "@/lib/export/share/types";
import { BarsChart } from "../charts/BarsChart";

/** Top features and their sums per timeframe and per indicator family. */
export function ImportancePanel({ importances, source, extra }: { importances: SharedImportance[]; source?: string; extra?: { title: string; values: SharedImportance[] }[] }) {
  if (importances.length === 0 && !extra?.length) return <p className="text-sm text-slate-500">No importances in this run (train the Random Forest or compute permutation importance).</p>;
  const names = importances.map((i) => i.name);
  const values = importances.map((i) => i.value);
  const groups = (by: "timeframe" | "family") => aggregateImportances(names, values, by).map((g) => ({ name: g.key, value: g.importance }));
  const fmt = (v: number) => formatPct(v, 1);
  return (
    <div className="space-y-4" data-testid="importance-panel">
      {importances.length > 0 && (
        <>
          <p className="text-xs text-slate-500">Source: {source ?? "—"}</p>
          <div className="grid gap-4 lg:grid-cols-3">
            <div className="lg:col-span-2">
              <h3 className="text-sm font-medium">Top 20 features</h3>
              <BarsChart data={importances.slice(0, 20).map((i) => ({ name: i.name, value: i.value }))} horizontal height={420} valueFormatter={fmt} testId="importance-top" />
            </div>
            <div className="space-y-4">
              <div>
                <h3 className="text-sm font-medium">Per timeframe</h3>
                <BarsChart data={groups("timeframe")} height={160} valueFormatter={fmt} />
              </div>
              <div>
                <h3 className="text-sm font-medium">Per indicator family</h3>
                <BarsChart data={groups("family")} horizontal height={260} valueFormatter={fmt} />
              </div>
            </div>
          </div>
        </>
      )}
      {extra?.map((e) => (
        <div key={e.title}>
          <h3 className="text-sm font-medium">{e.title}</h3>
          <BarsChart data={[...e.values].sort((a, b) => b.value - a.value).slice(0, 20)} horizontal height={380} valueFormatter={(v) => v.toFixed(4)} />
        </div>
      ))}
    </div>
  );
}
