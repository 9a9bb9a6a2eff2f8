/**
 * Feature importance: permutation importance on the test part for any model, and aggregation of
 * per-feature (or per-input) importances by base feature, timeframe and indicator family, usable
 * for the forest's impurity importances as well.
 */
import type { WindowSource } from "../core/dataset";
import { NUM_CLASSES } from "../core/classes";
import { argmaxRows } from "./confusion";
import { logLoss } from "./metrics";
import { mulberry32, shuffleInPlace } from "./random";
import { INTERVALS } from "../core/intervals";

/**
 * What permutation importance needs from a model: given a (modified) normalised matrix [T*F] with
 * the same geometry as the source, and window end rows [N], return class probabilities [N*k].
 * May be async (a model in a worker).
 */
export type PredictFn = (matrix: Float32Array, ends: Int32Array) => Float32Array | Promise<Float32Array>;

export type ImportanceMetric = "accuracy" | "logLoss";

export interface PermutationOptions {
  /** Shuffles per feature. Default 3. */
  repeats?: number;
  /** Seed; feature f uses a stream derived from (seed, f) so results don't depend on which subset runs. Default 1. */
  seed?: number;
  /** "accuracy": importance = accuracy drop; "logLoss": importance = log-loss increase. Default "accuracy". */
  metric?: ImportanceMetric;
  /** Feature columns to test. Default all. */
  features?: readonly number[];
  /** Column names, [F]; default "f0", "f1", ... */
  featureNames?: readonly string[];
  /** Called after each feature. */
  onProgress?: (done: number, total: number) => void;
  /** Checked between predictions; when aborted the function throws. */
  signal?: { readonly aborted: boolean };
  /**
   * Probabilities the model already gave on the unmodified source, per set of window ends: when
   * they cover every window asked for, the baseline is read from them instead of predicted again.
   */
  known?: readonly KnownProbs[];
}

/** A model's class probabilities [N*k] on window ends [N] of the unmodified source. */
export interface KnownProbs {
  ends: Int32Array;
  probs: Float32Array;
}

/** Probabilities of `ends` gathered from already known sets, or undefined when one is missing. */
export function knownProbsFor(
  ends: Int32Array,
  known: readonly KnownProbs[],
  k: number = NUM_CLASSES,
): Float32Array | undefined {
  const where = new Map<number, { probs: Float32Array; i: number }>();
  for (const set of known) set.ends.forEach((e, i) => where.set(e, { probs: set.probs, i }));
  const out = new Float32Array(ends.length * k);
  for (let j = 0; j < ends.length; j++) {
    const w = where.get(ends[j]);
    if (!w) return undefined;
    out.set(w.probs.subarray(w.i * k, (w.i + 1) * k), j * k);
  }
  return out;
}

export interface FeatureImportance {
  feature: number;
  name: string;
  /** Mean over repeats; positive = the model relies on the feature. */
  importance: number;
  /** Sample standard deviation over repeats (0 with one repeat). */
  std: number;
  /** Per-repeat values. */
  repeats: number[];
}

export interface PermutationResult {
  metric: ImportanceMetric;
  /** Score (accuracy or log loss) with nothing permuted. */
  baseline: number;
  /** Per tested feature, in the order tested. */
  features: FeatureImportance[];
}

function score(metric: ImportanceMetric, labels: ArrayLike<number>, probs: Float32Array, k: number): number {
  if (metric === "logLoss") return logLoss(labels, probs, k);
  const pred = argmaxRows(probs, k);
  let hit = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === labels[i]) hit++;
  return labels.length ? hit / labels.length : 0;
}

/** Rows read by any window ending at `ends` (rows e-window+1..e, clipped at 0), ascending. */
export function rowsCoveredByWindows(ends: ArrayLike<number>, window: number, rows: number): Int32Array {
  const mark = new Uint8Array(rows);
  for (let i = 0; i < ends.length; i++) {
    const e = ends[i];
    for (let r = Math.max(0, e - window + 1); r <= e && r < rows; r++) mark[r] = 1;
  }
  let n = 0;
  for (let r = 0; r < rows; r++) n += mark[r];
  const out = new Int32Array(n);
  for (let r = 0, j = 0; r < rows; r++) if (mark[r]) out[j++] = r;
  return out;
}

/** Which labelled windows to shuffle features over, and how: one request serves every model of a run. */
export interface NamedPermutationRequest {
  ends: Int32Array;
  labels: ArrayLike<number>;
  featureNames: string[];
  repeats: number;
  seed: number;
  /** Feature columns to shuffle (default all): workers sharing one model's importance each take some. */
  features?: readonly number[];
}

/** Accuracy drop per shuffled feature, as {name, value} (what runs store and dashboards show). */
export async function namedPermutationImportance(
  source: WindowSource,
  req: NamedPermutationRequest,
  predict: PredictFn,
  hooks: Pick<PermutationOptions, "signal" | "onProgress" | "known"> = {},
): Promise<{ name: string; value: number }[]> {
  const r = await permutationImportance(source, req.ends, req.labels, predict, {
    repeats: req.repeats,
    seed: req.seed,
    featureNames: req.featureNames,
    features: req.features,
    ...hooks,
  });
  return r.features.map((f) => ({ name: f.name, value: f.importance }));
}

/**
 * Permutation importance on a set of samples (normally the test part): for each feature column,
 * the column's values are shuffled (seeded) across all rows the test windows read, the model
 * predicts again, and the loss of score is recorded; repeated `repeats` times. Shuffling across
 * the covered rows (not only the end rows) breaks the feature's whole time series inside every
 * window, which is what a sequence model reads. The source matrix is not modified (one working
 * copy is made and each column restored after use).
 *
 * @param source  normalised matrix and geometry (rows T, features F, window)
 * @param ends    window end rows of the samples [N]
 * @param labels  their labels [N]
 * @param predict the model, see PredictFn
 */
