/**
 * Model settings as data: how one parameter is described (range, choices, label) and read from
 * untrusted input (forms, saved runs, share links) with a line per value changed. The neural
 * configs (config.ts) and the forest (forest/params.ts) describe their parameters with these, so
 * the Train page draws every settings form from one shape. No tfjs import here.
 */

/** A numeric parameter's allowed values; `integer` rounds, `options` (when present) lists the only values allowed. */
export interface ParamRange {
  min: number;
  max: number;
  step: number;
  integer: boolean;
  options?: readonly number[];
  /** Label for forms. */
  label: string;
}

/** A parameter that takes one of a few named values (e.g. the forest's input view). */
export interface ParamChoice<V extends string = string> {
  label: string;
  options: readonly { value: V; label: string }[];
}

/** One field of a settings form, in the order the form shows it. */
export type ParamField<K extends string = string> =
  | ({ kind: "number"; key: K } & ParamRange)
  | ({ kind: "choice"; key: K } & ParamChoice)
  | { kind: "boolean"; key: K; label: string };

/** Number fields of a table of ranges, in its key order. */
export function rangeFields<K extends string>(ranges: Record<K, ParamRange>): ParamField<K>[] {
  return (Object.keys(ranges) as K[]).map((key) => ({ kind: "number", key, ...ranges[key] }));
}

/**
 * Reads a number (or numeric string) into `range`: rounded when integer, clamped, snapped to the
 * nearest option (ties to the smaller). Missing values take `fallback` silently; anything
 * changed adds a line to `issues`.
 */
export function readNumber(key: string, value: unknown, range: ParamRange, fallback: number, issues: string[]): number {
  let v = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  if (!Number.isFinite(v)) {
    if (value !== undefined) issues.push(`${key}: ${String(value)} is not a number; using ${fallback}`);
    return fallback;
  }
  const original = v;
  if (range.integer) v = Math.round(v);
  v = Math.min(range.max, Math.max(range.min, v));
  if (range.options && !range.options.includes(v)) {
    v = range.options.reduce((best, o) => (Math.abs(o - v) < Math.abs(best - v) ? o : best), range.options[0]);
  }
  if (v !== original) issues.push(`${key}: ${original} is outside the allowed values; using ${v}`);
  return v;
}

/** Reads a boolean; "true"/"1"/1 read as true, other non-booleans as false (with an issue). */
export function readBoolean(key: string, value: unknown, fallback: boolean, issues: string[]): boolean {
  if (value === undefined) return fallback;
  if (typeof value === "boolean") return value;
  const v = value === "true" || value === 1 || value === "1";
  issues.push(`${key}: ${String(value)} read as ${String(v)}`);
  return v;
}

/** Reads one of a choice's values; anything else takes `fallback` (with an issue unless missing). */
export function readChoice<V extends string>(
  key: string,
  value: unknown,
  choice: ParamChoice<V>,
  fallback: V,
  issues: string[],
): V {
  if (value === undefined) return fallback;
  const hit = choice.options.find((o) => o.value === value);
  if (hit) return hit.value;
  issues.push(
    `${key}: ${String(value)} is not one of ${choice.options.map((o) => o.value).join(", ")}; using ${fallback}`,
  );
  return fallback;
}
