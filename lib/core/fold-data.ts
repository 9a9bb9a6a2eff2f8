/**
 * What the models of one walk-forward fold train on, fitted on that fold's training rows only:
 * normalisation statistics from the rows its training windows cover, and (ATR-scaled datasets)
 * label thresholds scaled by the median ATR of its training samples. Rows after the fold's last
 * training row never enter a statistic, so the training part's inputs are the same whether or not
 * later candles exist (the walk's truncation property; fold-data.test.ts proves it).
 */
import type { Dataset, Normalization, WindowSource } from "./dataset";
import { walkForwardFolds, type Fold, type WalkPlan, type WalkSpec } from "./folds";
import { intervalMs } from "./intervals";
import { NO_LABEL } from "./classes";
import { atrLabelScale, labelRows } from "./labels";
import { applyNormalization, fitNormalization } from "./normalize";
import { candidateEnds } from "./splits";

/** The dataset fields a fold is fitted from. */
export type FoldDataset = Pick<
  Dataset,
  "matrix" | "rows" | "features" | "window" | "labels" | "forwardReturns" | "atrRatio" | "labelSpec"
>;

export interface FoldData {
  /** The matrix normalised with this fold's statistics, [rows * features]. */
  source: WindowSource;
  normalization: Normalization;
  /** Class per row under this fold's thresholds (the dataset's own unless ATR-scaled), [rows]. */
  labels: Int8Array;
  /** The fold's sample ends per part, those without a label under `labels` dropped. */
  ends: { train: Int32Array; val: Int32Array; test: Int32Array };
}

/** The walk over a dataset: folds planned on the rows that can end a sample (lib/core/folds). */
export function planWalk(
  ds: Pick<Dataset, "times" | "forwardReturns" | "window" | "baseInterval">,
  spec: WalkSpec,
): WalkPlan {
  const candidates = candidateEnds(ds.times, ds.forwardReturns, ds.window, intervalMs(ds.baseInterval));
  return walkForwardFolds(ds.times, candidates, spec);
}

/**
 * Fold `fold`'s data: labels (ATR thresholds scaled by the median over the fold's training ends),
 * then normalisation fitted on the rows covered by the labelled training windows.
 */
export function foldData(ds: FoldDataset, fold: Pick<Fold, "train" | "val" | "test">): FoldData {
  const features = ds.features.length;
  const labels =
    ds.labelSpec.atrScaled && ds.atrRatio
      ? labelRows(ds.forwardReturns, ds.labelSpec, atrLabelScale(ds.atrRatio, fold.train))
      : ds.labels;
  const keep = (ends: Int32Array) => ends.filter((t) => labels[t] !== NO_LABEL);
  const ends = { train: keep(fold.train), val: keep(fold.val), test: keep(fold.test) };
  const normalization = fitNormalization(ds.matrix, ds.rows, features, ends.train, ds.window);
  return {
    source: {
      matrix: applyNormalization(ds.matrix, features, normalization),
      rows: ds.rows,
      features,
      window: ds.window,
    },
    normalization,
    labels,
    ends,
  };
}
