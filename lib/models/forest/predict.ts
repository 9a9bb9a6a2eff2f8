import type { WindowSource } from "@/lib/core/dataset";
import type { ForestModel, ForestViewSpec } from "./types";
import { COMPACT_STATS, compactVector, viewInputs } from "./views";

/** Adds the mean leaf probabilities of all trees for the vector x[o .. o+numFeatures) to out[oo ..]. */
function accumulate(model: ForestModel, x: ArrayLike<number>, o: number, out: Float32Array, oo: number): void {
  const C = model.numClasses;
  const acc = new Float64Array(C);
  for (const tree of model.trees) {
    const { feature, threshold, left, right, value } = tree;
    let i = 0;
    let f = feature[0];
    while (f >= 0) {
      i = x[o + f] <= threshold[i] ? left[i] : right[i];
      f = feature[i];
    }
    for (let c = 0; c < C; c++) acc[c] += value[i * C + c];
  }
  const nt = model.trees.length || 1;
  for (let c = 0; c < C; c++) out[oo + c] = acc[c] / nt;
}

/**
 * Class probabilities of raw input vectors (thresholds are real values: no binning needed).
 * @param x row-major [N * numFeatures]
 * @returns row-major [N * numClasses], each row the mean of the trees' leaf probabilities
 */
export function predictProba(model: ForestModel, x: ArrayLike<number>): Float32Array {
  const p = model.numFeatures;
  if (x.length % p !== 0) throw new Error(`predictProba: ${x.length} values is not a multiple of ${p}`);
  const n = x.length / p;
  const out = new Float32Array(n * model.numClasses);
  for (let i = 0; i < n; i++) accumulate(model, x, i * p, out, i * model.numClasses);
  return out;
}

/**
 * Class probabilities of windows read straight from a normalised source: the flattened view is a
 * contiguous slice of the [T, F] matrix (no copy), the compact view is summarised per window.
 * @param ends window end rows [N]
 * @param view defaults to model.view
 * @returns row-major [N * numClasses]
 */
export function predictProbaView(
  model: ForestModel,
  source: WindowSource,
  ends: Int32Array,
  view: ForestViewSpec | undefined = model.view,
): Float32Array {
  if (!view) throw new Error("predictProbaView: the model has no view; pass one");
  if (view.window !== source.window || view.features !== source.features)
    throw new Error("predictProbaView: source geometry differs from the model's view");
  if (viewInputs(view) !== model.numFeatures)
    throw new Error("predictProbaView: view width differs from the model's inputs");
  const C = model.numClasses;
  const out = new Float32Array(ends.length * C);
  const F = source.features;
  const W = source.window;
  const scratch = new Float32Array(F * COMPACT_STATS.length);
  for (let i = 0; i < ends.length; i++) {
    const e = ends[i];
    if (e < W - 1 || e >= source.rows) throw new Error(`window end ${e} outside the source`);
    if (view.kind === "flat") accumulate(model, source.matrix, (e - W + 1) * F, out, i * C);
    else {
      compactVector(source, e, scratch, 0);
      accumulate(model, scratch, 0, out, i * C);
    }
  }
  return out;
}

/** Arg-max class of each row of a [N * numClasses] probability matrix. */
export function argmaxRows(proba: Float32Array, numClasses: number): Uint8Array {
  const n = proba.length / numClasses;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (proba[i * numClasses + c] > proba[i * numClasses + best]) best = c;
    out[i] = best;
  }
  return out;
}
