import { findGaps, type CandleColumns, type Gap } from "./candles";
import { NO_LABEL } from "./classes";
import type { Dataset, FeatureSpec, LabelSpec, SplitSpec } from "./dataset";
import { intervalMs, type Interval } from "./intervals";
import { DEFAULT_LABEL_SPEC, forwardReturns } from "./labels";
import { labelAndSplit, labelInputs } from "./label-split";
import { fitNormalization, fitSymbolNormalization } from "./normalize";
import { candidateEnds, defaultSplitSpec } from "./splits";
import type { AltInputs } from "./features/alt-series";
import { computeFeatureRows, featureTimeframes } from "./features/compute";
import { DEFAULT_BASE, defaultPreset } from "./features/presets";

export const DEFAULT_WINDOW = 120;

export interface BuildDatasetInput {
  /** Candles per timeframe (closed candles, ascending, unique). */
  candles: Partial<Record<Interval, CandleColumns>>;
  /** Base timeframe; default "1h". */
  baseInterval?: Interval;
  /** Feature list; default the 42-feature preset (15m / 1h / 4h). */
  features?: readonly FeatureSpec[];
  alt?: AltInputs;
  labelSpec?: Partial<LabelSpec>;
  /** Default 70 / 15 / 15, purge = horizon, embargo = window. */
  splitSpec?: Partial<SplitSpec>;
  /** Steps per sample window; default 120. */
  window?: number;
  symbol: string;
  synthetic?: boolean;
  name?: string;
  id?: string;
  createdAt?: number;
}

/** What the build met and dropped (for the quality report). */
export interface BuildStats {
  /** Base candles given. */
  baseCandles: number;
  /** Invalid rows before the first valid one (indicator warm-up). */
  droppedWarmup: number;
  /** Later rows dropped because another timeframe lacked its closed candle. */
  droppedUnaligned: number;
  /** Later rows dropped because a feature was NaN/Inf (e.g. stale alternative data). */
  droppedNonFinite: number;
  /** Gaps per timeframe in the given candles. */
  gaps: { interval: Interval; gaps: Gap[] }[];
  /** Rows that can end a sample (full gap-free window, known forward return). */
  candidates: number;
  buildMs: number;
}

/**
 * Builds a dataset: features for every base candle (computeFeatureRows: closed candles only),
 * invalid rows dropped (warm-up, unaligned, NaN/Inf; never zero-filled), forward returns and
 * labels, chronological purged split, normalisation fitted on training-window rows.
 * Output matrix is [T, F] float32; samples stay views (see windows.ts).
 */
export function buildDatasetDetailed(input: BuildDatasetInput): { dataset: Dataset; stats: BuildStats } {
  const t0 = performance.now();
  const base = input.baseInterval ?? DEFAULT_BASE;
  const features = input.features ? [...input.features] : defaultPreset();
  const window = input.window ?? DEFAULT_WINDOW;
  const labelSpec: LabelSpec = { ...DEFAULT_LABEL_SPEC, ...input.labelSpec };
  const splitSpec: SplitSpec = { ...defaultSplitSpec(labelSpec.horizon, window), ...input.splitSpec };
  const baseMs = intervalMs(base);
  const rowsAll = computeFeatureRows({ candles: input.candles, baseInterval: base, features, alt: input.alt });
  const bc = input.candles[base]!;
  const { forwardReturns: fwdAll, atrRatio: atrAll } = labelInputs(bc, baseMs, labelSpec.horizon);

  const B = rowsAll.baseRows;
  const F = features.length;
  let first = 0;
  while (first < B && !rowsAll.valid[first]) first++;
  let T = 0;
  let droppedUnaligned = 0;
  let droppedNonFinite = 0;
  for (let i = first; i < B; i++) {
    if (rowsAll.valid[i]) T++;
    else if (!rowsAll.aligned[i]) droppedUnaligned++;
    else droppedNonFinite++;
  }
  const times = new Float64Array(T);
  const closes = new Float64Array(T);
  const matrix = new Float32Array(T * F);
  // Labels are decided in float64 (returns and ATR ratios straight from the prices); only the
  // stored copies are float32. A move of exactly -1.5% rounded to float32 was SELL, not STRONG_SELL.
  const fwd64 = new Float64Array(T);
  const atr64 = new Float64Array(T);
  for (let i = first, r = 0; i < B; i++) {
    if (!rowsAll.valid[i]) continue;
    times[r] = rowsAll.times[i];
    closes[r] = rowsAll.closes[i];
    matrix.set(rowsAll.values.subarray(i * F, i * F + F), r * F);
    fwd64[r] = fwdAll[i];
    atr64[r] = atrAll[i];
    r++;
  }
  const labelled = labelAndSplit({
    times,
    forwardReturns: fwd64,
    atrRatio: atr64,
    intervalMs: baseMs,
    window,
    labelSpec,
    splitSpec,
  });
  const { labels, split } = labelled;
  const fwd = Float32Array.from(fwd64);
  const atrRatio = Float32Array.from(atr64);
  const normalization = fitNormalization(matrix, T, F, split.train, window);
  const createdAt = input.createdAt ?? Date.now();
  const timeframes = featureTimeframes(features, base);
  const dataset: Dataset = {
    version: 1,
    id: input.id ?? `ds-${input.symbol}-${base}-${createdAt}`,
    name: input.name ?? `${input.symbol} ${timeframes.join("/")} (base ${base})${input.synthetic ? " synthetic" : ""}`,
    createdAt,
    symbol: input.symbol,
    synthetic: input.synthetic ?? false,
    baseInterval: base,
    timeframes,
    features,
    fallbackFeatures: rowsAll.fallbackFeatures,
    labelSpec: labelled.labelSpec,
    splitSpec,
    window,
    rows: T,
    times,
    closes,
    matrix,
    labels,
    forwardReturns: fwd,
    atrRatio,
    split,
    normalization,
    ...(labelled.thresholdFit ? { thresholdFit: labelled.thresholdFit } : {}),
  };
  const stats: BuildStats = {
    baseCandles: B,
    droppedWarmup: first,
    droppedUnaligned,
    droppedNonFinite,
    gaps: timeframes.map((tf) => ({ interval: tf, gaps: findGaps(input.candles[tf]!.openTime, intervalMs(tf)) })),
    candidates: candidateEnds(times, fwd, window, baseMs).length,
    buildMs: performance.now() - t0,
  };
  return { dataset, stats };
}

