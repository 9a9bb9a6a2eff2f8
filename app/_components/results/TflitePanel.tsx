"use client";

import { useEffect, useState } from "react";
import { formatBytes } from "@/lib/core/format";
import { TFLITE_GUIDE_LIMIT_BYTES } from "@/lib/export/tflite/common";
import { getExportClient } from "@/lib/jobs/export/client";
import { downloadBytes } from "../download";
import { errorMessage } from "../useStudioData";

type NeuralId = "transformer" | "lstm";

/**
 * The TFLite files the MyTradeMate app loads (assets/ml/<id>_model.tflite), built in the export
 * worker as soon as the run is shown, so each file's size stands beside the guide's 3 MB limit
 * before anything is downloaded. `float16` follows the page's "float16 weights" choice.
 */
export function TflitePanel({
  runId,
  datasetId,
  models,
  float16,
}: {
  runId: string;
  datasetId: string;
  models: NeuralId[];
  float16: boolean;
}) {
  const [files, setFiles] = useState<Partial<Record<NeuralId, Uint8Array>>>({});
  const [error, setError] = useState<string | null>(null);
  const key = models.join();

  useEffect(() => {
    let live = true;
    setFiles({});
    setError(null);
    void (async () => {
      try {
        for (const id of key.split(",").filter(Boolean) as NeuralId[]) {
          const bytes = await getExportClient().tflite(runId, datasetId, id, float16);
          if (live) setFiles((f) => ({ ...f, [id]: bytes }));
        }
      } catch (e) {
        if (live) setError(errorMessage(e));
      }
    })();
    return () => {
      live = false;
    };
  }, [runId, datasetId, key, float16]);

  if (models.length === 0) return null;
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="tflite-panel">
      <span>TFLite for the app ({float16 ? "float16" : "float32"} weights):</span>
      {models.map((id) => {
        const bytes = files[id];
        const over = bytes !== undefined && bytes.length > TFLITE_GUIDE_LIMIT_BYTES;
        return (
          <span key={id} className="flex items-center gap-1">
            <button
              className="btn-secondary"
              disabled={!bytes}
              onClick={() => bytes && downloadBytes(bytes, `${id}_model.tflite`)}
              data-testid={`tflite-${id}`}
            >
              {id}_model.tflite
            </button>
            <span className={over ? "text-red-700" : "text-slate-500"} data-testid={`tflite-size-${id}`}>
              {bytes
                ? `${formatBytes(bytes.length)} of the guide's ${formatBytes(TFLITE_GUIDE_LIMIT_BYTES)} limit${over ? ": too large, try float16 weights" : ""}`
                : "building…"}
            </span>
          </span>
        );
      })}
      {error && (
        <span className="text-red-700" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
