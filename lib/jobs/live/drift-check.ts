/** Drift of a deployed run: its features on the candles after its data end against its training rows. */
import type { CandleColumns } from "@/lib/core/candles";
import type { Dataset } from "@/lib/core/dataset";
import type { AltInputs } from "@/lib/core/features/alt-series";
import { computeFeatureRows } from "@/lib/core/features/compute";
import type { Interval } from "@/lib/core/intervals";
import { trainingRowMask } from "@/lib/core/normalize";
import { featureDrift, retrainAdvice, type FeatureDrift, type RetrainAdvice } from "@/lib/live/drift";

export interface DriftCheck {
  /** Valid rows after the data end that were compared (the newest `maxRows` at most). */
  rows: number;
  features: FeatureDrift[];
  advice: RetrainAdvice;
}

/**
 * Features of the stored candles by the dataset's code, rows after the dataset's last row, the
 * newest `maxRows` (default 500), compared with the rows the run trained on (PSI, bins fitted on
 * those training rows).
 */
export function checkDrift(
  ds: Dataset,
  candles: Partial<Record<Interval, CandleColumns>>,
  trainedAt: number,
  now: number,
  opts: { alt?: AltInputs; maxRows?: number; cadenceDays?: number } = {},
): DriftCheck {
  const rows = computeFeatureRows({ candles, baseInterval: ds.baseInterval, features: ds.features, alt: opts.alt });
  const F = ds.features.length;
  const end = ds.times[ds.rows - 1];
  const recent: number[] = [];
  for (let i = 0; i < rows.baseRows; i++) if (rows.valid[i] && rows.times[i] > end) recent.push(i);
  const take = recent.slice(-(opts.maxRows ?? 500));
  const matrix = new Float32Array(take.length * F);
  take.forEach((i, r) => matrix.set(rows.values.subarray(i * F, (i + 1) * F), r * F));
  const mask = trainingRowMask(ds.rows, ds.split.train, ds.window);
  const features = take.length
    ? featureDrift(
        ds.features.map((f) => f.name),
        ds.matrix,
        mask,
        matrix,
      )
    : [];
  return { rows: take.length, features, advice: retrainAdvice(features, trainedAt, now, opts.cadenceDays) };
}
