import type { AltOrigins } from "./features/alt-series";
import type { Interval } from "./intervals";
import type { ThresholdFit } from "./thresholds";

/**
 * One feature of a feature set: data, not code. `indicator` names an entry of the indicator
 * registry (lib/core/features), `timeframe` is the candle interval it is computed on (null for
 * features not tied to a timeframe, e.g. regime one-hot or alternative data).
 */
export interface FeatureSpec {
  /** Column name as users know it from the guide, e.g. "1h_rsi", "4h_adx", "regime_trend_up". */
  name: string;
  timeframe: Interval | null;
  indicator: string;
  params: Record<string, number | string | boolean>;
}

/** How forward returns become the 4 classes (see lib/core/labels). */
export interface LabelSpec {
  /** Forward horizon in base candles. Default 4. */
  horizon: number;
  /** |return| >= strong → STRONG_*. Fraction, default 0.015. */
  strong: number;
  /** |return| >= weak → BUY/SELL. Fraction, default 0.005. */
  weak: number;
  /** Returns inside ±weak: "sign" keeps them as BUY/SELL by sign, "exclude" drops them. */
  weakZone: "sign" | "exclude";
  /** When true, thresholds are multiplied by ATR(14)/close at t divided by its training median. */
  atrScaled: boolean;
  /**
   * "Fit thresholds": when set, strong and weak are chosen at build time from the training part's
   * forward returns so the rarest class holds at least this share (fraction, e.g. 0.15); weak
   * keeps its ratio to strong (lib/core/thresholds). Absent: the thresholds are used as given.
   */
  fitTarget?: number;
}

export interface SplitSpec {
  train: number;
  val: number;
  test: number;
  /** Rows dropped between parts so no label crosses a boundary (default: horizon). */
  purge: number;
  /** Rows dropped after each boundary so no window reaches back over it (default: window). */
  embargo: number;
}

/** Sample indices of each part: each entry is a row index t, the last row of the sample's window. */
export interface SplitIndices {
  train: Int32Array;
  val: Int32Array;
  test: Int32Array;
}

export interface Normalization {
  /** Per feature, fitted on the rows covered by training windows only. */
  mean: Float32Array;
  std: Float32Array;
}

/**
 * A built dataset: one [T, F] float32 matrix plus per-row labels; samples are 120-step windows
 * viewed over it (rows t-window+1 .. t), never materialised.
 */
export interface Dataset {
  version: 1;
  id: string;
  name: string;
  createdAt: number;
  symbol: string;
  /** True when built from the synthetic market (the UI always says so). */
  synthetic: boolean;
  baseInterval: Interval;
  timeframes: Interval[];
  features: FeatureSpec[];
  /** Names of features that used a documented neutral fallback because their source was missing. */
  fallbackFeatures: string[];
  /** Where each alternative source's values came from (absent in datasets built before it was kept). */
  altOrigin?: AltOrigins;
  /**
   * How synthetic alternative data was generated (seed, first candle's open time), so that the
   * live loop regenerates the same values after the data end. Absent otherwise.
   */
  syntheticAlt?: { seed: string; start: number };
  labelSpec: LabelSpec;
  splitSpec: SplitSpec;
  window: number;
  /** T: rows after warm-up rows were dropped. */
  rows: number;
  /** Open time (ms) of each row's base candle, [T]. */
  times: Float64Array;
  /** Close price of each row's base candle, [T] (backtests and golden vectors). */
  closes: Float64Array;
  /** Raw (unnormalised) features, row-major [T * F]. */
  matrix: Float32Array;
  /** Class per row, NO_LABEL (-1) when none, [T]. */
  labels: Int8Array;
  /** Forward return over the horizon (fraction), NaN when unknown, [T]. */
  forwardReturns: Float32Array;
  /**
   * ATR(14)/close of each row's base candle, [T]. Optional (added for ATR-scaled relabelling
   * when users edit thresholds); absent in datasets saved before it existed.
   */
  atrRatio?: Float32Array;
  split: SplitIndices;
  normalization: Normalization;
  /** What "fit thresholds" chose (labelSpec then holds the chosen strong / weak); absent otherwise. */
  thresholdFit?: ThresholdFit;
  /**
   * A multi-symbol dataset (lib/core/multi-symbol): the pooled symbols, in the order their row
   * blocks are stacked (each block ascending in time). Absent for one symbol.
   */
  symbols?: string[];
  /** Index into `symbols` of each row, [T]; blocks are contiguous. Present with `symbols`. */
  rowSymbol?: Uint8Array;
  /**
   * Per-symbol normalisation ("per symbol" setting): mean and std [S * F], symbol s's features
   * at s * F; fitted on that symbol's training-window rows. Absent: `normalization` (pooled) applies.
   */
  symbolNormalization?: Normalization;
}

/** What models see: a normalised matrix and the geometry of windows over it. */
export interface WindowSource {
  /** Normalised features, row-major [T * F]. */
  matrix: Float32Array;
  rows: number;
  features: number;
  window: number;
}

/** A set of samples: window end rows and their labels. */
export interface SampleSet {
  ends: Int32Array;
  labels: Uint8Array;
}
