"use client";

import { useEffect, useMemo, useState } from "react";
import { CLASS_NAMES } from "@/lib/core/classes";
import type { LabelSpec } from "@/lib/core/dataset";
import { formatInt, formatPct } from "@/lib/core/format";
import { intervalMs, type Interval } from "@/lib/core/intervals";
import { classBalance, forwardReturns } from "@/lib/core/labels";
import { fitThresholds } from "@/lib/core/thresholds";
import { getStudioDb, readSeries } from "@/lib/db";
import { BarsChart } from "../charts/BarsChart";

const COLORS = ["#b91c1c", "#f87171", "#34d399", "#047857"];

/**
 * Live class balance for the thresholds being edited, from the base series' closes (one pass
 * over ~20k returns: cheap enough for the page). ATR scaling is applied when the dataset is
 * built; here the unscaled thresholds are shown and the note says so.
 */
export function ClassBalance({
  seriesId,
  interval,
  spec,
  trainShare,
}: {
  seriesId: string | null;
  interval: Interval;
  spec: LabelSpec;
  /** Training share of the split (fraction): the rows a fit-thresholds preview fits on. */
  trainShare: number;
}) {
  const [closes, setCloses] = useState<{ openTime: Float64Array; close: Float64Array } | null>(null);
  useEffect(() => {
    if (!seriesId) return;
    let live = true;
    void readSeries(getStudioDb(), seriesId).then((c) => live && setCloses({ openTime: c.openTime, close: c.close }));
    return () => {
      live = false;
    };
  }, [seriesId]);
  const fwd = useMemo(
    () => (closes ? forwardReturns(closes.openTime, closes.close, intervalMs(interval), spec.horizon) : null),
    [closes, interval, spec.horizon],
  );
  // With "fit thresholds" the preview fits on the first `trainShare` of the stored candles (about
  // the training part) and counts those rows, as the build fits on its training samples only.
  const preview = useMemo(() => {
    if (!fwd) return null;
    if (spec.fitTarget === undefined) return { balance: classBalance(fwd, spec), fit: null, rows: fwd.length };
    const train = Int32Array.from({ length: Math.floor(fwd.length * trainShare) }, (_, i) => i);
    const fit = fitThresholds(fwd, train, spec, spec.fitTarget);
    return {
      balance: classBalance(fwd, { ...spec, strong: fit.strong, weak: fit.weak }, train),
      fit,
      rows: train.length,
    };
  }, [fwd, spec, trainShare]);
  const balance = preview?.balance;
  if (!preview || !balance) return <p className="text-sm text-slate-500">Choose a series to see the class balance.</p>;
  return (
    <div data-testid="class-balance">
      <BarsChart
        data={CLASS_NAMES.map((c, i) => ({ name: c, value: balance.fractions[i] }))}
        height={180}
        valueFormatter={(v) => formatPct(v, 0)}
        colors={COLORS}
      />
      <p className="text-xs text-slate-600">
        {CLASS_NAMES.map((c, i) => `${c} ${formatInt(balance.counts[i])} (${formatPct(balance.fractions[i])})`).join(
          " · ",
        )}
        {balance.excluded > 0 && ` · ${formatInt(balance.excluded)} excluded (weak zone)`}
        {spec.atrScaled && " · ATR scaling is applied at build time"}
      </p>
      <p className="text-xs text-slate-500" data-testid="class-balance-rows">
        Counts {preview.fit ? `the first ${formatPct(trainShare, 0)} of ` : "all "}
        {formatInt(preview.rows)} stored {interval} candles of the series
        {preview.fit ? " (about the training part)" : ""}, before warm-up rows and the split are dropped: the built
        dataset&apos;s parts are shown in its quality report.
        {preview.fit &&
          ` Fitted here: strong ${formatPct(preview.fit.strong, 2)}, weak ${formatPct(preview.fit.weak, 2)} (the build fits on its training samples).`}
      </p>
    </div>
  );
}
