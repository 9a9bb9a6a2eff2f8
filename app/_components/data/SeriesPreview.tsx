"use client";

import { useEffect, useState } from "react";
import { Bar, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatTime } from "@/lib/core/format";
import { getStudioDb, readSeries, type SeriesRecord } from "@/lib/db";

const MAX_POINTS = 600;

interface Point {
  t: number;
  close: number;
  /** [low, high] drawn as a floating bar: a compact candlestick range. */
  range: [number, number];
}

/**
 * Close line with each bucket's high-low range, down-sampled to at most MAX_POINTS buckets (each
 * bucket keeps its true extremes, so spikes and gaps stay visible).
 */
export function SeriesPreview({ series }: { series: SeriesRecord }) {
  const [points, setPoints] = useState<Point[] | null>(null);
  useEffect(() => {
    let live = true;
    void readSeries(getStudioDb(), series.id).then((c) => {
      const n = c.openTime.length;
      const step = Math.max(1, Math.ceil(n / MAX_POINTS));
      const out: Point[] = [];
      for (let i = 0; i < n; i += step) {
        let lo = Infinity;
        let hi = -Infinity;
        const j = Math.min(n, i + step);
        for (let k = i; k < j; k++) {
          lo = Math.min(lo, c.low[k]);
          hi = Math.max(hi, c.high[k]);
        }
        out.push({ t: c.openTime[i], close: c.close[j - 1], range: [lo, hi] });
      }
      if (live) setPoints(out);
    });
    return () => {
      live = false;
    };
  }, [series.id]);
  return (
    <div className="card" data-testid="series-preview">
      <h3 className="text-sm font-medium">
        {series.symbol} {series.interval} {series.synthetic ? "(synthetic)" : ""}
      </h3>
      {points === null ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : (
        <div style={{ width: "100%", height: 260 }}>
          <ResponsiveContainer>
            <ComposedChart data={points}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              <XAxis dataKey="t" tickFormatter={(v) => formatTime(v).slice(0, 10)} fontSize={11} minTickGap={40} />
              <YAxis domain={["auto", "auto"]} fontSize={11} width={70} />
              <Tooltip labelFormatter={(v) => formatTime(Number(v))} />
              <Bar dataKey="range" fill="#c7d2fe" isAnimationActive={false} />
              <Line dataKey="close" stroke="#4f46e5" dot={false} isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
        </div>
      )}
    </div>
  );
}
