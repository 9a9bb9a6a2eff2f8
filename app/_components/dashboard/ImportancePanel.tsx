"use client";

import { useState } from "react";
import { formatPct } from "@/lib/core/format";
import { aggregateImportances } from "@/lib/eval/importance";
import type { Importance } from "@/lib/run/types";
import { BarsChart } from "../charts/BarsChart";

/** Top 20 features of one importance set and their sums per timeframe and per indicator family. */
function ImportanceView({
  values,
  format,
  testId,
}: {
  values: Importance[];
  format: (v: number) => string;
  testId: string;
}) {
  const sorted = [...values].sort((a, b) => b.value - a.value);
  const names = sorted.map((i) => i.name);
  const numbers = sorted.map((i) => i.value);
  const groups = (by: "timeframe" | "family") =>
    aggregateImportances(names, numbers, by).map((g) => ({ name: g.key, value: g.importance }));
  return (
    <div className="grid gap-4 lg:grid-cols-3" data-testid={testId}>
      <div className="lg:col-span-2">
        <h3 className="text-sm font-medium">Top 20 features</h3>
        <BarsChart
          data={sorted.slice(0, 20)}
          horizontal
          height={420}
          valueFormatter={format}
          testId={`${testId}-top`}
        />
      </div>
      <div className="space-y-4">
        <div>
          <h3 className="text-sm font-medium">Per timeframe</h3>
          <BarsChart data={groups("timeframe")} height={160} valueFormatter={format} />
        </div>
        <div>
          <h3 className="text-sm font-medium">Per indicator family</h3>
          <BarsChart data={groups("family")} horizontal height={260} valueFormatter={format} />
        </div>
      </div>
    </div>
  );
}

/**
 * The forest's impurity importances, and permutation importance on the test part per model
 * (accuracy lost when one feature is shuffled across the test windows), with a model picker.
 */
export function ImportancePanel({
  importances,
  source,
  permutation,
}: {
  importances: Importance[];
  source?: string;
  permutation?: Record<string, Importance[]>;
}) {
  const models = Object.keys(permutation ?? {});
  const [model, setModel] = useState<string | undefined>(undefined);
  const shown = model && models.includes(model) ? model : models[0];
  if (importances.length === 0 && models.length === 0)
    return (
      <p className="text-sm text-slate-500">
        No importances in this run (train the Random Forest or compute permutation importance).
      </p>
    );
  return (
    <div className="space-y-6" data-testid="importance-panel">
      {importances.length > 0 && (
        <div className="space-y-2">
          <p className="text-xs text-slate-500">Source: {source ?? "—"}</p>
          <ImportanceView values={importances} format={(v) => formatPct(v, 1)} testId="importance-main" />
        </div>
      )}
      {shown && permutation && (
        <div className="space-y-2" data-testid="permutation-importance">
          <div className="flex flex-wrap items-center gap-2">
            <h3 className="text-sm font-medium">
              Permutation importance on the test part (accuracy drop when a feature is shuffled)
            </h3>
            <select
              className="input"
              aria-label="permutation model"
              value={shown}
              onChange={(e) => setModel(e.target.value)}
            >
              {models.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </div>
          <ImportanceView
            values={permutation[shown]}
            format={(v) => `${(v * 100).toFixed(2)} pt`}
            testId={`permutation-${shown}`}
          />
        </div>
      )}
    </div>
  );
}
