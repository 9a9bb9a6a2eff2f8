"use client";

import { useState } from "react";
import { formatInt } from "@/lib/core/format";
import { getCollectClient, type ImportFilesResult } from "@/lib/jobs/collect/client";
import { Notice } from "../Notice";
import { errorMessage } from "../useStudioData";

interface FileOutcome {
  name: string;
  ok: boolean;
  /** One line per series the file held (a ZIP may hold several), or the error. */
  lines: string[];
}

/** "BTCUSDT 1h: 720 candles added; …" for one stored series. */
function seriesLine({ parsed: p, stored }: ImportFilesResult["series"][number]): string {
  const parts = [
    `${p.symbol} ${p.interval}: ${formatInt(stored.added)} candles added`,
    stored.duplicates ? `${formatInt(stored.duplicates)} already stored (skipped)` : "",
    p.gaps.length ? `${p.gaps.length} gap${p.gaps.length > 1 ? "s" : ""} in the file (kept as gaps)` : "",
    ...p.warnings,
  ].filter(Boolean);
  return parts.join("; ") + ".";
}

/**
 * Drag-and-drop import of Binance dump files (CSV or ZIP, with or without header, ms or µs times)
 * and OHLCV CSVs. Files are grouped into one import per file so a bad file names itself and
 * never blocks the others; a ZIP holding several pairs or intervals reports each series it stored.
 */
export function ImportPanel({ onStored, onStart }: { onStored: () => void; onStart?: () => void }) {
  const [symbol, setSymbol] = useState("");
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);
  const [outcomes, setOutcomes] = useState<FileOutcome[]>([]);

  async function importFiles(files: File[]) {
    if (files.length === 0) return;
    setBusy(true);
    onStart?.();
    setOutcomes([]);
    const client = getCollectClient();
    for (const file of files) {
      try {
        const r = await client.importFiles([file], { symbol: symbol.trim().toUpperCase() || undefined });
        setOutcomes((o) => [...o, { name: file.name, ok: true, lines: r.series.map(seriesLine) }]);
      } catch (e) {
        setOutcomes((o) => [...o, { name: file.name, ok: false, lines: [errorMessage(e)] }]);
      }
      onStored();
    }
    setBusy(false);
  }

  return (
    <div className="space-y-3">
      <label className="block space-y-1">
        <span className="label">
          Symbol, for files whose names do not say it (a name like BTCUSDT-1h-2023-01.zip wins; a file naming another
          symbol is refused)
        </span>
        <input className="input w-60" value={symbol} onChange={(e) => setSymbol(e.target.value)} name="importSymbol" />
      </label>
      <div
        data-testid="drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          void importFiles(Array.from(e.dataTransfer.files));
        }}
        className={`rounded-lg border-2 border-dashed p-6 text-center text-sm ${over ? "border-indigo-500 bg-indigo-50" : "border-slate-300"}`}
      >
        <p>Drop Binance CSV or ZIP files here (many at once), or</p>
        <label className="btn-secondary mt-2 cursor-pointer">
          choose files
          <input
            type="file"
            multiple
            accept=".csv,.zip,text/csv,application/zip"
            className="hidden"
            data-testid="file-input"
            disabled={busy}
            onChange={(e) => {
              void importFiles(Array.from(e.target.files ?? []));
              e.target.value = "";
            }}
          />
        </label>
      </div>
      {outcomes.map((o) => (
        <Notice key={o.name} kind={o.ok ? "ok" : "error"} testId="import-outcome">
          <b>{o.name}</b>:{" "}
          {o.lines.length === 1 ? (
            o.lines[0]
          ) : (
            <ul className="list-disc pl-5">
              {o.lines.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
        </Notice>
      ))}
    </div>
  );
}
