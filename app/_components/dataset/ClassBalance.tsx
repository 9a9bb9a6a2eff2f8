"use client";

import { useEffect, useMemo, useState } from "react";
import type { CandleColumns } from "@/lib/core/candles";
import { CLASS_NAMES } from "@/lib/core/classes";
import type { LabelSpec, SplitSpec } from "@/lib/core/dataset";
import { formatInt, formatPct } from "@/lib/core/format";
import { intervalMs, type Interval } from "@/lib/core/intervals";
import { labelAndSplit, labelInputs } from "@/lib/core/label-split";
import { defaultSplitSpec } from "@/lib/core/splits";
import { getStudioDb, readSeries } from "@/lib/db";
import { BarsChart } from "../charts/BarsChart";

const COLORS = ["#b91c1c", "#f87171", "#34d399", "#047857"];
const PARTS = ["train", "val", "test"] as const;
/** The build's default window (lib/core/build-dataset DEFAULT_WINDOW), used when the form gives none. */
const DEFAULT_PREVIEW_WINDOW = 120;

/**
 * Live class balance of the samples each part of the dataset will hold, for the thresholds
 * being edited: the build's own labelling and split (lib/core/label-split) run on the stored
 * base candles, so purged and embargoed rows and the test period are counted where the build
 * counts them, and ATR scaling is previewed too. It cannot know the rows the build drops for
 * features (indicator warm-up at the start), which the note says.
 * @param split part sizes (any scale: 70/15/15 or 0.7/0.15/0.15); default the build's 70/15/15
 */
export function ClassBalance({
  seriesId,
  interval,
  spec,
  window = DEFAULT_PREVIEW_WINDOW,
  split,
}: {
  seriesId: string | null;
  interval: Interval;
  spec: LabelSpec;
  window?: number;
  split?: Pick<SplitSpec, "train" | "val" | "test">;
}) {
  const [candles, setCandles] = useState<CandleColumns | null>(null);
  useEffect(() => {
    if (!seriesId) return;
    let live = true;
    void readSeries(getStudioDb(), seriesId).then((c) => live && setCandles(c));
    return () => {
      live = false;
    };
  }, [seriesId]);
  const ms = intervalMs(interval);
  // Forward returns and ATR depend on the horizon only; thresholds are re-applied on every edit.
  const inputs = useMemo(() => (candles ? labelInputs(candles, ms, spec.horizon) : null), [candles, ms, spec.horizon]);
  const splitTrain = split?.train;
  const splitVal = split?.val;
  const splitTest = split?.test;
  const labelled = useMemo(() => {
    if (!candles || !inputs) return null;
    const splitSpec: SplitSpec = {
      ...defaultSplitSpec(spec.horizon, window),
      ...(splitTrain === undefined ? {} : { train: splitTrain, val: splitVal ?? 0, test: splitTest ?? 0 }),
    };
    return labelAndSplit({ times: candles.openTime, ...inputs, intervalMs: ms, window, labelSpec: spec, splitSpec });
  }, [candles, inputs, ms, window, spec, splitTrain, splitVal, splitTest]);
  if (!labelled) return <p className="text-sm text-slate-500">Choose a series to see the class balance.</p>;
  const parts = labelled.balance;
  const fit = labelled.thresholdFit;
  const train = parts.train;
  return (
    <div data-testid="class-balance">
      <BarsChart
        data={CLASS_NAMES.map((c, i) => ({ name: c, value: train.fractions[i] }))}
        height={180}
        valueFormatter={(v) => formatPct(v, 0)}
        colors={COLORS}
      />
      <ul className="text-xs text-slate-600">
        {PARTS.map((p) => {
          const b = parts[p];
          return (
            <li key={p} data-testid={`class-balance-${p}`}>
              <b>{p}</b> {formatInt(b.labelled)} samples:{" "}
              {CLASS_NAMES.map((c, i) => `${c} ${formatInt(b.counts[i])} (${formatPct(b.fractions[i])})`).join(" · ")}
              {b.excluded > 0 && ` · ${formatInt(b.excluded)} excluded (weak zone)`}
              {b.flat > 0 && ` · ${formatInt(b.flat)} dropped (return exactly 0, no sign)`}
            </li>
          );
        })}
      </ul>
      {fit && (
        <p className="text-xs text-slate-600" data-testid="class-balance-fit">
          Thresholds fitted on the training part&apos;s {formatInt(train.labelled)} samples: strong{" "}
          {formatPct(fit.strong, 2)}, weak {formatPct(fit.weak, 2)} (the build fits on its own training samples).
        </p>
      )}
      <p className="text-xs text-slate-500" data-testid="class-balance-rows">
        The chart shows the training part. Counted on the stored {interval} candles with the build&apos;s own labelling,
        split, purge and embargo; the build also drops the indicators&apos; warm-up rows at the start, so its training
        part is slightly smaller.
      </p>
    </div>
  );
}
