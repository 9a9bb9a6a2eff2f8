import { formatDuration, formatNum } from "@/lib/core/format";
import type { EpochRecord } from "@/lib/run/types";
import type { RunProgress } from "@/lib/jobs/train/train-run";
import { LineSeriesChart } from "../charts/LineSeriesChart";
import { ProgressBar } from "../ProgressBar";

export interface ModelView {
  status: "waiting" | "training" | "evaluating" | "done" | "cancelled" | "error";
  last?: RunProgress;
  /** The tfjs backend in use (after any fallback), as the worker reported it; kept once the model is done. */
  backend?: string;
  history: EpochRecord[];
  message?: string;
}

/** Live progress of one model: epoch and batch bars, speed, ETA, backend, curves. */
export function ModelProgress({ id, label, view }: { id: string; label: string; view: ModelView }) {
  const p = view.last;
  const backend = view.backend;
  let bars: React.ReactNode = null;
  if (p?.phase === "importance") {
    bars = (
      <ProgressBar
        value={p.done / p.total}
        label={`permutation importance: feature ${p.done} / ${p.total}`}
        detail="shuffling each feature over the test windows"
      />
    );
  } else if (p?.phase === "checkpoint") {
    bars = (
      <ProgressBar
        value={p.epoch / p.epochs}
        label={`epoch ${p.epoch} / ${p.epochs}`}
        detail="checkpoint stored: a reload resumes after this epoch"
      />
    );
  } else if (p && p.phase === "train" && p.model !== "forest") {
    const t = p.progress;
    bars = (
      <>
        <ProgressBar
          value={(t.epoch - 1 + (t.batches ? t.batch / t.batches : 1)) / t.epochs}
          label={`epoch ${t.epoch} / ${t.epochs}`}
          detail={
            Number.isFinite(t.etaSeconds)
              ? `≤ ${formatDuration(t.etaSeconds)} left (early stopping may end sooner)`
              : ""
          }
        />
        {t.batches > 0 && (
          <ProgressBar
            value={t.batch / t.batches}
            label={`batch ${t.batch} / ${t.batches}`}
            detail={`loss ${formatNum(t.loss)} · acc ${formatNum(t.acc)} · ${Math.round(t.samplesPerSec)} samples/s · ${p.backend}`}
          />
        )}
      </>
    );
  } else if (p && p.phase === "train" && p.model === "forest") {
    const f = p.progress;
    bars = (
      <ProgressBar
        value={f.treesDone / f.trees}
        label={`tree ${f.treesDone} / ${f.trees} (${f.workers} workers)`}
        detail={`ETA ${formatDuration(f.etaMs / 1000)}`}
      />
    );
  }
  return (
    <div className="card space-y-2" data-testid={`progress-${id}`} data-status={view.status} data-backend={backend}>
      <div className="flex items-center justify-between">
        <h3 className="font-medium">{label}</h3>
        <span className="flex items-center gap-2 text-xs text-slate-500">
          {backend && (
            <span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono" title="tfjs backend in use">
              {backend}
            </span>
          )}
          <span data-testid={`status-${id}`}>{view.status}</span>
        </span>
      </div>
      {bars}
      {view.message && (
        <p className={`text-xs ${view.status === "error" ? "text-red-700" : "text-slate-600"}`}>{view.message}</p>
      )}
      {view.history.length > 0 && (
        <LineSeriesChart
          data={view.history.map((h) => ({
            epoch: h.epoch,
            loss: h.loss,
            valLoss: h.valLoss,
            acc: h.acc,
            valAcc: h.valAcc,
          }))}
          xKey="epoch"
          height={170}
          lines={[
            { key: "loss", label: "train loss", color: "#4f46e5" },
            { key: "valLoss", label: "val loss", color: "#4f46e5", dashed: true },
            { key: "acc", label: "train acc", color: "#059669" },
            { key: "valAcc", label: "val acc", color: "#059669", dashed: true },
          ]}
          testId={`curve-${id}`}
        />
      )}
    </div>
  );
}
