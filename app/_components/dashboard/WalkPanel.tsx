"use client";

import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatDate, formatNum, formatPct } from "@/lib/core/format";
import { downsampleIndices } from "@/lib/export/share/compact";
import { MODEL_LABELS, type BacktestSummary, type ModelId, type WalkSummary } from "@/lib/run/types";
import { LineSeriesChart, paletteColor } from "../charts/LineSeriesChart";
import { Section } from "./Section";

const BASELINE_LABELS: Record<string, string> = {
  majority: "majority class",
  class_prior: "class prior",
  previous_label: "previous label",
};
const labelOf = (id: string) => MODEL_LABELS[id as ModelId] ?? BASELINE_LABELS[id] ?? id;

/** Points drawn of the equity curve (one per candle is stored). */
const MAX_DRAWN_POINTS = 600;

/**
 * What a walk-forward run adds to its dashboard: the folds (spans, samples, warm starts), each
 * fold's accuracy, balanced accuracy and Sharpe per model beside that fold's baselines, and one
 * equity curve over the walked span with a marker where each fold's retrained models take over.
 */
export function WalkPanel({ walk, backtest }: { walk: WalkSummary; backtest?: BacktestSummary }) {
  const ids = walk.folds[0]?.results.map((r) => r.id) ?? [];
  const models = ids.filter((id) => walk.folds[0].results.find((r) => r.id === id)!.kind === "model");
  const lines = ids.map((id, i) => ({
    key: id,
    label: labelOf(id),
    color: paletteColor(i),
    dashed: !models.includes(id),
  }));
  const series = (metric: "accuracy" | "balancedAccuracy" | "sharpe") =>
    walk.folds.map((f) => ({
      fold: f.index,
      ...Object.fromEntries(f.results.map((r) => [r.id, Number.isFinite(r[metric]) ? r[metric] : null])),
      ...(metric === "sharpe" ? { buy_hold: Number.isFinite(f.buyHoldSharpe) ? f.buyHoldSharpe : null } : {}),
    }));
  const spec = walk.config.spec;
  return (
    <Section title="Walk-forward folds" testId="walk-panel">
      <p className="text-sm text-slate-600">
        {walk.folds.length} folds, retrained every{" "}
        {spec.cadence === "monthly" ? "month" : spec.cadence === "weekly" ? "week" : "two weeks"} on{" "}
        {spec.window === "rolling" ? `a rolling ${spec.rollingDays}-day window` : "an expanding window"} (its last{" "}
        {formatPct(spec.valShare, 0)} is the fold&apos;s validation tail), purge {spec.purge} and embargo {spec.embargo}{" "}
        rows before each boundary.{" "}
        {walk.config.warmStartEpochs !== undefined
          ? `Warm start: folds after the first continue from the previous fold's weights for ${walk.config.warmStartEpochs} epochs.`
          : "Every fold trains from scratch."}{" "}
        The table, confusion matrices and verdict below pool every fold&apos;s out-of-sample test predictions.
      </p>
      <div className="grid gap-4 lg:grid-cols-3" data-testid="walk-fold-charts">
        {(
          [
            ["accuracy", "Accuracy", (v: number) => formatPct(v, 0)],
            ["balancedAccuracy", "Balanced accuracy", (v: number) => formatPct(v, 0)],
            ["sharpe", "Sharpe (annualised)", (v: number) => formatNum(v, 1)],
          ] as const
        ).map(([metric, title, fmt]) => (
          <div key={metric}>
            <h3 className="text-sm font-medium">{title} per fold</h3>
            <LineSeriesChart
              testId={`walk-chart-${metric}`}
              data={series(metric)}
              xKey="fold"
              xFormatter={(v) => `fold ${v}`}
              yFormatter={fmt}
              lines={
                metric === "sharpe"
                  ? [...lines, { key: "buy_hold", label: "buy & hold", color: "#0f172a", dashed: true }]
                  : lines
              }
            />
          </div>
        ))}
      </div>
      {backtest && <WalkEquity walk={walk} backtest={backtest} />}
      <table className="mt-3 w-full text-left text-xs" data-testid="walk-fold-table">
        <thead>
          <tr className="text-slate-500">
            <th>fold</th>
            <th>training</th>
            <th>test</th>
            <th>samples (train/val/test)</th>
            {models.map((id) => (
              <th key={id}>{labelOf(id)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {walk.folds.map((f) => (
            <tr key={f.index} data-testid={`walk-fold-${f.index}`}>
              <td>{f.index}</td>
              <td>
                {formatDate(f.trainSpan[0])} → {formatDate(f.trainSpan[1])}
              </td>
              <td>
                {formatDate(f.testSpan[0])} → {formatDate(f.testSpan[1])}
              </td>
              <td>
                {f.samples.train}/{f.samples.val}/{f.samples.test}
              </td>
              {models.map((id) => {
                const r = f.results.find((x) => x.id === id)!;
                return (
                  <td key={id}>
                    {formatPct(r.accuracy)}
                    {r.epochs !== undefined ? ` · ${r.epochs} ep` : ""}
                    {r.warmStart ? " · warm start" : ""}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {walk.skipped.length > 0 && (
        <ul className="mt-2 text-xs text-amber-800" data-testid="walk-skipped">
          {walk.skipped.map((s) => (
            <li key={s.testFrom}>
              No fold for {formatDate(s.testFrom)} → {formatDate(s.testTo)}: {s.reason}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

/** Equity of the traded signals over the walked span against buy-and-hold, a marker at each retrain. */
function WalkEquity({ walk, backtest }: { walk: WalkSummary; backtest: BacktestSummary }) {
  const n = backtest.equity.length;
  const step = n > 1 ? (backtest.end - backtest.start) / (n - 1) : 0;
  const data = downsampleIndices(n, MAX_DRAWN_POINTS).map((i) => ({
    t: backtest.start + i * step,
    strategy: backtest.equity[i],
    buyHold: backtest.buyHold[i],
  }));
  return (
    <div className="mt-4">
      <h3 className="text-sm font-medium">
        Equity over the walked span ({backtest.model}) against buy-and-hold; dashed lines: retrains
      </h3>
      <div style={{ width: "100%", height: 240 }} data-testid="walk-equity">
        <ResponsiveContainer>
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="t" type="number" domain={["dataMin", "dataMax"]} tickFormatter={formatDate} fontSize={11} />
            <YAxis fontSize={11} width={56} domain={["auto", "auto"]} tickFormatter={(v: number) => formatNum(v, 2)} />
            <Tooltip
              labelFormatter={(v) => formatDate(Number(v))}
              formatter={(v) => (typeof v === "number" ? formatNum(v, 3) : String(v))}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {walk.folds.map((f) => (
              <ReferenceLine
                key={f.index}
                x={backtest.start + f.equityIndex * step}
                stroke="#94a3b8"
                strokeDasharray="2 3"
                label={{ value: `fold ${f.index}`, fontSize: 10, position: "insideTopLeft" }}
              />
            ))}
            <Line
              type="monotone"
              dataKey="strategy"
              name="strategy"
              stroke="#4f46e5"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="buyHold"
              name="buy & hold"
              stroke="#64748b"
              strokeDasharray="4 3"
              dot={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
