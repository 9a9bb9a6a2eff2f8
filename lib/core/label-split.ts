import type { CandleColumns } from "./candles";
import { NO_LABEL } from "./classes";
import type { LabelSpec, SplitIndices, SplitSpec } from "./dataset";
import { atr } from "./indicators/atr";
import { atrLabelScale, classBalance, forwardReturns, labelRows, type ClassBalance } from "./labels";
import { candidateEnds, chronologicalSplit, chronologicalSplitByTime } from "./splits";
import { fitThresholds, type ThresholdFit } from "./thresholds";

/** ATR period of ATR-scaled labels (ATR(14)/close, see LabelSpec.atrScaled). */
export const LABEL_ATR_PERIOD = 14;

/** What labelling and splitting decide: the build stores it, the Dataset page's preview shows it. */
export interface LabelledSplit {
  /** Label per row [T] (NO_LABEL where unknown, excluded or flat). */
  labels: Int8Array;
  /** Sample ends per part, rows with NO_LABEL dropped. */
  split: SplitIndices;
  /** Per part, the class balance of its candidate ends before NO_LABEL rows were dropped. */
  balance: Record<keyof SplitIndices, ClassBalance>;
  /** The spec the labels were made with: the given one, or its thresholds fitted on training rows. */
  labelSpec: LabelSpec;
  /** What "fit thresholds" chose (labelSpec.fitTarget), when asked. */
  thresholdFit?: ThresholdFit;
}

export interface LabelSplitInput {
  /** Open times (UTC ms) of the rows, ascending [T]. */
  times: ArrayLike<number>;
  /**
   * Forward returns per row [T], in float64 straight from the prices (forwardReturns): a move of
   * exactly −1.5% rounded to float32 is −0.0149999…, which would be SELL, not STRONG_SELL.
   */
  forwardReturns: ArrayLike<number>;
  /** ATR(14)/close per row [T]; only read when labelSpec.atrScaled. */
  atrRatio?: ArrayLike<number>;
  /** Base interval in ms. */
  intervalMs: number;
  window: number;
  labelSpec: LabelSpec;
  splitSpec: SplitSpec;
  /**
   * Symbol index per row [T] for a dataset pooling several symbols (stacked in blocks): windows
   * stay inside a block and the split is by time, so every symbol's test part is the same period.
   */
  rowSymbol?: ArrayLike<number>;
}

/**
 * Labels and split from forward returns: candidates (full gap-free window, known return) are
 * split chronologically with purge/embargo BEFORE labelling, so boundaries never depend on the
 * thresholds; ATR scaling uses the training candidates' median only, fitted thresholds
 * (labelSpec.fitTarget) the training candidates' returns only; ends whose label is
 * NO_LABEL ("exclude" zone, or an exact-zero return with no sign) are then dropped from every
 * part. One pass per step over the rows: cheap enough to rerun on every threshold edit.
 */
export function labelAndSplit(input: LabelSplitInput): LabelledSplit {
  const { times, forwardReturns: fwd, window, intervalMs, labelSpec, splitSpec } = input;
  const candidates = candidateEnds(times, fwd, window, intervalMs, input.rowSymbol);
  const parts = input.rowSymbol
    ? chronologicalSplitByTime(candidates, times, splitSpec, intervalMs)
    : chronologicalSplit(candidates, splitSpec);
  if (labelSpec.atrScaled && !input.atrRatio) throw new Error("ATR-scaled labels need the ATR ratio per row");
  const scale = labelSpec.atrScaled && input.atrRatio ? atrLabelScale(input.atrRatio, parts.train) : undefined;
  const thresholdFit =
    labelSpec.fitTarget === undefined
      ? undefined
      : fitThresholds(fwd, parts.train, labelSpec, labelSpec.fitTarget, scale);
  const spec = thresholdFit ? { ...labelSpec, strong: thresholdFit.strong, weak: thresholdFit.weak } : labelSpec;
  const labels = labelRows(fwd, spec, scale);
  const keep = (ends: Int32Array) => ends.filter((t) => labels[t] !== NO_LABEL);
  const balanceOf = (ends: Int32Array) => classBalance(fwd, spec, ends, scale);
  return {
    labels,
    split: { train: keep(parts.train), val: keep(parts.val), test: keep(parts.test) },
    balance: { train: balanceOf(parts.train), val: balanceOf(parts.val), test: balanceOf(parts.test) },
    labelSpec: spec,
    ...(thresholdFit ? { thresholdFit } : {}),
  };
}

/**
 * What labels are made from, per base candle: the float64 forward return over `horizon` candles
 * (NaN across a gap or past the end) and ATR(14)/close. The build and the preview both call it.
 * @returns forwardReturns [n], atrRatio [n]
 */
export function labelInputs(
  candles: Pick<CandleColumns, "openTime" | "close" | "high" | "low">,
  intervalMs: number,
  horizon: number,
): { forwardReturns: Float64Array; atrRatio: Float64Array } {
  const fwd = forwardReturns(candles.openTime, candles.close, intervalMs, horizon);
  const a = atr(candles.high, candles.low, candles.close, LABEL_ATR_PERIOD);
  const atrRatio = new Float64Array(candles.close.length);
  for (let i = 0; i < atrRatio.length; i++) atrRatio[i] = a[i] / candles.close[i];
  return { forwardReturns: fwd, atrRatio };
}

/**
 * The Dataset page's live preview: labelInputs and labelAndSplit, the build's own code, run on
 * the stored base candles. It differs from the built dataset only by the rows the build drops
 * for features (indicator warm-up at the start, candles another timeframe lacks), which it
 * cannot know without computing the features.
 */
export function previewLabelSplit(
  candles: Pick<CandleColumns, "openTime" | "close" | "high" | "low">,
  intervalMs: number,
  window: number,
  labelSpec: LabelSpec,
  splitSpec: SplitSpec,
): LabelledSplit {
  const inputs = labelInputs(candles, intervalMs, labelSpec.horizon);
  return labelAndSplit({ times: candles.openTime, ...inputs, intervalMs, window, labelSpec, splitSpec });
}
