"use client";

import { ConfirmDeleteButton } from "../ConfirmDeleteButton";
import { useState } from "react";
import { ALT_SOURCES, altSourceLabel, hasSyntheticAlt, type AltOrigins } from "@/lib/core/features/alt-series";
import { formatBytes, formatInt, formatTime } from "@/lib/core/format";
import type { QualityReport } from "@/lib/core/quality";
import { deleteDataset, getStudioDb, type DatasetSummary } from "@/lib/db";
import type { DatasetPart } from "@/lib/jobs/dataset/api";
import { getDatasetClient } from "@/lib/jobs/dataset/client";
import { isAbortError } from "@/lib/jobs/bridge";
import { downloadBlob } from "../download";
import { Notice } from "../Notice";
import { errorMessage } from "../useStudioData";
import { QualityReportView } from "./QualityReportView";
import { TableHead } from "../TableHead";
import { useAbortable } from "../useAbortable";

/** Saved datasets with their quality report and exports (.npz, features CSV). */
const ORIGIN_WORDS = { real: "real", synthetic: "SYNTHETIC", fallback: "fallback (neutral value)" } as const;

/** Which alternative sources were real, synthetic or a fallback in this dataset. */
function AltOriginLine({ origin }: { origin: AltOrigins }) {
  return (
    <p className="text-sm" data-testid="dataset-alt-origin">
      Alternative data: {ALT_SOURCES.map((s) => `${altSourceLabel(s)} ${ORIGIN_WORDS[origin[s]]}`).join(" · ")}
    </p>
  );
}

export function DatasetList({
  datasets,
  onChanged,
  selected,
  onSelect,
  quality,
}: {
  datasets: DatasetSummary[];
  onChanged: () => void;
  selected: string | null;
  onSelect: (id: string) => void;
  quality: QualityReport | null;
}) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const task = useAbortable();
  if (datasets.length === 0) return <p className="text-sm text-slate-500">No dataset yet.</p>;
  const current = datasets.find((d) => d.id === selected);

  /** Runs one export in the dataset worker; Cancel terminates it (nothing is downloaded). */
  async function exportFile(name: string, work: (signal: AbortSignal) => Promise<void>) {
    setBusy(name);
    setError(null);
    try {
      await work(task.begin());
    } catch (e) {
      if (!isAbortError(e)) setError(errorMessage(e));
    }
    setBusy(null);
  }
  const exportNpz = (d: DatasetSummary, part: DatasetPart) =>
    exportFile(`npz-${part}`, async (signal) => {
      const { blob } = await getDatasetClient().npz(d.id, part, { signal });
      downloadBlob(blob, `${d.symbol}_${d.id}_${part}.npz`);
    });
  const exportCsv = (d: DatasetSummary) =>
    exportFile("csv", async (signal) =>
      downloadBlob(await getDatasetClient().featuresCsv(d.id, { signal }), `${d.symbol}_${d.id}_features.csv`),
    );

  return (
    <div className="space-y-4">
      <table className="w-full text-sm" data-testid="dataset-table">
        <TableHead columns={["name", "created", "rows", "train / val / test", "stored", ""]} />
        <tbody>
          {datasets.map((d) => (
            <tr
              key={d.id}
              className={`border-b last:border-0 ${d.id === selected ? "bg-indigo-50" : ""}`}
              data-testid="dataset-row"
            >
              <td className="py-1 pr-3">
                <button className="font-medium text-indigo-700 underline" onClick={() => onSelect(d.id)}>
                  {d.name}
                </button>
                {d.synthetic && (
                  <span className="ml-1 rounded bg-amber-100 px-1 text-[10px] font-semibold text-amber-900">
                    SYNTHETIC
                  </span>
                )}
                {hasSyntheticAlt(d.synthetic, d.altOrigin) && (
                  <span
                    className="ml-1 rounded bg-amber-100 px-1 text-[10px] font-semibold text-amber-900"
                    data-testid="synthetic-alt-badge"
                  >
                    SYNTHETIC ALT DATA
                  </span>
                )}
              </td>
              <td className="pr-3">{formatTime(d.createdAt)}</td>
              <td className="pr-3">
                {formatInt(d.rows)} × {d.featureCount}
              </td>
              <td className="pr-3">
                {formatInt(d.samples.train)} / {formatInt(d.samples.val)} / {formatInt(d.samples.test)}
              </td>
              <td className="pr-3" title="one [T, F] matrix; windows are views over it">
                {formatBytes(d.bytes)}
              </td>
              <td>
                <ConfirmDeleteButton
                  question={`Delete dataset "${d.name}"?`}
                  onDelete={async () => {
                    await deleteDataset(getStudioDb(), d.id);
                    onChanged();
                  }}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {current && (
        <div className="card space-y-3" data-testid="dataset-detail">
          <div className="flex flex-wrap items-center gap-2">
            <h3 className="mr-auto font-medium">{current.name}</h3>
            {(["all", "train", "val", "test"] as const).map((p) => (
              <button
                key={p}
                className="btn-secondary"
                disabled={busy !== null}
                onClick={() => void exportNpz(current, p)}
              >
                {busy === `npz-${p}` ? "Writing…" : `.npz (${p})`}
              </button>
            ))}
            <button className="btn-secondary" disabled={busy !== null} onClick={() => void exportCsv(current)}>
              {busy === "csv" ? "Writing…" : "features CSV"}
            </button>
            {busy !== null && (
              <button className="btn-secondary" onClick={task.cancel} data-testid="export-cancel">
                Cancel
              </button>
            )}
          </div>
          {current.altOrigin && <AltOriginLine origin={current.altOrigin} />}
          {quality ? (
            <QualityReportView report={quality} />
          ) : (
            <p className="text-sm text-slate-500">Computing the quality report…</p>
          )}
        </div>
      )}
      {error && <Notice kind="error">{error}</Notice>}
    </div>
  );
}
