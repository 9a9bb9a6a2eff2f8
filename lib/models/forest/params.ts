/**
 * Random Forest hyper-parameters: defaults follow the guide (200 trees, depth 20) and
 * scikit-learn's classifier defaults; ranges, choices and labels are what the Train page's form,
 * saved runs and the workers accept (one place, like the neural models' lib/models/config.ts).
 */
import {
  rangeFields,
  readBoolean,
  readChoice,
  readNumber,
  type ParamChoice,
  type ParamField,
  type ParamRange,
} from "../params";
import type { ForestViewSpec } from "./types";

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

/** Accepted values of the numeric parameters (inclusive), with their form labels. */
export const FOREST_PARAM_RANGES = {
  trees: { min: 1, max: 2000, step: 1, integer: true, label: "Trees" },
  maxDepth: { min: 1, max: 64, step: 1, integer: true, label: "Max depth" },
  minSamplesSplit: { min: 2, max: 10_000, step: 1, integer: true, label: "Min samples to split" },
  minSamplesLeaf: { min: 1, max: 10_000, step: 1, integer: true, label: "Min samples per leaf" },
  maxBins: { min: 2, max: 256, step: 1, integer: true, label: "Bins per input" },
  // The forest's generator takes any uint32 seed.
  seed: { min: 0, max: 2 ** 32 - 1, step: 1, integer: true, label: "Seed" },
} as const satisfies Record<string, ParamRange>;

type ForestNumberKey = keyof typeof FOREST_PARAM_RANGES;

/** The named choices of maxFeatures the form offers (saved runs may also hold a fraction or a count). */
export const MAX_FEATURES_CHOICE: ParamChoice<"sqrt" | "log2"> = {
  label: "Features per split",
  options: [
    { value: "sqrt", label: "sqrt" },
    { value: "log2", label: "log2" },
  ],
};

export const CLASS_WEIGHT_CHOICE: ParamChoice<ForestParams["classWeight"]> = {
  label: "Class weights",
  options: [
    { value: "balanced", label: "balanced" },
    { value: "none", label: "none" },
  ],
};

/** Which inputs the forest sees of a window (see ForestViewSpec). */
export type ForestView = ForestViewSpec["kind"];

export const FOREST_VIEW_CHOICE: ParamChoice<ForestView> = {
  label: "Input view",
  options: [
    { value: "flat", label: "flattened window (guide)" },
    { value: "compact", label: "compact (last step + summaries)" },
  ],
};

/** A forest's settings in a run: its hyper-parameters and the input view it trains on. */
export interface ForestConfig extends ForestParams {
  view: ForestView;
}

export const DEFAULT_FOREST_CONFIG: ForestConfig = { ...DEFAULT_FOREST_PARAMS, view: "flat" };

/** The forest's settings form: the numeric ranges, then the choices and the bootstrap switch. */
export const FOREST_FIELDS: readonly ParamField<keyof ForestConfig>[] = [
  ...rangeFields(FOREST_PARAM_RANGES),
  { kind: "choice", key: "view", ...FOREST_VIEW_CHOICE },
  { kind: "choice", key: "maxFeatures", ...MAX_FEATURES_CHOICE },
  { kind: "choice", key: "classWeight", ...CLASS_WEIGHT_CHOICE },
  { kind: "boolean", key: "bootstrap", label: "bootstrap samples" },
];

/** Resolves maxFeatures to a count of inputs per split, in 1..numInputs. */
export function featuresPerSplit(maxFeatures: ForestParams["maxFeatures"], numInputs: number): number {
  let k: number;
  if (maxFeatures === "sqrt") k = Math.floor(Math.sqrt(numInputs));
  else if (maxFeatures === "log2") k = Math.floor(Math.log2(numInputs));
  else if (maxFeatures > 0 && maxFeatures < 1) k = Math.floor(maxFeatures * numInputs);
  else k = Math.floor(maxFeatures);
  return Math.min(numInputs, Math.max(1, k));
}

function readMaxFeatures(value: unknown, issues: string[]): ForestParams["maxFeatures"] {
  const fallback = DEFAULT_FOREST_PARAMS.maxFeatures;
  if (value === undefined || value === "sqrt" || value === "log2") return value ?? fallback;
  if (typeof value === "number" && value > 0 && Number.isFinite(value)) {
    // A fraction of the inputs, or a whole count of them.
    if (value < 1 || Number.isInteger(value)) return value;
    issues.push(`maxFeatures: ${value} is neither a fraction below 1 nor a whole count; using ${Math.round(value)}`);
    return Math.round(value);
  }
  issues.push(`maxFeatures: ${String(value)} is not sqrt, log2, a fraction in (0, 1) or a count; using ${fallback}`);
  return fallback;
}

/**
 * Validates (possibly partial, possibly untrusted: forms, saved runs) forest parameters: missing
 * keys take defaults, numbers are rounded and clamped to FOREST_PARAM_RANGES, choices must be
 * known values, and every value changed gets a line in `issues`. Unknown keys are dropped.
 */
export function validateForestParams(input: unknown): { params: ForestParams; issues: string[] } {
  const src = (input && typeof input === "object" ? input : {}) as Record<string, unknown>;
  const issues: string[] = [];
  const d = DEFAULT_FOREST_PARAMS;
  const num = (key: ForestNumberKey) => readNumber(key, src[key], FOREST_PARAM_RANGES[key], d[key], issues);
  const params: ForestParams = {
    trees: num("trees"),
    maxDepth: num("maxDepth"),
    minSamplesSplit: num("minSamplesSplit"),
    minSamplesLeaf: num("minSamplesLeaf"),
    maxFeatures: readMaxFeatures(src.maxFeatures, issues),
    classWeight: readChoice("classWeight", src.classWeight, CLASS_WEIGHT_CHOICE, d.classWeight, issues),
    bootstrap: readBoolean("bootstrap", src.bootstrap, d.bootstrap, issues),
    maxBins: num("maxBins"),
    seed: num("seed"),
  };
  return { params, issues };
}

/** validateForestParams plus the input view: what a run's forest settings must pass. */
export function validateForestConfig(input: unknown): { config: ForestConfig; issues: string[] } {
  const { params, issues } = validateForestParams(input);
  const view = (input && typeof input === "object" ? (input as { view?: unknown }).view : undefined) ?? undefined;
  return { config: { ...params, view: readChoice("view", view, FOREST_VIEW_CHOICE, "flat", issues) }, issues };
}

/**
 * Fills missing fields with defaults and repairs out-of-range values, for code that trains
 * whatever it is given (workers, benches); settings from a person go through
 * validateForestParams first, which reports what it changed.
 */
export function resolveForestParams(p: Partial<ForestParams> = {}): ForestParams {
  return validateForestParams(p).params;
}