export async function permutationImportance(
  source: WindowSource,
  ends: Int32Array,
  labels: ArrayLike<number>,
  predict: PredictFn,
  options: PermutationOptions = {},
  k: number = NUM_CLASSES,
): Promise<PermutationResult> {
  const { repeats = 3, seed = 1, metric = "accuracy", onProgress, signal } = options;
  const F = source.features;
  if (source.matrix.length !== source.rows * F)
    throw new Error(`matrix length ${source.matrix.length} != ${source.rows} * ${F}`);
  if (labels.length !== ends.length) throw new Error("labels and ends differ in length");
  const features = options.features ?? Array.from({ length: F }, (_, f) => f);
  const names = options.featureNames ?? Array.from({ length: F }, (_, f) => `f${f}`);
  const sign = metric === "accuracy" ? 1 : -1; // importance = sign * (baseline - permuted)
  const work = source.matrix.slice();
  const baseline = score(
    metric,
    labels,
    (options.known && knownProbsFor(ends, options.known, k)) || (await predict(work, ends)),
    k,
  );
  const rows = rowsCoveredByWindows(ends, source.window, source.rows);
  const saved = new Float32Array(rows.length);
  const perm = new Float32Array(rows.length);
  const out: FeatureImportance[] = [];
  for (let fi = 0; fi < features.length; fi++) {
    const f = features[fi];
    if (!(f >= 0 && f < F)) throw new Error(`feature ${f} outside 0..${F - 1}`);
    for (let j = 0; j < rows.length; j++) saved[j] = work[rows[j] * F + f];
    const rand = mulberry32((seed * 0x9e3779b1 + f * 0x85ebca6b) >>> 0);
    const values: number[] = [];
    for (let r = 0; r < repeats; r++) {
      if (signal?.aborted) throw new Error("permutation importance aborted");
      perm.set(saved);
      shuffleInPlace(perm, rand);
      for (let j = 0; j < rows.length; j++) work[rows[j] * F + f] = perm[j];
      values.push(sign * (baseline - score(metric, labels, await predict(work, ends), k)));
    }
    for (let j = 0; j < rows.length; j++) work[rows[j] * F + f] = saved[j];
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std =
      values.length > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1)) : 0;
    out.push({ feature: f, name: names[f] ?? `f${f}`, importance: mean, std, repeats: values });
    onProgress?.(fi + 1, features.length);
  }
  return { metric, baseline, features: out };
}

export interface FeatureNameParts {
  /** Name without the forest's "feat_" prefix and "_tNNN" lag suffix, e.g. "1h_rsi". */
  base: string;
  /** Timeframe group: the prefix before the first "_" (e.g. "1h"; "alt", "regime" for non-timeframe features). */
  timeframe: string;
  /** Indicator family, e.g. "rsi", "sentiment_score"; see parseFeatureName. */
  family: string;
  /** Lag index from "_tNNN", or null. */
  lag: number | null;
}

const INTERVAL_SET = new Set<string>(INTERVALS);

/**
 * Splits a feature or forest input name. "feat_" and "_tNNN" are stripped; the timeframe is the
 * prefix before the first "_". The family is the rest of the name when the prefix is a candle
 * interval ("4h_adx" → "adx") or the alternative-data prefix "alt" ("alt_sentiment_score" →
 * "sentiment_score"); for any other prefix (e.g. the regime one-hot "regime_trend_up") the
 * columns are parts of one indicator, so the family is the prefix itself ("regime").
 */
export function parseFeatureName(name: string): FeatureNameParts {
  let base = name.startsWith("feat_") ? name.slice(5) : name;
  let lag: number | null = null;
  const m = /_t(\d+)$/.exec(base);
  if (m) {
    lag = Number(m[1]);
    base = base.slice(0, m.index);
  }
  const cut = base.indexOf("_");
  if (cut < 0) return { base, timeframe: base, family: base, lag };
  const prefix = base.slice(0, cut);
  const rest = base.slice(cut + 1);
  const family = INTERVAL_SET.has(prefix) || prefix === "alt" ? rest : prefix;
  return { base, timeframe: prefix, family, lag };
}

export type ImportanceGrouping = "base" | "timeframe" | "family";

export interface GroupImportance {
  key: string;
  /** Sum of the members' importances. */
  importance: number;
  /** Number of members. */
  count: number;
}

/**
 * Sums importances [n] of named inputs [n] per group ("base" folds the forest's lags together,
 * "timeframe" per prefix, "family" per indicator), sorted by importance descending (ties by key).
 * Works for impurity importances (which sum to 1, so groups do too) and permutation importances.
 */
export function aggregateImportances(
  names: readonly string[],
  values: ArrayLike<number>,
  by: ImportanceGrouping,
): GroupImportance[] {
  if (names.length !== values.length)
    throw new Error(`names (${names.length}) and values (${values.length}) differ in length`);
  const acc = new Map<string, GroupImportance>();
  for (let i = 0; i < names.length; i++) {
    const key = parseFeatureName(names[i])[by];
    const g = acc.get(key) ?? { key, importance: 0, count: 0 };
    g.importance += values[i];
    g.count++;
    acc.set(key, g);
  }
  return [...acc.values()].sort((a, b) => b.importance - a.importance || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Top `n` inputs by importance as {name, importance}, descending (the guide's "Top 5 Most Important Features"). */
export function topImportances(
  names: readonly string[],
  values: ArrayLike<number>,
  n: number,
): { name: string; importance: number }[] {
  return names
    .map((name, i) => ({ name, importance: values[i] }))
    .sort((a, b) => b.importance - a.importance)
    .slice(0, n);
}
