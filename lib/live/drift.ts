/**
 * Drift of the live inputs and the model's age. PSI (population stability index) compares each
 * feature's recent distribution with its distribution over the rows the model was trained on;
 * the bins are fitted on those training rows only (quantile cut points), so nothing about the
 * recent rows shapes the yardstick they are measured with.
 *
 * PSI = Σ_bins (a - e) · ln(a / e), a and e the recent and training shares of a bin; an empty
 * bin's share is floored at PSI_EPS so one empty bin gives a large but finite value. Common
 * reading (credit scoring's rule of thumb): < 0.1 stable, 0.1-0.25 moderate, > 0.25 drifted.
 */

export const PSI_EPS = 1e-4;
export const PSI_MODERATE = 0.1;
export const PSI_DRIFTED = 0.25;
/** The guide retrains monthly. */
export const DEFAULT_RETRAIN_CADENCE_DAYS = 30;

/**
 * Quantile cut points of `values` for `bins` bins, duplicates removed (a one-hot column gets
 * one cut, i.e. two bins). Non-finite values are ignored. Ascending.
 */
export function fitBinEdges(values: ArrayLike<number>, bins = 10): number[] {
  const v = Array.from(values)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (v.length === 0) return [];
  const edges: number[] = [];
  for (let q = 1; q < bins; q++) {
    const e = v[Math.min(v.length - 1, Math.floor((q * v.length) / bins) - 1)];
    if (e !== undefined && (edges.length === 0 || e > edges[edges.length - 1])) edges.push(e);
  }
  // The last cut equal to the maximum leaves an empty top bin; drop it.
  while (edges.length && edges[edges.length - 1] >= v[v.length - 1]) edges.pop();
  return edges;
}

/** Bin index of x for ascending cut points: bin b holds edges[b-1] < x <= edges[b]. */
export function binOf(x: number, edges: readonly number[]): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x > edges[mid]) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Shares per bin (length edges.length + 1) of the finite values. */
export function binShares(values: ArrayLike<number>, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) continue;
    counts[binOf(values[i], edges)]++;
    n++;
  }
  return counts.map((c) => (n ? c / n : 0));
}

/** PSI of two share vectors of the same bins (see the module comment). */
export function psiFromShares(expected: readonly number[], actual: readonly number[]): number {
  if (expected.length !== actual.length)
    throw new Error(`PSI needs the same bins: ${expected.length} vs ${actual.length}`);
  let s = 0;
  for (let b = 0; b < expected.length; b++) {
    const e = Math.max(expected[b], PSI_EPS);
    const a = Math.max(actual[b], PSI_EPS);
    s += (a - e) * Math.log(a / e);
  }
  return s;
}

export interface FeatureDrift {
  name: string;
  psi: number;
  level: "stable" | "moderate" | "drifted";
}

export function psiLevel(psi: number): FeatureDrift["level"] {
  return psi > PSI_DRIFTED ? "drifted" : psi >= PSI_MODERATE ? "moderate" : "stable";
}

/**
 * PSI per feature of recent rows against training rows.
 * @param training raw feature rows, row-major [rows * F]; @param trainingMask 1 for rows the
 * model trained on (lib/core/normalize trainingRowMask) [rows]; @param recent raw rows [m * F]
 */
export function featureDrift(
  names: readonly string[],
  training: Float32Array,
  trainingMask: Uint8Array,
  recent: Float32Array,
  bins = 10,
): FeatureDrift[] {
  const F = names.length;
  if (training.length !== trainingMask.length * F)
    throw new Error(`training matrix holds ${training.length} values, expected ${trainingMask.length} rows × ${F}`);
  if (recent.length % F !== 0) throw new Error(`recent rows hold ${recent.length} values, not a multiple of ${F}`);
  const m = recent.length / F;
  return names.map((name, j) => {
    const train: number[] = [];
    for (let r = 0; r < trainingMask.length; r++) if (trainingMask[r]) train.push(training[r * F + j]);
    const edges = fitBinEdges(train, bins);
    const now = new Float32Array(m);
    for (let r = 0; r < m; r++) now[r] = recent[r * F + j];
    const psi = psiFromShares(binShares(train, edges), binShares(now, edges));
    return { name, psi, level: psiLevel(psi) };
  });
}

export interface RetrainAdvice {
  recommended: boolean;
  /** Model age in days (now - trained at). */
  ageDays: number;
  /** Why, in words (empty when not recommended). */
  reasons: string[];
}

/** "Retrain recommended" when any feature drifted or the model is older than the cadence. */
export function retrainAdvice(
  drift: readonly FeatureDrift[],
  trainedAt: number,
  now: number,
  cadenceDays = DEFAULT_RETRAIN_CADENCE_DAYS,
): RetrainAdvice {
  const ageDays = (now - trainedAt) / (24 * 3600 * 1000);
  const reasons: string[] = [];
  if (ageDays > cadenceDays)
    reasons.push(`the model is ${Math.floor(ageDays)} days old, past the ${cadenceDays}-day retrain cadence`);
  const drifted = drift.filter((d) => d.level === "drifted");
  if (drifted.length)
    reasons.push(
      `${drifted.length} feature${drifted.length === 1 ? "" : "s"} drifted (PSI > ${PSI_DRIFTED}): ${drifted
        .slice(0, 5)
        .map((d) => `${d.name} ${d.psi.toFixed(2)}`)
        .join(", ")}${drifted.length > 5 ? ", …" : ""}`,
    );
  return { recommended: reasons.length > 0, ageDays, reasons };
}
