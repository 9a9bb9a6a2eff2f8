import type { Gap } from "./candles";
import { CLASS_NAMES } from "./classes";
import type { Dataset } from "./dataset";
import { sampleEnds, type BuildStats } from "./build-dataset";
import { formatInt } from "./format";
import type { Interval } from "./intervals";
import { countLabels } from "./labels";
import type { ThresholdFit } from "./thresholds";

export type SignStatus = "good" | "warn" | "bad";

/** One of the guide's data-quality signs, judged on this dataset. */
export interface QualitySign {
  id: "samples" | "all-classes" | "worst-class" | "dominant-class" | "finite";
  label: string;
  status: SignStatus;
  detail: string;
  /** What to do when not good (the guide's troubleshooting advice). */
  remedy?: string;
}

export interface QualityReport {
  /** All labelled sample windows (what a full export holds). */
  samples: number;
  window: number;
  features: number;
  /** "15,840 x 120 x 42". */
  shape: string;
  rows: number;
  classCounts: { overall: number[]; train: number[]; val: number[]; test: number[] };
  nanCount: number;
  infCount: number;
  gaps: { interval: Interval; gaps: Gap[] }[];
  dropped?: { warmup: number; unaligned: number; nonFinite: number };
  constantFeatures: string[];
  fallbackFeatures: string[];
  signs: QualitySign[];
  /**
   * The label thresholds the dataset holds (fractions), and what "fit thresholds" chose when it
   * was used. Absent in reports stored before it existed.
   */
  thresholds?: { strong: number; weak: number; atrScaled: boolean; fit?: ThresholdFit };
  /** A multi-symbol dataset's report per symbol (its rows, samples and classes); absent for one symbol. */
  perSymbol?: SymbolQuality[];
  /** True when no sign is bad. */
  ok: boolean;
}

/** One symbol's part of a multi-symbol dataset's report. */
export interface SymbolQuality {
  symbol: string;
  rows: number;
  /** Labelled sample windows of this symbol (what a full export holds). */
  samples: number;
  classCounts: { overall: number[]; train: number[]; val: number[]; test: number[] };
  /** Share of the rarest class among its samples (the guide's sign: above 15%). */
  worstClass: number;
  /** Features constant over this symbol's rows. */
  constantFeatures: string[];
}

