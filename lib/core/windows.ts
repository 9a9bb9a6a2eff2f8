import type { SampleSet, WindowSource } from "./dataset";

/**
 * Windows are views over a [T, F] matrix: sample t covers rows t - window + 1 .. t. Only the
 * functions below copy them out, for a batch or an export chunk at a time.
 */

/**
 * Copies the windows ending at `ends` into `out` as [N, window, F] (row-major float32).
 * @param out reused when given (must hold N * window * F); otherwise allocated.
 */
export function gatherWindows(source: WindowSource, ends: Int32Array, out?: Float32Array): Float32Array {
  const { window: w, features: f, matrix } = source;
  const stride = w * f;
  const dst = out ?? new Float32Array(ends.length * stride);
  if (dst.length < ends.length * stride)
    throw new Error(`gatherWindows: out holds ${dst.length}, needs ${ends.length * stride}`);
  for (let k = 0; k < ends.length; k++) {
    const t = ends[k];
    if (t < w - 1 || t >= source.rows) throw new Error(`gatherWindows: end row ${t} has no full window`);
    dst.set(matrix.subarray((t - w + 1) * f, (t + 1) * f), k * stride);
  }
  return dst;
}

/** Steps 0..window-1 of the window (step window-1 is row t). */
export function allSteps(window: number): Int32Array {
  return Int32Array.from({ length: window }, (_, i) => i);
}

/** The last `k` steps of a window, oldest first (e.g. lastSteps(120, 1) = [119]). */
export function lastSteps(window: number, k: number): Int32Array {
  return Int32Array.from({ length: Math.min(k, window) }, (_, i) => window - Math.min(k, window) + i);
}

/**
 * Flat rows for the forest: per sample, the features of the chosen window steps, step-major
 * ([N, steps.length * F]; column s * F + j is feature j at step steps[s], named by
 * flatFeatureNames). With all steps this equals gatherWindows' layout.
 */
export function flattenWindows(
  source: WindowSource,
  ends: Int32Array,
  steps: ArrayLike<number> = allSteps(source.window),
  out?: Float32Array,
): Float32Array {
  const { window: w, features: f, matrix } = source;
  const width = steps.length * f;
  const dst = out ?? new Float32Array(ends.length * width);
  for (let k = 0; k < ends.length; k++) {
    const first = ends[k] - w + 1;
    if (first < 0 || ends[k] >= source.rows) throw new Error(`flattenWindows: end row ${ends[k]} has no full window`);
    for (let s = 0; s < steps.length; s++) {
      const r = first + steps[s];
      dst.set(matrix.subarray(r * f, r * f + f), k * width + s * f);
    }
  }
  return dst;
}

/** Names of flattenWindows' columns: "feat_<name>_t<step>" as in the guide (feat_1h_rsi_t119). */
export function flatFeatureNames(
  names: readonly string[],
  window: number,
  steps: ArrayLike<number> = allSteps(window),
): string[] {
  const out: string[] = [];
  for (let s = 0; s < steps.length; s++) for (const n of names) out.push(`feat_${n}_t${steps[s]}`);
  return out;
}

/** Labels of the given ends as a SampleSet (labels must be known at those rows). */
export function sampleSet(ends: Int32Array, labels: ArrayLike<number>): SampleSet {
  const y = new Uint8Array(ends.length);
  for (let k = 0; k < ends.length; k++) {
    const c = labels[ends[k]];
    if (c < 0) throw new Error(`sampleSet: row ${ends[k]} has no label`);
    y[k] = c;
  }
  return { ends, labels: y };
}
