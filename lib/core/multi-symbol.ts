/**
 * Multi-symbol datasets: several symbols pooled into one Dataset. Features are computed per
 * symbol (each on its own candles), their rows stacked one symbol block after another (each
 * block ascending in time, `rowSymbol` naming the block), windows never cross a block, and ONE
 * chronological split by time serves every symbol (every symbol's test block in the same period,
 * purge and embargo in time), so no symbol's future informs another's training. Normalisation
 * and label fits (ATR median, fitted thresholds) use the pooled training part only.
 */
import type { AltInputs } from "./features/alt-series";
import { defaultPreset, DEFAULT_BASE } from "./features/presets";
import type { CandleColumns } from "./candles";
import type { Dataset, FeatureSpec, LabelSpec, SplitSpec } from "./dataset";
import {
  buildDatasetDetailed,
  DEFAULT_WINDOW,
  forwardReturnsByBlock,
  SYMBOL_ONE_HOT,
  symbolOneHotColumns,
  type BuildStats,
} from "./build-dataset";
import { intervalMs, type Interval } from "./intervals";
import { labelAndSplit } from "./label-split";
import { DEFAULT_LABEL_SPEC } from "./labels";
import { fitNormalization, fitSymbolNormalization } from "./normalize";
import { defaultSplitSpec } from "./splits";

/** The most symbols one dataset pools (rowSymbol is a Uint8Array). */
export const MAX_POOLED_SYMBOLS = 32;

export interface SymbolInput {
  symbol: string;
  /** Candles per timeframe (closed, ascending, unique), as buildDataset takes them. */
  candles: Partial<Record<Interval, CandleColumns>>;
  alt?: AltInputs;
  synthetic?: boolean;
}

export interface MultiSymbolInput {
  symbols: SymbolInput[];
  baseInterval?: Interval;
  /** Features computed for every symbol; default the 42-feature preset. */
  features?: readonly FeatureSpec[];
  labelSpec?: Partial<LabelSpec>;
  splitSpec?: Partial<SplitSpec>;
  window?: number;
  /** "pooled" (default): one mean/std over all symbols' training rows; "per-symbol": each its own. */
  normalization?: "pooled" | "per-symbol";
  /** Append one 0/1 column per symbol ("symbol_<NAME>") so models can tell the symbols apart. */
  symbolOneHot?: boolean;
  name?: string;
  id?: string;
  createdAt?: number;
}

/** What each symbol's build met and dropped, plus the pooled build's time. */
export interface MultiSymbolStats {
  perSymbol: { symbol: string; stats: BuildStats }[];
  /** Pooled: the per-symbol stats summed (gaps of every symbol, named by interval). */
  pooled: BuildStats;
}

/**
 * The dataset's one symbol field for several symbols: the names joined by "_" when that fits in
 * 20 characters (what share links carry), else "<first>_AND_<n-1>".
 */
export function pooledSymbolLabel(symbols: readonly string[]): string {
  const joined = symbols.join("_");
  return joined.length <= 20 ? joined : `${symbols[0].slice(0, 12)}_AND_${symbols.length - 1}`;
}

/** Symbol one-hot feature specs, one per symbol, in order. */
export function symbolOneHotFeatures(symbols: readonly string[]): FeatureSpec[] {
  return symbols.map((s) => ({
    name: `symbol_${s}`,
    timeframe: null,
    indicator: SYMBOL_ONE_HOT,
    params: { symbol: s },
  }));
}

/**
 * Builds one dataset of several symbols. Shapes: matrix [T, F (+ S with the one-hot)], T the
 * sum of the symbols' rows; rowSymbol [T]; with per-symbol normalisation symbolNormalization
 * [S * F]. Throws on fewer than 2 or more than MAX_POOLED_SYMBOLS symbols, or a repeated one.
 */
