"use client";

import type { ReactNode } from "react";
import { getExportClient } from "@/lib/jobs/export/client";
import type { RunEvaluation } from "@/lib/run/types";
import { downloadBytes, downloadText } from "../download";

/**
 * Downloads to recompute the run's figures without running a model: per-sample predictions
 * (CSV and .npz, built in the export worker) and the dataset's quality report. `button` is the
 * page's action button (busy state and error message shared with the other exports).
 */
export function PredictionsDownload({
  runId,
  datasetId,
  evaluation,
  button,
}: {
  runId: string;
  datasetId: string;
  evaluation: RunEvaluation;
  button: (name: string, label: string, work: () => Promise<void>) => ReactNode;
}) {
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="predictions-downloads">
      <span className="text-sm text-slate-600">Recompute the figures:</span>
      {button("predictions-csv", "predictions.csv", async () =>
        downloadText(
          await getExportClient().predictionsCsv(runId, datasetId, evaluation),
          "predictions.csv",
          "text/csv",
        ),
      )}
      {button("predictions-npz", "predictions.npz", async () =>
        downloadBytes(
          await getExportClient().predictionsNpz(runId, datasetId, evaluation),
          "predictions.npz",
          "application/zip",
        ),
      )}
      {button("quality-report", "quality_report.json", async () =>
        downloadText(await getExportClient().qualityReportJson(datasetId), "quality_report.json", "application/json"),
      )}
    </div>
  );
}
