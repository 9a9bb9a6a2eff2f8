"use client";

import { useState } from "react";
import { formatPct } from "@/lib/core/format";
import { bundleOrThrow } from "@/lib/export/bundle/read";
import { importBundle, type BundleImport } from "@/lib/jobs/export/import-bundle";
import { workerPredictors } from "@/lib/jobs/export/bundle-predictors";
import { getExportClient } from "@/lib/jobs/export/client";
import { Notice } from "../Notice";
import { errorMessage } from "../useStudioData";

/** What the bundle importer shows; kept by the page so it survives the page switching views. */
export interface BundleImporter {
  busy: boolean;
  result: BundleImport | null;
  error: string | null;
  onFile: (file: File | undefined) => Promise<void>;
}

/**
 * Imports a model bundle (.zip from this or another studio): checks its golden vectors, and
 * re-evaluates it when its training data is stored here. `onImported` gets the new run's id.
 * The state lives in the page (not in the panel) because a first imported run turns the
 * empty Results page into the dashboard, which mounts the panel anew.
 */
export function useBundleImport(onImported: (runId: string) => void): BundleImporter {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<BundleImport | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function onFile(file: File | undefined) {
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      // The export worker checks file.size, then reads and unzips the file off this thread.
      const bundle = bundleOrThrow(await getExportClient().readBundleFile(file));
      const res = await importBundle(bundle, workerPredictors(), file.name);
      setResult(res);
      if (res.runId) onImported(res.runId);
    } catch (e) {
      setError(errorMessage(e));
    }
    setBusy(false);
  }
  return { busy, result, error, onFile };
}

export function BundleImportPanel({ importer: { busy, result, error, onFile } }: { importer: BundleImporter }) {
  return (
    <div className="space-y-2" data-testid="bundle-import">
      <label className="flex flex-wrap items-center gap-2 text-sm">
        <span>Import a model bundle (.zip):</span>
        <input
          type="file"
          accept=".zip,application/zip"
          disabled={busy}
          onChange={(e) => void onFile(e.target.files?.[0])}
          data-testid="bundle-file"
        />
        {busy && <span className="text-slate-500">Checking…</span>}
      </label>
      {error && (
        <Notice kind="error" testId="bundle-import-error">
          {error}
        </Notice>
      )}
      {result && (
        <>
          <Notice kind={result.reproduced ? "ok" : "error"} testId="bundle-import-message">
            {result.message}
          </Notice>
          <table className="text-xs" data-testid="bundle-golden">
            <thead>
              <tr className="text-left text-slate-500">
                <th className="pr-4">model</th>
                <th className="pr-4">golden cases</th>
                <th className="pr-4">max |difference|</th>
                {result.comparison && <th className="pr-4">test accuracy (bundle → here)</th>}
              </tr>
            </thead>
            <tbody>
              {result.golden.map((g) => {
                const c = result.comparison?.find((x) => x.model === g.model);
                return (
                  <tr key={g.model}>
                    <td className="pr-4">{g.model}</td>
                    <td className="pr-4">{g.cases}</td>
                    <td className="pr-4">{g.maxAbsDiff.toExponential(1)}</td>
                    {result.comparison && (
                      <td className="pr-4">
                        {c ? `${formatPct(c.bundleAccuracy, 1)} → ${formatPct(c.accuracy, 1)}` : "—"}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