/** buildDatasetDetailed without the stats. */
export function buildDataset(input: BuildDatasetInput): Dataset {
  return buildDatasetDetailed(input).dataset;
}

/**
 * Same features, new label and/or split spec (the UI's threshold editor): recomputes forward
 * returns in float64 from the stored closes, labels, split and normalisation; the matrix is shared.
 */
export function relabelDataset(ds: Dataset, labelSpec: Partial<LabelSpec>, splitSpec?: Partial<SplitSpec>): Dataset {
  const ls: LabelSpec = { ...ds.labelSpec, ...labelSpec };
  const ss: SplitSpec = {
    ...ds.splitSpec,
    ...(ls.horizon !== ds.labelSpec.horizon && !splitSpec?.purge ? { purge: ls.horizon } : {}),
    ...splitSpec,
  };
  const baseMs = intervalMs(ds.baseInterval);
  const fwd64 = forwardReturnsByBlock(ds.times, ds.closes, baseMs, ls.horizon, ds.rowSymbol);
  // Same horizon: where the candle h steps later was dropped from the rows (unaligned, non-finite
  // features), the stored float32 return is the only record of it left.
  if (ls.horizon === ds.labelSpec.horizon)
    for (let t = 0; t < ds.rows; t++)
      if (!Number.isFinite(fwd64[t]) && Number.isFinite(ds.forwardReturns[t])) fwd64[t] = ds.forwardReturns[t];
  const atrRatio = ds.atrRatio ?? new Float32Array(ds.rows).fill(NaN);
  const {
    labels,
    split,
    labelSpec: fitted,
    thresholdFit,
  } = labelAndSplit({
    times: ds.times,
    forwardReturns: fwd64,
    atrRatio,
    intervalMs: baseMs,
    window: ds.window,
    labelSpec: ls,
    splitSpec: ss,
    rowSymbol: ds.rowSymbol,
  });
  const fwd = Float32Array.from(fwd64);
  const F = ds.features.length;
  const normalization = fitNormalization(ds.matrix, ds.rows, F, split.train, ds.window);
  const symbolNormalization =
    ds.symbolNormalization && ds.rowSymbol && ds.symbols
      ? fitSymbolNormalization(
          ds.matrix,
          ds.rows,
          F,
          split.train,
          ds.window,
          ds.rowSymbol,
          ds.symbols.length,
          symbolOneHotColumns(ds.features),
        )
      : undefined;
  // A fit of the old spec must not outlive it: drop it, then keep the new one if any.
  const { thresholdFit: _old, ...rest } = ds;
  return {
    ...rest,
    labelSpec: fitted,
    splitSpec: ss,
    labels,
    forwardReturns: fwd,
    split,
    normalization,
    ...(thresholdFit ? { thresholdFit } : {}),
    ...(symbolNormalization ? { symbolNormalization } : {}),
  };
}

/** The indicator name of the symbol one-hot columns of a multi-symbol dataset. */
export const SYMBOL_ONE_HOT = "symbol_onehot";

/** Column indices of the symbol one-hot features. */
export function symbolOneHotColumns(features: readonly FeatureSpec[]): number[] {
  return features.flatMap((f, j) => (f.indicator === SYMBOL_ONE_HOT ? [j] : []));
}

/**
 * Forward returns of stacked rows, computed inside each symbol's block (`rowSymbol`) so no
 * return reaches into another symbol's prices; one block when absent. [T] float64 (labels are
 * decided on these, see label-split.ts)
 */
export function forwardReturnsByBlock(
  times: Float64Array,
  closes: Float64Array,
  baseMs: number,
  horizon: number,
  rowSymbol?: Uint8Array,
): Float64Array {
  const out = new Float64Array(times.length);
  for (let a = 0; a < times.length;) {
    let b = a + 1;
    while (rowSymbol && b < times.length && rowSymbol[b] === rowSymbol[a]) b++;
    if (!rowSymbol) b = times.length;
    out.set(forwardReturns(times.subarray(a, b), closes.subarray(a, b), baseMs, horizon), a);
    a = b;
  }
  return out;
}

/**
 * Every labelled sample end (full gap-free window and a label), including rows that the split
 * purges: what a full .npz export contains. Ascending. [N]
 */
export function sampleEnds(ds: Dataset): Int32Array {
  return candidateEnds(ds.times, ds.forwardReturns, ds.window, intervalMs(ds.baseInterval), ds.rowSymbol).filter(
    (t) => ds.labels[t] !== NO_LABEL,
  );
}
