"use client";

/** A numeric parameter's form description (from lib/models config ranges). */
export interface ParamField {
  key: string;
  label: string;
  min: number;
  max: number;
  step: number;
  options?: readonly number[];
}

/**
 * A compact form for a model's parameters, generated from its ranges (configuration is data).
 * `values` is the model's configuration object; fields read it by key.
 */
export function ParamForm({
  fields,
  values,
  onChange,
  booleans = [],
  testId,
}: {
  fields: ParamField[];
  values: object;
  onChange: (key: string, value: number | boolean | string) => void;
  booleans?: { key: string; label: string }[];
  testId?: string;
}) {
  const value = (key: string): unknown => Reflect.get(values, key);
  return (
    <div className="grid grid-cols-2 gap-2 text-sm" data-testid={testId}>
      {fields.map((f) => (
        <label key={f.key} className="space-y-0.5">
          <span className="label block">{f.label}</span>
          {f.options ? (
            <select
              className="input w-full"
              name={f.key}
              value={String(value(f.key))}
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
              value={String(value(f.key))}
              onChange={(e) => onChange(f.key, Number(e.target.value))}
            />
          )}
        </label>
      ))}
      {booleans.map((b) => (
        <label key={b.key} className="flex items-center gap-1 self-end">
          <input type="checkbox" checked={Boolean(value(b.key))} onChange={(e) => onChange(b.key, e.target.checked)} />{" "}
          {b.label}
        </label>
      ))}
    </div>
  );
}
