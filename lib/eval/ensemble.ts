/**
 * The ensemble, evaluated for real: a weighted average of the models' class probabilities.
 * Weights are either the guide's fixed 50/30/20 or learned on the validation part only (never on
 * test, which would make the reported test figure optimistic). The guide's own "estimate"
 * (weighted average of accuracies) is kept only to show beside the real figure.
 */
import { NUM_CLASSES } from "../core/classes";
import { LOG_LOSS_EPS } from "./metrics";

/** Model keys used across the studio for the three models. */
export type EnsembleMemberId = "transformer" | "lstm" | "forest";

/** The guide's fixed weights: Transformer 50%, LSTM 30%, Random Forest 20%. */
export const GUIDE_ENSEMBLE_WEIGHTS: Readonly<Record<EnsembleMemberId, number>> = Object.freeze({
  transformer: 0.5,
  lstm: 0.3,
  forest: 0.2,
});

/** Probabilities [N*k] per model; a missing model is absent, undefined or null. */
export type ProbsByModel = Record<string, Float32Array | null | undefined>;

/**
 * Weights restricted to the models that are present (non-null probabilities) and renormalised to
 * sum to 1. When every present model has weight 0 (or no weight given), present models share equally.
 * Returns {} when no model is present.
 */
export function effectiveWeights(
  weights: Readonly<Record<string, number>>,
  present: readonly string[],
): Record<string, number> {
  const out: Record<string, number> = {};
  let sum = 0;
  for (const id of present) {
    const w = weights[id];
    const v = Number.isFinite(w) && w > 0 ? w : 0;
    out[id] = v;
    sum += v;
  }
  for (const id of present) out[id] = sum > 0 ? out[id] / sum : 1 / present.length;
  return out;
}

function presentModels(probs: ProbsByModel): string[] {
  return Object.keys(probs).filter((id) => probs[id] != null);
}

/**
 * Weighted average of class probabilities [N*k] per model → ensemble probabilities [N*k], each
 * row renormalised to sum to 1. Missing models are dropped and the remaining weights renormalised.
 * @returns the probabilities and the weights actually used (present models only, summing to 1)
 */
export function ensembleProbs(
  probsByModel: ProbsByModel,
  weights: Readonly<Record<string, number>> = GUIDE_ENSEMBLE_WEIGHTS,
  k: number = NUM_CLASSES,
): { probs: Float32Array; weights: Record<string, number> } {
  const ids = presentModels(probsByModel);
  if (ids.length === 0) throw new Error("ensemble needs at least one model's probabilities");
  const len = probsByModel[ids[0]]!.length;
  for (const id of ids)
    if (probsByModel[id]!.length !== len)
      throw new Error(`model ${id} has ${probsByModel[id]!.length} probabilities, expected ${len}`);
  if (len % k !== 0) throw new Error(`probabilities length ${len} is not a multiple of ${k}`);
  const w = effectiveWeights(weights, ids);
  const acc = new Float64Array(len);
  for (const id of ids) {
    const p = probsByModel[id]!;
    const wi = w[id];
    if (wi === 0) continue;
    const n = len / k;
    for (let i = 0; i < n; i++) {
      // Each model's row is normalised first so a model with unnormalised outputs cannot dominate.
      let s = 0;
      for (let c = 0; c < k; c++) s += p[i * k + c];
      const scale = s > 0 ? wi / s : 0;
      for (let c = 0; c < k; c++) acc[i * k + c] += p[i * k + c] * scale;
    }
  }
  const out = new Float32Array(len);
  for (let i = 0; i < len / k; i++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += acc[i * k + c];
    for (let c = 0; c < k; c++) out[i * k + c] = s > 0 ? acc[i * k + c] / s : 1 / k;
  }
  return { probs: out, weights: w };
}

