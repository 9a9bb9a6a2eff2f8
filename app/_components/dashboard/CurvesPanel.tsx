import type { ResultSummary } from "@/lib/run/types";
import { LineSeriesChart } from "../charts/LineSeriesChart";

/** A figure the chart can draw: NaN (an epoch whose loss went NaN) becomes a gap. */
const point = (x: number) => (Number.isFinite(x) ? x : null);

/** Training and validation curves of each sequence model. */
export function CurvesPanel({ results }: { results: ResultSummary[] }) {
  const withCurves = results.filter((r) => r.curve && r.curve.epoch.length > 0);
  if (withCurves.length === 0)
    return (
      <p className="text-sm text-slate-500">No training curves (the forest trains tree by tree, not in epochs).</p>
    );
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {withCurves.map((r) => {
        const c = r.curve!;
        const data = c.epoch.map((e, i) => ({
          epoch: e,
          loss: point(c.loss[i]),
          valLoss: point(c.valLoss[i]),
          acc: point(c.acc[i]),
          valAcc: point(c.valAcc[i]),
        }));
        return (
          <div key={r.id} data-testid={`curves-${r.id}`}>
            <h3 className="text-sm font-medium">
              {r.label}{" "}
              {c.bestEpoch !== undefined && (
                <span className="text-xs text-slate-500">(best epoch {c.bestEpoch}, weights restored)</span>
              )}
            </h3>
            <LineSeriesChart
              data={data}
              xKey="epoch"
              lines={[
                { key: "loss", label: "train loss", color: "#4f46e5" },
                { key: "valLoss", label: "val loss", color: "#4f46e5", dashed: true },
                { key: "acc", label: "train acc", color: "#059669" },
                { key: "valAcc", label: "val acc", color: "#059669", dashed: true },
              ]}
              height={200}
            />
          </div>
        );
      })}
    </div>
  );
}
