"use client";

import type { FeatureSpec } from "@/lib/core/dataset";

/**
 * The feature set as data: include or drop each feature and edit its numeric parameters.
 * What is edited here is saved with the dataset (Dataset.features).
 */
export function FeatureEditor({
  features,
  enabled,
  onChange,
}: {
  features: FeatureSpec[];
  enabled: boolean[];
  onChange: (features: FeatureSpec[], enabled: boolean[]) => void;
}) {
  const setParam = (i: number, key: string, value: number) => {
    const next = features.map((f, j) => (j === i ? { ...f, params: { ...f.params, [key]: value } } : f));
    onChange(next, enabled);
  };
  const toggle = (i: number) =>
    onChange(
      features,
      enabled.map((e, j) => (j === i ? !e : e)),
    );
  return (
    <details data-testid="feature-editor">
      <summary className="cursor-pointer text-sm">
        Feature set: <b>{enabled.filter(Boolean).length}</b> of {features.length} features (edit)
      </summary>
      <div className="mt-2 grid max-h-80 gap-1 overflow-auto text-xs md:grid-cols-2">
        {features.map((f, i) => (
          <label key={f.name} className="flex items-center gap-2 rounded px-1 hover:bg-slate-50">
            <input type="checkbox" checked={enabled[i]} onChange={() => toggle(i)} />
            <span className="w-40 font-mono">{f.name}</span>
            {Object.entries(f.params)
              .filter(([, v]) => typeof v === "number")
              .map(([k, v]) => (
                <span key={k} className="flex items-center gap-1 text-slate-500">
                  {k}
                  <input
                    className="input w-14 py-0 text-xs"
                    type="number"
                    value={v as number}
                    onChange={(e) => setParam(i, k, Number(e.target.value))}
                  />
                </span>
              ))}
          </label>
        ))}
      </div>
    </details>
  );
}
