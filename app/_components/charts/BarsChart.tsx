"use client";

import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/** Horizontal or vertical bars for shares and importances. */
export function BarsChart({
  data,
  height = 220,
  horizontal = false,
  valueFormatter,
  colors,
  testId,
}: {
  data: { name: string; value: number }[];
  height?: number;
  horizontal?: boolean;
  valueFormatter?: (v: number) => string;
  colors?: string[];
  testId?: string;
}) {
  return (
    <div style={{ width: "100%", height }} data-testid={testId}>
      <ResponsiveContainer>
        <BarChart
          data={data}
          layout={horizontal ? "vertical" : "horizontal"}
          margin={{ top: 8, right: 16, bottom: 4, left: horizontal ? 8 : 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          {horizontal ? (
            <>
              <XAxis type="number" tickFormatter={valueFormatter} fontSize={11} />
              <YAxis type="category" dataKey="name" width={150} fontSize={11} interval={0} />
            </>
          ) : (
            <>
              <XAxis dataKey="name" fontSize={11} interval={0} />
              <YAxis tickFormatter={valueFormatter} fontSize={11} width={56} />
            </>
          )}
          <Tooltip formatter={(v) => (valueFormatter && typeof v === "number" ? valueFormatter(v) : String(v))} />
          <Bar dataKey="value" isAnimationActive={false}>
            {data.map((_, i) => (
              <Cell key={i} fill={colors ? colors[i % colors.length] : "#4f46e5"} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
