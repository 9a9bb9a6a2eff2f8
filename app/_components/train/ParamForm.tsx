"use client";

import type { ParamField } from "@/lib/models/params";

export type ParamValue = number | boolean | string;

/**
 * A compact form for a model's settings, generated from its field descriptions in lib/models
 * (configuration is data); `issues` are the validation's lines, shown under the fields.
 */
export function ParamForm({
  fields,
  values,
  onChange,
  issues = [],
  testId,
}: {
  fields: readonly ParamField[];
  values: object;
  onChange: (key: string, value: ParamValue) => void;
  issues?: string[];
  testId?: string;
}) {
  const valueOf = (key: string) => (values as Record<string, unknown>)[key];
  return (
    <div className="grid grid-cols-2 gap-2 text-sm" data-testid={testId}>
      {fields.map((f) =>
        f.kind === "boolean" ? (
          <label key={f.key} className="flex items-center gap-1 self-end">
            <input
              type="checkbox"
              name={f.key}
              checked={Boolean(valueOf(f.key))}
              onChange={(e) => onChange(f.key, e.target.checked)}
            />{" "}
            {f.label}
          </label>
        ) : (
          <label key={f.key} className="space-y-0.5">
            <span className="label block">{f.label}</span>
            {f.kind === "choice" ? (
              <select
                className="input w-full"
                name={f.key}
                value={String(valueOf(f.key))}
                onChange={(e) => onChange(f.key, e.target.value)}
              >
                {f.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            ) : f.options ? (
              <select
                className="input w-full"
                name={f.key}
                value={String(valueOf(f.key))}
                onChange={(e) => onChange(f.key, Number(e.target.value))}
              >
                {f.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : (
              <input
                className="input w-full"
                type="number"
                name={f.key}
                min={f.min}
                max={f.max}
                step={f.step}
                value={String(valueOf(f.key))}
                onChange={(e) => onChange(f.key, Number(e.target.value))}
              />
            )}
          </label>
        ),
      )}
      {issues.length > 0 && (
        <ul className="col-span-2 space-y-0.5 text-xs text-amber-800" role="alert" data-testid={`${testId}-issues`}>
          {issues.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
