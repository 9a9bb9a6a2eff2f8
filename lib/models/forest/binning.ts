/**
 * Quantile binning of one input: cut points fitted on training values only, codes as Uint8 so a
 * histogram per node needs at most 256 slots. Cut points are real values (float32) so a split
 * "code <= b" is exactly "x <= edges[b]" on raw inputs: predictions never need the bins.
 */

/** Most values looked at when fitting one column's cut points (a strided subsample beyond). */
const MAX_FIT_VALUES = 200_000;

/**
 * Cut points of one input from its training values.
 * @param values training values of the input (NaN/Inf ignored), any length
 * @param maxBins at most this many bins (2..256), so at most maxBins-1 cut points
 * @returns strictly increasing float32 cut points; code(x) = number of cut points < x
 */
export function fitEdges(values: ArrayLike<number>, maxBins: number): Float32Array {
  const stride = Math.max(1, Math.ceil(values.length / MAX_FIT_VALUES));
  const finite: number[] = [];
  for (let i = 0; i < values.length; i += stride) {
    const v = values[i];
    if (Number.isFinite(v)) finite.push(v);
  }
  const sorted = Float32Array.from(finite).sort();
  const n = sorted.length;
  if (n === 0) return new Float32Array(0);
  const unique: number[] = [];
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) unique.push(sorted[i]);
  const edges: number[] = [];
  if (unique.length <= maxBins) {
    // Few distinct values: one bin each, cut halfway between neighbours.
    for (let k = 0; k + 1 < unique.length; k++) {
      const a = unique[k];
      const b = unique[k + 1];
      let e = Math.fround((a + b) / 2);
      if (e >= b || e < a) e = a;
      edges.push(e);
    }
  } else {
    for (let k = 1; k < maxBins; k++) {
      const q = sorted[Math.min(n - 1, Math.floor((k * n) / maxBins))];
      // The largest value stays in the last bin rather than making an empty one.
      if (q < sorted[n - 1] && (edges.length === 0 || q > edges[edges.length - 1])) edges.push(q);
    }
  }
  return Float32Array.from(edges);
}

/**
 * Bin code of a value: the number of cut points strictly below x (so x <= edges[code]).
 * NaN gets the last code, matching prediction where `NaN <= t` is false (goes right).
 */
export function binCode(edges: Float32Array, lo: number, hi: number, x: number): number {
  if (Number.isNaN(x)) return hi - lo;
  let a = lo;
  let b = hi;
  while (a < b) {
    const m = (a + b) >>> 1;
    if (edges[m] < x) a = m + 1;
    else b = m;
  }
  return a - lo;
}
