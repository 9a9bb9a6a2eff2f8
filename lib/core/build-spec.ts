/**
 * What a dataset build is asked for, its defaults, and one validation that the Dataset page's
 * form and the dataset worker both run: the form shows the issues, the worker refuses a spec
 * with any (so a bad spec never turns into a silently different dataset).
 */
import type { FeatureSpec, LabelSpec, SplitSpec } from "./dataset";
import { DEFAULT_WINDOW } from "./build-dataset";
import { buildPreset, DEFAULT_BASE, DEFAULT_TIMEFRAMES } from "./features/presets";
import { INTERVALS, intervalMs, isInterval, type Interval } from "./intervals";
import { DEFAULT_LABEL_SPEC } from "./labels";
import { DEFAULT_SPLIT_SHARES } from "./splits";
import { DEFAULT_FIT_TARGET, FIT_TARGET_RANGE } from "./thresholds";

/** The settings of a build (the candles' source and the dataset's name aside). */
export interface BuildSpec {
  baseInterval: Interval;
  /** Timeframes the features are computed on; the base is one of them. */
  timeframes: Interval[];
  features: FeatureSpec[];
  labelSpec: LabelSpec;
  /** Shares as fractions; purge and embargo default to the horizon and the window. */
  splitSpec?: Partial<SplitSpec>;
  /** Steps (base candles) per sample window. */
  window: number;
  /**
   * When true, every timeframe coarser than the base is aggregated from the base series, even
   * where a series of its own is stored (another file or download, whose dates or prices may
   * not match the base's). Default false: a stored series of the timeframe is used.
   */
  aggregateFromBase?: boolean;
}

/** A spec that passed validation: every part filled in. */
export interface ValidBuildSpec extends BuildSpec {
  splitSpec: SplitSpec;
}

/** Steps per window a build accepts (a window needs two rows to have a past). */
export const WINDOW_RANGE = { min: 2, max: 512 } as const;
/** Label horizons a build accepts, in base candles. */
export const HORIZON_RANGE = { min: 1, max: 96 } as const;

/** The guide's build: 15m / 1h / 4h at base 1h, the 42-feature preset, window 120, 70 / 15 / 15. */
export function defaultBuildSpec(): ValidBuildSpec {
  const labelSpec = { ...DEFAULT_LABEL_SPEC };
  return {
    baseInterval: DEFAULT_BASE,
    timeframes: [...DEFAULT_TIMEFRAMES],
    features: buildPreset(DEFAULT_TIMEFRAMES),
    labelSpec,
    splitSpec: { ...DEFAULT_SPLIT_SHARES, purge: labelSpec.horizon, embargo: DEFAULT_WINDOW },
    window: DEFAULT_WINDOW,
  };
}

/** Timeframes buildable from stored intervals: the stored ones and coarser multiples of them. Ascending. */
export function buildableIntervals(stored: readonly Interval[]): Interval[] {
  return INTERVALS.filter((tf) => stored.some((s) => intervalMs(tf) % intervalMs(s) === 0));
}

/**
 * Default timeframes among buildable ones: the guide's 15m / 1h / 4h at base 1h when all are
 * buildable, else the finest buildable (the finest stored: a series of only 30m candles gets
 * base 30m, issue 16) and the next two coarser of the guide's 1h, 4h and 1d (any coarser ones
 * when fewer than two of those are).
 */
export function defaultTimeframesFor(buildable: readonly Interval[]): { base: Interval; timeframes: Interval[] } {
  if (DEFAULT_TIMEFRAMES.every((t) => buildable.includes(t)))
    return { base: DEFAULT_BASE, timeframes: [...DEFAULT_TIMEFRAMES] };
  const base = buildable[0];
  const coarser = buildable.filter((t) => intervalMs(t) > intervalMs(base));
  const pick = (["1h", "4h", "1d"] as const).filter((t) => coarser.includes(t)).slice(0, 2);
  return { base, timeframes: [base, ...(pick.length >= 2 ? pick : coarser.slice(0, 2))] };
}

/** Where one timeframe's candles come from: a stored series, aggregated or as stored. */
export interface TimeframeSource {
  timeframe: Interval;
  /** The stored interval read (the timeframe itself when stored and used as is). */
  from: Interval;
  /** True when read from the base series (the base itself, or aggregated from it). */
  fromBase: boolean;
}

/**
 * Which stored series each timeframe is built from (the rule build-from-store follows): the
 * timeframe's own stored series when there is one, else the coarsest stored interval that
 * divides it; with `aggregateFromBase`, every timeframe coarser than the base and a multiple of
 * it is aggregated from the base series. Null for a timeframe nothing stored can build.
 */
