"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface SeriesLine {
  key: string;
  label: string;
  color: string;
  dashed?: boolean;
}

const PALETTE = ["#4f46e5", "#059669", "#d97706", "#dc2626", "#0891b2", "#7c3aed", "#64748b"];
export function paletteColor(i: number): string {
  return PALETTE[i % PALETTE.length];
}

/** A small multi-line chart (training curves, equity curves, class balance over time). */
export function LineSeriesChart({
  data,
  xKey,
  lines,
  height = 220,
  xFormatter,
  yFormatter,
  testId,
}: {
  data: Record<string, number | null>[];
  xKey: string;
  lines: SeriesLine[];
  height?: number;
  xFormatter?: (v: number) => string;
  yFormatter?: (v: number) => string;
  testId?: string;
}) {
  return (
    <div style={{ width: "100%", height }} data-testid={testId}>
      <ResponsiveContainer>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey={xKey} tickFormatter={xFormatter} fontSize={11} minTickGap={24} />
          <YAxis tickFormatter={yFormatter} fontSize={11} width={56} domain={["auto", "auto"]} />
          <Tooltip
            labelFormatter={(v) => (xFormatter ? xFormatter(Number(v)) : String(v))}
            formatter={(v) => (yFormatter && typeof v === "number" ? yFormatter(v) : String(v))}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {lines.map((l) => (
            <Line
              key={l.key}
              type="monotone"
              dataKey={l.key}
              name={l.label}
              stroke={l.color}
              dot={false}
              strokeWidth={1.6}
              strokeDasharray={l.dashed ? "4 3" : undefined}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
