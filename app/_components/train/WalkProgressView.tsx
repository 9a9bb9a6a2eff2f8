import { formatDate, formatDuration } from "@/lib/core/format";
import { MODEL_LABELS, type ModelId } from "@/lib/run/types";
import { ProgressBar } from "../ProgressBar";

/** Where a walk-forward run is: its fold, that fold's spans, the share of the walk done and an ETA. */
export interface WalkView {
  fold: number;
  folds: number;
  trainSpan: [number, number];
  testSpan: [number, number];
  /** 0..1 of the whole walk. */
  fraction: number;
  /** Seconds left (NaN until this session has a pace). */
  eta: number;
  /** Models of this fold that started from the previous fold's weights. */
  warm: ModelId[];
  pooling: boolean;
  /** Every model of this fold was trained before (a resumed walk reads it back). */
  stored: boolean;
}

export function WalkProgressView({ view }: { view: WalkView }) {
  return (
    <div className="card space-y-2" data-testid="walk-progress">
      <p className="text-sm" data-testid="walk-progress-fold">
        {view.pooling ? (
          `All ${view.folds} folds trained: pooling their test predictions.`
        ) : (
          <>
            <b>
              Fold {view.fold} of {view.folds}
            </b>{" "}
            · training {formatDate(view.trainSpan[0])} → {formatDate(view.trainSpan[1])} · testing{" "}
            {formatDate(view.testSpan[0])} → {formatDate(view.testSpan[1])}
            {view.stored && " · trained before: read back from storage"}
            {view.warm.length > 0 && ` · warm start: ${view.warm.map((m) => MODEL_LABELS[m]).join(", ")}`}
          </>
        )}
      </p>
      <ProgressBar
        value={view.fraction}
        label={`walk ${Math.round(view.fraction * 100)}%`}
        detail={Number.isFinite(view.eta) ? `about ${formatDuration(view.eta)} left` : ""}
      />
    </div>
  );
}
