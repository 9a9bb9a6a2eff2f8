/**
 * Random Forest hyper-parameters: defaults follow the guide (200 trees, depth 20) and
 * scikit-learn's classifier defaults; ranges are what forms and saved runs accept.
 */
export interface ForestParams {
  /** Number of trees. Guide: 200. */
  trees: number;
  /** Longest root-to-leaf path (edges). Guide: 20. */
  maxDepth: number;
  /** A node with fewer in-bag (distinct) samples is a leaf. */
  minSamplesSplit: number;
  /** Each child of a split keeps at least this many in-bag (distinct) samples. */
  minSamplesLeaf: number;
  /** Inputs drawn per split: "sqrt" (default), "log2", a fraction in (0,1) or a count >= 1. */
  maxFeatures: "sqrt" | "log2" | number;
  /** "balanced": weight n / (k * count_c) per class, fitted on the training labels. */
  classWeight: "none" | "balanced";
  /** Draw a bootstrap sample (with replacement) per tree. */
  bootstrap: boolean;
  /** At most this many bins per input (2..256). */
  maxBins: number;
  /** Seed of the whole forest: same seed, same data → identical forest. */
  seed: number;
}

export const DEFAULT_FOREST_PARAMS: ForestParams = {
  trees: 200,
  maxDepth: 20,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxFeatures: "sqrt",
  classWeight: "balanced",
  bootstrap: true,
  maxBins: 256,
  seed: 42,
};

/** Accepted ranges of the numeric parameters (inclusive), for forms and validation. */
export const FOREST_PARAM_RANGES = {
  trees: { min: 1, max: 2000 },
  maxDepth: { min: 1, max: 64 },
  minSamplesSplit: { min: 2, max: 10_000 },
  minSamplesLeaf: { min: 1, max: 10_000 },
  maxBins: { min: 2, max: 256 },
} as const;

/** Resolves maxFeatures to a count of inputs per split, in 1..numInputs. */
export function featuresPerSplit(maxFeatures: ForestParams["maxFeatures"], numInputs: number): number {
  let k: number;
  if (maxFeatures === "sqrt") k = Math.floor(Math.sqrt(numInputs));
  else if (maxFeatures === "log2") k = Math.floor(Math.log2(numInputs));
  else if (maxFeatures > 0 && maxFeatures < 1) k = Math.floor(maxFeatures * numInputs);
  else k = Math.floor(maxFeatures);
  return Math.min(numInputs, Math.max(1, k));
}

/** Fills missing fields with defaults and clamps numbers into their ranges. */
export function resolveForestParams(p: Partial<ForestParams> = {}): ForestParams {
  const r = { ...DEFAULT_FOREST_PARAMS, ...p };
  const clamp = (v: number, { min, max }: { min: number; max: number }) => Math.min(max, Math.max(min, Math.round(v)));
  return {
    ...r,
    trees: clamp(r.trees, FOREST_PARAM_RANGES.trees),
    maxDepth: clamp(r.maxDepth, FOREST_PARAM_RANGES.maxDepth),
    minSamplesSplit: clamp(r.minSamplesSplit, FOREST_PARAM_RANGES.minSamplesSplit),
    minSamplesLeaf: clamp(r.minSamplesLeaf, FOREST_PARAM_RANGES.minSamplesLeaf),
    maxBins: clamp(r.maxBins, FOREST_PARAM_RANGES.maxBins),
    seed: r.seed >>> 0,
  };
}
