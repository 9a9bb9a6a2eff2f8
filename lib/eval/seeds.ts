/**
 * Figures over several training seeds, as published benchmark tables give them: mean ± sample
 * standard deviation. The spread says how much of a difference between two models one seed can
 * make by itself.
 */

/** Mean and sample standard deviation (n − 1) of the finite values, with how many there were. */
export interface MeanStd {
  mean: number;
  std: number;
  n: number;
}

/**
 * Mean ± std of `values`, skipping null and non-finite ones (a seed whose log loss is undefined).
 * Null with fewer than two finite values: one seed has no spread to report.
 */
export function meanStd(values: readonly (number | null | undefined)[]): MeanStd | null {
  const xs = values.filter((x): x is number => typeof x === "number" && Number.isFinite(x));
  const n = xs.length;
  if (n < 2) return null;
  const mean = xs.reduce((a, x) => a + x, 0) / n;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  return { mean, std: Math.sqrt(variance), n };
}