export function buildMultiSymbolDataset(input: MultiSymbolInput): { dataset: Dataset; stats: MultiSymbolStats } {
  const t0 = performance.now();
  const names = input.symbols.map((s) => s.symbol);
  if (names.length < 2 || names.length > MAX_POOLED_SYMBOLS)
    throw new Error(`A multi-symbol dataset pools 2..${MAX_POOLED_SYMBOLS} symbols, not ${names.length}`);
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated) throw new Error(`Symbol ${repeated} is given twice`);
  const base = input.baseInterval ?? DEFAULT_BASE;
  const baseMs = intervalMs(base);
  const window = input.window ?? DEFAULT_WINDOW;
  const labelSpec: LabelSpec = { ...DEFAULT_LABEL_SPEC, ...input.labelSpec };
  const splitSpec: SplitSpec = { ...defaultSplitSpec(labelSpec.horizon, window), ...input.splitSpec };
  const features = input.features ? [...input.features] : defaultPreset();
  // Per symbol: features, dropped rows and forward returns (inside its own prices). Its own
  // labels, split and normalisation are not used: they are redone pooled below.
  const plainLabels = { ...labelSpec, atrScaled: false, fitTarget: undefined };
  const built = input.symbols.map((s) =>
    buildDatasetDetailed({
      candles: s.candles,
      baseInterval: base,
      features,
      alt: s.alt,
      labelSpec: plainLabels,
      splitSpec,
      window,
      symbol: s.symbol,
      synthetic: s.synthetic,
    }),
  );
  const S = names.length;
  const F0 = features.length;
  const allFeatures = input.symbolOneHot ? [...features, ...symbolOneHotFeatures(names)] : features;
  const F = allFeatures.length;
  const T = built.reduce((n, b) => n + b.dataset.rows, 0);
  const times = new Float64Array(T);
  const closes = new Float64Array(T);
  const matrix = new Float32Array(T * F);
  const fwd = new Float32Array(T);
  const atrRatio = new Float32Array(T);
  const rowSymbol = new Uint8Array(T);
  let r0 = 0;
  built.forEach(({ dataset: d }, s) => {
    times.set(d.times, r0);
    closes.set(d.closes, r0);
    fwd.set(d.forwardReturns, r0);
    atrRatio.set(d.atrRatio!, r0);
    rowSymbol.fill(s, r0, r0 + d.rows);
    for (let r = 0; r < d.rows; r++) {
      const o = (r0 + r) * F;
      matrix.set(d.matrix.subarray(r * F0, r * F0 + F0), o);
      if (input.symbolOneHot) matrix[o + F0 + s] = 1;
    }
    r0 += d.rows;
  });
  // Labels are decided in float64 from the prices, as for one symbol (label-split.ts): within each
  // symbol's block; where a later candle was dropped from the rows, the stored return stands in.
  const fwd64 = forwardReturnsByBlock(times, closes, baseMs, labelSpec.horizon, rowSymbol);
  for (let t = 0; t < T; t++) if (!Number.isFinite(fwd64[t]) && Number.isFinite(fwd[t])) fwd64[t] = fwd[t];
  const labelled = labelAndSplit({
    times,
    forwardReturns: fwd64,
    atrRatio,
    intervalMs: baseMs,
    window,
    labelSpec,
    splitSpec,
    rowSymbol,
  });
  const { labels, split } = labelled;
  const normalization = fitNormalization(matrix, T, F, split.train, window);
  const symbolNormalization =
    input.normalization === "per-symbol"
      ? fitSymbolNormalization(matrix, T, F, split.train, window, rowSymbol, S, symbolOneHotColumns(allFeatures))
      : undefined;
  const createdAt = input.createdAt ?? Date.now();
  const first = built[0].dataset;
  const symbol = pooledSymbolLabel(names);
  const synthetic = input.symbols.some((s) => s.synthetic === true);
  const fallbackFeatures = [...new Set(built.flatMap((b) => b.dataset.fallbackFeatures))];
  const dataset: Dataset = {
    version: 1,
    id: input.id ?? `ds-${symbol}-${base}-${createdAt}`,
    name:
      input.name ?? `${names.join(" + ")} ${first.timeframes.join("/")} (base ${base})${synthetic ? " synthetic" : ""}`,
    createdAt,
    symbol,
    synthetic,
    baseInterval: base,
    timeframes: first.timeframes,
    features: allFeatures,
    fallbackFeatures,
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
    symbols: names,
    rowSymbol,
    ...(symbolNormalization ? { symbolNormalization } : {}),
  };
  const sum = (k: "baseCandles" | "droppedWarmup" | "droppedUnaligned" | "droppedNonFinite" | "candidates") =>
    built.reduce((n, b) => n + b.stats[k], 0);
  const pooled: BuildStats = {
    baseCandles: sum("baseCandles"),
    droppedWarmup: sum("droppedWarmup"),
    droppedUnaligned: sum("droppedUnaligned"),
    droppedNonFinite: sum("droppedNonFinite"),
    gaps: built.flatMap((b) => b.stats.gaps),
    candidates: sum("candidates"),
    buildMs: performance.now() - t0,
  };
  return { dataset, stats: { perSymbol: built.map((b, s) => ({ symbol: names[s], stats: b.stats })), pooled } };
}

/**
 * Positions in split.test of each symbol's test samples, for a multi-symbol dataset; null for
 * one symbol. [symbols][n_s], ascending.
 */
export function testPositionsBySymbol(dataset: Pick<Dataset, "split" | "symbols" | "rowSymbol">): Int32Array[] | null {
  return partPositionsBySymbol(dataset, "test");
}

/** Positions in split[part] of each symbol's samples, as testPositionsBySymbol does for the test part. */
export function partPositionsBySymbol(
  dataset: Pick<Dataset, "split" | "symbols" | "rowSymbol">,
  part: "val" | "test",
): Int32Array[] | null {
  const { symbols, rowSymbol } = dataset;
  if (!symbols || !rowSymbol) return null;
  const test = dataset.split[part];
  return symbols.map((_, s) => {
    const out: number[] = [];
    for (let i = 0; i < test.length; i++) if (rowSymbol[test[i]] === s) out.push(i);
    return Int32Array.from(out);
  });
}