/** Every weight vector of `m` non-negative multiples of 1/steps summing to 1, in lexicographic order. */
export function simplexGrid(m: number, steps: number): number[][] {
  const out: number[][] = [];
  const cur = new Array<number>(m).fill(0);
  const rec = (i: number, left: number) => {
    if (i === m - 1) {
      cur[i] = left;
      out.push(cur.map((v) => v / steps));
      return;
    }
    for (let v = 0; v <= left; v++) {
      cur[i] = v;
      rec(i + 1, left - v);
    }
  };
  if (m > 0) rec(0, steps);
  return out;
}

export interface LearnedWeights {
  /** Weights of the present models, summing to 1. */
  weights: Record<string, number>;
  /** Validation log loss of the ensemble with these weights. */
  valLogLoss: number;
  /** Validation log loss with the guide's fixed weights (renormalised over present models), for comparison. */
  guideValLogLoss: number;
}

/**
 * Learns ensemble weights on the validation part: exhaustive search of the simplex on a grid of
 * `step` (default 0.05 → 231 candidates for three models), minimising validation log loss.
 * Deterministic: ties keep the first candidate in lexicographic order of the models' keys order.
 * The mixture's true-class probability is linear in the weights, so each candidate costs O(N·m).
 *
 * @param valLabels       validation labels [N]
 * @param valProbsByModel validation probabilities [N*k] per model (missing models skipped)
 */
export function learnEnsembleWeights(
  valLabels: ArrayLike<number>,
  valProbsByModel: ProbsByModel,
  step = 0.05,
  k: number = NUM_CLASSES,
): LearnedWeights {
  const ids = presentModels(valProbsByModel);
  if (ids.length === 0) throw new Error("no model probabilities to learn weights from");
  const steps = Math.round(1 / step);
  if (!(steps >= 1) || Math.abs(steps * step - 1) > 1e-9) throw new Error(`step ${step} must divide 1`);
  const n = valLabels.length;
  // True-class probability per model and sample, from row-normalised probabilities.
  const pt = ids.map((id) => {
    const p = valProbsByModel[id]!;
    if (p.length !== n * k) throw new Error(`model ${id} has ${p.length} probabilities, expected ${n * k}`);
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += p[i * k + c];
      v[i] = s > 0 ? p[i * k + valLabels[i]] / s : 1 / k;
    }
    return v;
  });
  const lossOf = (w: readonly number[]): number => {
    if (n === 0) return 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      let p = 0;
      for (let j = 0; j < w.length; j++) p += w[j] * pt[j][i];
      if (!(p >= LOG_LOSS_EPS)) p = LOG_LOSS_EPS;
      if (p > 1 - LOG_LOSS_EPS) p = 1 - LOG_LOSS_EPS;
      sum -= Math.log(p);
    }
    return sum / n;
  };
  let best: number[] = [];
  let bestLoss = Infinity;
  for (const w of simplexGrid(ids.length, steps)) {
    const l = lossOf(w);
    if (l < bestLoss - 1e-12) {
      bestLoss = l;
      best = w;
    }
  }
  const weights: Record<string, number> = {};
  ids.forEach((id, j) => (weights[id] = best[j]));
  const guide = effectiveWeights(GUIDE_ENSEMBLE_WEIGHTS, ids);
  return { weights, valLogLoss: bestLoss, guideValLogLoss: lossOf(ids.map((id) => guide[id])) };
}

/**
 * The guide's naive ensemble "estimate": the weighted average of the models' test accuracies
 * (compare_models.py). It is not the accuracy of any ensemble and is shown only beside the real
 * figure. Missing models (absent or non-finite accuracy) are dropped and the weights renormalised.
 */
export function estimatedEnsembleAccuracy(
  accuracies: Readonly<Record<string, number | null | undefined>>,
  weights: Readonly<Record<string, number>> = GUIDE_ENSEMBLE_WEIGHTS,
): number {
  const ids = Object.keys(accuracies).filter((id) => Number.isFinite(accuracies[id]));
  if (ids.length === 0) return NaN;
  const w = effectiveWeights(weights, ids);
  return ids.reduce((a, id) => a + w[id] * (accuracies[id] as number), 0);
}
