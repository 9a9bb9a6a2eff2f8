/**
 * Helpers that make a run small enough for a URL: rounding to a few significant digits and
 * down-sampling long series (curves, equity) while keeping their first and last points.
 */

/** `x` rounded to `digits` significant digits; integers and non-finite values are returned as is. */
export function roundSig(x: number, digits = 5): number {
  if (!Number.isFinite(x) || Number.isInteger(x)) return x;
  return Number(x.toPrecision(digits));
}

/** A deep copy of plain JSON data with every non-integer number rounded by `roundSig`. */
export function roundDeep<T>(value: T, digits = 5): T {
  if (typeof value === "number") return roundSig(value, digits) as T;
  if (Array.isArray(value)) return value.map((v) => roundDeep(v, digits)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = roundDeep(v, digits);
    return out as T;
  }
  return value;
}

/**
 * Indices of at most `max` points spread evenly over 0..n-1, always including 0 and n-1 (sorted,
 * unique). n <= max → all indices.
 */
export function downsampleIndices(n: number, max: number): number[] {
  if (n <= 0) return [];
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  if (max <= 1) return [n - 1];
  const out: number[] = [];
  for (let k = 0; k < max; k++) {
    const i = Math.round((k * (n - 1)) / (max - 1));
    if (out.length === 0 || out[out.length - 1] !== i) out.push(i);
  }
  return out;
}

/** `values` at `downsampleIndices(values.length, max)`. */
export function downsample(values: ArrayLike<number>, max: number): number[] {
  return downsampleIndices(values.length, max).map((i) => values[i]);
}