export function timeframeSources(
  base: Interval,
  timeframes: readonly Interval[],
  stored: readonly Interval[],
  aggregateFromBase = false,
): (TimeframeSource | null)[] {
  const baseMs = intervalMs(base);
  return timeframes.map((tf) => {
    const ms = intervalMs(tf);
    let from: Interval | undefined;
    if (aggregateFromBase && stored.includes(base) && ms >= baseMs && ms % baseMs === 0) from = base;
    else if (stored.includes(tf)) from = tf;
    else
      from = [...stored]
        .filter((s) => intervalMs(s) < ms && ms % intervalMs(s) === 0)
        .sort((a, b) => intervalMs(b) - intervalMs(a))[0];
    return from ? { timeframe: tf, from, fromBase: from === base } : null;
  });
}

/** Open times (UTC ms) of a stored series' first and last candle. */
export interface SeriesCoverage {
  first: number;
  last: number;
}

/**
 * Timeframes coarser than the base that would be read from another stored series than the base
 * and may disagree with it: every base row without an aligned candle of theirs is dropped. With
 * `coverage`, a series counts when its span differs from the base's by more than one of its
 * candles (a collected series of the same source over the same dates agrees); without, or with
 * `alwaysWarn` (file imports: each interval may come from another file), every such series
 * counts. The form names them and offers `aggregateFromBase`. Ascending.
 */
export function timeframesFromOtherSeries(
  base: Interval,
  timeframes: readonly Interval[],
  stored: readonly Interval[],
  coverage?: Partial<Record<Interval, SeriesCoverage>>,
  alwaysWarn = false,
): Interval[] {
  if (!stored.includes(base)) return [];
  const baseMs = intervalMs(base);
  const b = coverage?.[base];
  const differs = (s: TimeframeSource) => {
    const c = coverage?.[s.from];
    if (alwaysWarn || !b || !c) return true;
    const slack = intervalMs(s.from);
    return Math.abs(c.first - b.first) > slack || Math.abs(c.last - b.last) > slack;
  };
  return timeframeSources(base, timeframes, stored)
    .filter((s): s is TimeframeSource => s !== null && !s.fromBase)
    .filter((s) => intervalMs(s.timeframe) > baseMs && intervalMs(s.timeframe) % baseMs === 0)
    .filter(differs)
    .map((s) => s.timeframe);
}

const pct = (f: number) => `${+(f * 100).toFixed(2)}%`;
const isWhole = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

function validTimeframes(input: unknown, base: Interval, issues: string[]): Interval[] {
  const out: Interval[] = [];
  for (const t of Array.isArray(input) ? input : []) {
    if (typeof t !== "string" || !isInterval(t)) issues.push(`Timeframes: ${String(t)} is not a known interval`);
    else if (!out.includes(t)) out.push(t);
  }
  if (!out.includes(base)) {
    issues.push(`Timeframes: the base timeframe ${base} must be one of them`);
    out.push(base);
  }
  return out.sort((a, b) => intervalMs(a) - intervalMs(b));
}

function validLabelSpec(input: Partial<LabelSpec> | undefined, issues: string[]): LabelSpec {
  const spec: LabelSpec = { ...DEFAULT_LABEL_SPEC, ...input };
  if (!isWhole(spec.horizon) || spec.horizon < HORIZON_RANGE.min || spec.horizon > HORIZON_RANGE.max) {
    issues.push(
      `Horizon: ${String(spec.horizon)} must be a whole number of candles in ${HORIZON_RANGE.min}..${HORIZON_RANGE.max}`,
    );
    spec.horizon = DEFAULT_LABEL_SPEC.horizon;
  }
  if (!(Number.isFinite(spec.weak) && Number.isFinite(spec.strong) && spec.strong > spec.weak && spec.weak >= 0)) {
    issues.push(
      `Thresholds: the strong threshold (${pct(spec.strong)}) must be above the weak one (${pct(spec.weak)}), and the weak one at least 0`,
    );
    spec.strong = DEFAULT_LABEL_SPEC.strong;
    spec.weak = DEFAULT_LABEL_SPEC.weak;
  }
  if (spec.weakZone !== "sign" && spec.weakZone !== "exclude") {
    issues.push(`Inside ±weak: ${String(spec.weakZone)} is neither "sign" nor "exclude"`);
    spec.weakZone = DEFAULT_LABEL_SPEC.weakZone;
  }
  spec.atrScaled = spec.atrScaled === true;
  if (spec.fitTarget === undefined) delete spec.fitTarget;
  else if (!(
    Number.isFinite(spec.fitTarget) &&
    spec.fitTarget >= FIT_TARGET_RANGE.min &&
    spec.fitTarget <= FIT_TARGET_RANGE.max
  )) {
    issues.push(
      `Fit thresholds: the rarest class target ${pct(spec.fitTarget)} must be in ${pct(FIT_TARGET_RANGE.min)}..${pct(FIT_TARGET_RANGE.max)} (four classes cannot all hold more than 25%)`,
    );
    spec.fitTarget = DEFAULT_FIT_TARGET;
  }
  return spec;
}

