import type { Interval } from "@/lib/core/intervals";
import type { LabelSpec, SplitSpec } from "@/lib/core/dataset";
import type { MetricVerdict } from "@/lib/eval/verdict";

/**
 * What a share link carries: a read-only summary of one run. Only these fields ever leave the
 * page (the encoder strips anything else): no API keys, no candles, no feature matrix, no weights.
 * Numbers are rounded to 4 significant digits when encoded; curves and equity are down-sampled.
 */
export const SHARE_VERSION = 1 as const;

/** Parameter values of a model configuration (e.g. {dModel: 64, heads: 4, dropout: 0.1}). */
export type SharedParams = Record<string, number | string | boolean>;

export interface SharedModelConfig {
  /** Stable id, e.g. "transformer", "lstm", "forest". */
  id: string;
  params: SharedParams;
}

export interface SharedConfig {
  symbol: string;
  baseInterval: Interval;
  timeframes: Interval[];
  /** Open time (UTC ms) of the first and last base candle used. */
  start: number;
  end: number;
  window: number;
  numFeatures: number;
  /** Samples per part. */
  samples: { train: number; val: number; test: number };
  labelSpec: LabelSpec;
  splitSpec: SplitSpec;
  models: SharedModelConfig[];
}

/** Metrics on the test part; per-class arrays are in label order (4 entries). */
export interface SharedMetrics {
  accuracy: number;
  balancedAccuracy: number;
  macroF1: number;
  /** Null when not defined (e.g. a baseline without probabilities). */
  logLoss: number | null;
  precision: number[];
  recall: number[];
  /** 95% block-bootstrap intervals [lo, hi] (absent in links made before them). */
  ci95?: { accuracy: [number, number]; balancedAccuracy: [number, number]; logLoss: [number, number] | null };
}

/** A training curve, down-sampled to at most MAX_CURVE_POINTS epochs. */
export interface SharedCurve {
  /** 1-based epoch numbers of the kept points. */
  epoch: number[];
  loss: number[];
  acc: number[];
  valLoss: number[];
  valAcc: number[];
  /** Epoch whose weights were kept (early stopping). */
  bestEpoch?: number;
}

export interface SharedResult {
  /** "transformer", "lstm", "forest", "ensemble", "ensemble-learned", "majority", ... */
  id: string;
  /** Display name. */
  label: string;
  kind: "model" | "ensemble" | "baseline";
  metrics: SharedMetrics;
  /** 4x4 counts, rows = true class, columns = predicted class. */
  confusion: number[][];
  curve?: SharedCurve;
}

export interface SharedImportance {
  name: string;
  value: number;
}

export interface SharedBacktest {
  /** Result id whose signals were traded. */
  model: string;
  /** Fractions (0.12 = +12%). */
  totalReturn: number;
  buyHoldReturn: number;
  sharpe: number;
  winRate: number;
  maxDrawdown: number;
  /** Null when there were no losing trades. */
  profitFactor: number | null;
  trades: number;
  feeBps: number;
  /** The rest of the settings traded with (absent in links made before they were shared). */
  longOnly?: boolean;
  minConfidence?: number;
  sizing?: "confidence" | "full";
  /** Equity (starting at 1) and buy-and-hold, down-sampled to at most MAX_EQUITY_POINTS, same length. */
  equity: number[];
  buyHold: number[];
  /** Open times (UTC ms) of the first and last point. */
  start: number;
  end: number;
  /** 95% block-bootstrap intervals [lo, hi] of total return and Sharpe (absent in older links). */
  ci95?: { totalReturn: [number, number]; sharpe: [number, number] };
  /** Probability that the true Sharpe is above 0 (PSR, Bailey & López de Prado), per-bar returns. */
  probabilisticSharpe?: number;
}

/** How the intervals and the verdict were computed. */
export interface SharedUncertainty {
  method: "stationary-block-bootstrap";
  /** Mean block length, candles. */
  blockLength: number;
  resamples: number;
  seed: number;
  /** Family-wise level of the verdict per metric (Holm). */
  alpha: number;
}

export interface SharedWeight {
  model: string;
  weight: number;
}

export interface SharedEnsemble {
  /** The fixed weights used (default 50/30/20). */
  weights: SharedWeight[];
  /** Weights learned on validation, when computed. */
  learned?: SharedWeight[];
}

export interface SharedRun {
  v: typeof SHARE_VERSION;
  /** UTC ms. */
  createdAt: number;
  title?: string;
  /** True when the data came from the synthetic market (the dashboard says so). */
  synthetic: boolean;
  /** Data fingerprint (16 hex chars, see lib/export/hash.ts). */
  fingerprint: string;
  config: SharedConfig;
  results: SharedResult[];
  /** Top features, at most MAX_IMPORTANCES, largest first. */
  importances: SharedImportance[];
  /** Where importances come from, e.g. "forest-impurity" or "permutation". */
  importanceSource?: string;
  backtest?: SharedBacktest;
  ensemble: SharedEnsemble;
  /** Models against the best baseline, paired block bootstrap with Holm (absent in older links). */
  verdict?: MetricVerdict[];
  uncertainty?: SharedUncertainty;
}

export const SHARE_LIMITS = {
  /** Max characters of the payload after "#run=" (rejected before any decoding). */
  maxLinkChars: 16_384,
  /** Max bytes after inflating (JSON text). */
  maxInflatedBytes: 131_072,
  maxCurvePoints: 60,
  maxEquityPoints: 200,
  maxImportances: 50,
  maxResults: 16,
  maxModels: 8,
  maxParams: 40,
} as const;