/** The per-symbol part of the report: each symbol's rows, samples, classes and constant features. */
export function symbolQuality(ds: Dataset): SymbolQuality[] | undefined {
  if (!ds.symbols || !ds.rowSymbol) return undefined;
  const rs = ds.rowSymbol;
  const F = ds.features.length;
  const ends = sampleEnds(ds);
  const of = (idx: Int32Array, s: number) =>
    countLabels(
      ds.labels,
      idx.filter((t) => rs[t] === s),
    );
  return ds.symbols.map((symbol, s) => {
    let first = -1;
    let rows = 0;
    for (let r = 0; r < ds.rows; r++)
      if (rs[r] === s) {
        if (first < 0) first = r;
        rows++;
      }
    const overall = of(ends, s);
    const n = overall.reduce((x, y) => x + y, 0);
    const constantFeatures = ds.features
      .filter((_, j) => {
        for (let r = first + 1; r < first + rows; r++)
          if (ds.matrix[r * F + j] !== ds.matrix[first * F + j]) return false;
        return rows > 0;
      })
      .map((f) => f.name);
    return {
      symbol,
      rows,
      samples: n,
      classCounts: { overall, train: of(ds.split.train, s), val: of(ds.split.val, s), test: of(ds.split.test, s) },
      worstClass: n ? Math.min(...overall) / n : 0,
      constantFeatures,
    };
  });
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/**
 * Data-quality report of a built dataset with the guide's good/bad signs: 10,000+ samples
 * (bad below 5,000), all four classes present, worst class above 15 %, no class above 80 %,
 * and no NaN/Inf in the matrix. `stats` (from buildDatasetDetailed) adds gaps and drops.
 */
export function qualityReport(ds: Dataset, stats?: BuildStats): QualityReport {
  const F = ds.features.length;
  const ends = sampleEnds(ds);
  const overall = countLabels(ds.labels, ends);
  let nanCount = 0;
  let infCount = 0;
  for (let k = 0; k < ds.matrix.length; k++) {
    const v = ds.matrix[k];
    if (Number.isNaN(v)) nanCount++;
    else if (!Number.isFinite(v)) infCount++;
  }
  const constantFeatures: string[] = [];
  for (let j = 0; j < F; j++) {
    let constant = ds.rows > 0;
    for (let r = 1; r < ds.rows && constant; r++) if (ds.matrix[r * F + j] !== ds.matrix[j]) constant = false;
    if (constant) constantFeatures.push(ds.features[j].name);
  }
  const n = ends.length;
  const perSymbol = symbolQuality(ds);
  const fr = overall.map((c) => (n ? c / n : 0));
  const worst = Math.min(...fr);
  const top = Math.max(...fr);
  const worstName = CLASS_NAMES[fr.indexOf(worst)];
  const topName = CLASS_NAMES[fr.indexOf(top)];
  const missing = CLASS_NAMES.filter((_, c) => overall[c] === 0);
  const thresholds = "adjust the labelling thresholds (strong / weak)";
  const signs: QualitySign[] = [
    {
      id: "samples",
      label: "10,000+ samples",
      status: n >= 10_000 ? "good" : n >= 5_000 ? "warn" : "bad",
      detail: `${formatInt(n)} samples`,
      remedy: n >= 10_000 ? undefined : "Collect more data (a longer date range; aim for 20,000+ samples).",
    },
    {
      id: "all-classes",
      label: "All 4 classes present",
      status: missing.length === 0 ? "good" : "bad",
      detail: missing.length === 0 ? "all present" : `missing: ${missing.join(", ")}`,
      remedy: missing.length === 0 ? undefined : `Missing classes: ${thresholds}.`,
    },
    {
      id: "worst-class",
      label: "Worst class above 15%",
      status: worst > 0.15 ? "good" : "bad",
      detail: `${worstName} ${pct(worst)}`,
      remedy:
        worst > 0.15
          ? undefined
          : `Class imbalance: ${thresholds} (e.g. lower the strong threshold) or use class weights.`,
    },
    {
      id: "dominant-class",
      label: "No class above 80%",
      status: top <= 0.8 ? "good" : "bad",
      detail: `${topName} ${pct(top)}`,
      remedy: top <= 0.8 ? undefined : `Severe imbalance: ${thresholds}.`,
    },
    {
      id: "finite",
      label: "No NaN / Inf values",
      status: nanCount + infCount === 0 ? "good" : "bad",
      detail: `${nanCount} NaN, ${infCount} Inf`,
      remedy: nanCount + infCount === 0 ? undefined : "Rebuild the dataset; check the source candles for bad values.",
    },
  ];
  return {
    samples: n,
    window: ds.window,
    features: F,
    shape: `${formatInt(n)} x ${ds.window} x ${F}`,
    rows: ds.rows,
    classCounts: {
      overall,
      train: countLabels(ds.labels, ds.split.train),
      val: countLabels(ds.labels, ds.split.val),
      test: countLabels(ds.labels, ds.split.test),
    },
    nanCount,
    infCount,
    gaps: stats?.gaps ?? [],
    dropped: stats
      ? { warmup: stats.droppedWarmup, unaligned: stats.droppedUnaligned, nonFinite: stats.droppedNonFinite }
      : undefined,
    constantFeatures,
    fallbackFeatures: [...ds.fallbackFeatures],
    signs,
    thresholds: {
      strong: ds.labelSpec.strong,
      weak: ds.labelSpec.weak,
      atrScaled: ds.labelSpec.atrScaled,
      ...(ds.thresholdFit ? { fit: { ...ds.thresholdFit } } : {}),
    },
    ...(perSymbol ? { perSymbol } : {}),
    ok: signs.every((s) => s.status !== "bad"),
  };
}

/** A drop above this share of the base candles (after warm-up) gets an explanation. */
export const LARGE_DROP_SHARE = 0.1;
/** Warm-up rows beyond which a long warm-up is explained (the preset's warm-up is ~135 rows at base 1h). */
export const LARGE_WARMUP_ROWS = 1_000;

/**
 * The dropped-rows line of a report, counts formatted ("26,674 rows without aligned candles"),
 * and, when a cause dropped more than LARGE_DROP_SHARE of the rows (warm-up: of all base rows;
 * the others: of the rows after warm-up), why it happens and what to do. Null without figures.
 */
export function droppedRowsText(report: Pick<QualityReport, "dropped" | "rows">): {
  line: string;
  explanation: string | null;
} | null {
  const d = report.dropped;
  if (!d) return null;
  const line = `Dropped rows: ${formatInt(d.warmup)} warm-up, ${formatInt(d.unaligned)} without aligned candles, ${formatInt(d.nonFinite)} non-finite.`;
  const after = report.rows + d.unaligned + d.nonFinite;
  const why: string[] = [];
  const all = after + d.warmup;
  // Indicator warm-up is typically a few hundred rows (135 at base 1h with the 4h preset); far
  // more usually means a timeframe's series starts later than the base's (no row before it has
  // every feature, so it counts as warm-up).
  if (all > 0 && d.warmup / all > LARGE_DROP_SHARE && d.warmup > LARGE_WARMUP_ROWS)
    why.push(
      `${formatInt(d.warmup)} of ${formatInt(all)} rows (${pct(d.warmup / all)}) came before the first row with every feature known. Indicator warm-up on the coarsest timeframe accounts for some; the rest means a timeframe's series (or the alternative data) starts later than the base series.`,
    );
  if (after > 0 && d.unaligned / after > LARGE_DROP_SHARE)
    why.push(
      `${formatInt(d.unaligned)} of ${formatInt(after)} rows (${pct(d.unaligned / after)}) had no closed candle of another timeframe to align to: that timeframe's stored series covers other dates or has gaps (typically it came from another file or source than the base). Aggregating the timeframes from the base series keeps these rows.`,
    );
  if (after > 0 && d.nonFinite / after > LARGE_DROP_SHARE)
    why.push(
      `${formatInt(d.nonFinite)} of ${formatInt(after)} rows (${pct(d.nonFinite / after)}) had a NaN or infinite feature (e.g. alternative data that stops before the candles, or flat prices): check the fallback and alternative-data notes.`,
    );
  return { line, explanation: why.length ? why.join(" ") : null };
}