/**
 * Chronological shares, each above 0 and together 100% (more would make parts overlap, less
 * would leave rows unused), and a purge and embargo of at least the horizon and the window:
 * anything shorter would let a label or a window cross a boundary (look-ahead).
 */
function validSplitSpec(input: Partial<SplitSpec> | undefined, horizon: number, window: number, issues: string[]) {
  const shares = { ...DEFAULT_SPLIT_SHARES, ...input };
  const parts = ["train", "val", "test"] as const;
  const sum = shares.train + shares.val + shares.test;
  const bad = parts.filter((k) => !(Number.isFinite(shares[k]) && shares[k] > 0));
  for (const k of bad) issues.push(`Split: the ${k} share is ${pct(shares[k])}; every part needs a share above 0%`);
  const sharesOk = bad.length === 0 && Math.abs(sum - 1) <= 1e-9;
  if (bad.length === 0 && !sharesOk)
    issues.push(
      `Split: train, validation and test shares must add up to 100%, not ${pct(sum)}${sum > 1 ? " (the parts would overlap)" : ""}`,
    );
  const spec: SplitSpec = {
    ...(sharesOk ? { train: shares.train, val: shares.val, test: shares.test } : DEFAULT_SPLIT_SHARES),
    purge: input?.purge ?? horizon,
    embargo: input?.embargo ?? window,
  };
  if (!isWhole(spec.purge) || spec.purge < horizon) {
    issues.push(
      `Purge: ${String(spec.purge)} rows is less than the label horizon (${horizon}): labels would cross a boundary`,
    );
    spec.purge = horizon;
  }
  if (!isWhole(spec.embargo) || spec.embargo < window) {
    issues.push(
      `Embargo: ${String(spec.embargo)} rows is less than the window (${window}): windows would cross a boundary`,
    );
    spec.embargo = window;
  }
  return spec;
}

/**
 * Validates a build spec (from the form, or untrusted: the worker's input). Each problem gets a
 * line naming the field; the returned spec has it repaired (defaults, the base added to the
 * timeframes, features on a missing timeframe dropped), for display. Callers refuse to build
 * while `issues` is not empty.
 * @param stored intervals stored for the chosen series: when given, every timeframe must be
 *   buildable from them (a stored interval, or a multiple of one: nothing finer than the data)
 */
export function validateBuildSpec(
  input: Partial<BuildSpec>,
  stored?: readonly Interval[],
): { spec: ValidBuildSpec; issues: string[] } {
  const issues: string[] = [];
  let base: Interval = DEFAULT_BASE;
  if (typeof input.baseInterval === "string" && isInterval(input.baseInterval)) base = input.baseInterval;
  else issues.push(`Base timeframe: ${String(input.baseInterval)} is not a known interval; using ${DEFAULT_BASE}`);
  let timeframes = validTimeframes(input.timeframes, base, issues);
  if (stored) {
    const buildable = buildableIntervals(stored);
    const missing = timeframes.filter((t) => !buildable.includes(t));
    if (missing.length > 0) {
      issues.push(
        `Timeframes: ${missing.join(", ")} cannot be built from the stored ${stored.join(", ") || "(none)"} candles (finer than the data, or not a multiple of it)`,
      );
      timeframes = timeframes.filter((t) => buildable.includes(t));
    }
  }
  let window: number = DEFAULT_WINDOW;
  if (isWhole(input.window) && input.window >= WINDOW_RANGE.min && input.window <= WINDOW_RANGE.max)
    window = input.window;
  else
    issues.push(
      `Window: ${String(input.window)} must be a whole number of steps in ${WINDOW_RANGE.min}..${WINDOW_RANGE.max}`,
    );
  const labelSpec = validLabelSpec(input.labelSpec, issues);
  const splitSpec = validSplitSpec(input.splitSpec, labelSpec.horizon, window, issues);
  const given = input.features ?? buildPreset(timeframes);
  const features = given.filter((f) => f.timeframe === null || timeframes.includes(f.timeframe));
  const dropped = given.filter((f) => !features.includes(f));
  if (dropped.length > 0)
    issues.push(
      `Features: ${dropped.map((f) => f.name).join(", ")} use${dropped.length === 1 ? "s" : ""} a timeframe that is not among the timeframes`,
    );
  if (features.length === 0) issues.push("Features: choose at least one feature");
  const aggregateFromBase = input.aggregateFromBase === true;
  return {
    spec: {
      baseInterval: base,
      timeframes,
      features,
      labelSpec,
      splitSpec,
      window,
      ...(aggregateFromBase ? { aggregateFromBase } : {}),
    },
    issues,
  };
}
