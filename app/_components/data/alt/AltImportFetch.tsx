"use client";

import { useState } from "react";
import { formatDuration, formatInt } from "@/lib/core/format";
import { altSourceLabel } from "@/lib/core/features/alt-series";
import type { AltFetchOutcome, AltImportResult } from "@/lib/jobs/collect/alt";
import { getCollectClient } from "@/lib/jobs/collect/client";
import { DEFAULT_FEAR_GREED_BASE_URL } from "@/lib/sources/binance/alt";
import { Notice } from "../../Notice";
import { StartCancelButtons } from "../../StartCancelButtons";
import { useAbortable } from "../../useAbortable";
import { errorMessage } from "../../useStudioData";
import { parseDateInput } from "../dates";

function importLine(r: AltImportResult): string {
  const what = r.kind === "funding" ? `funding rates of ${r.symbol}` : "Fear & Greed index";
  return [
    `${formatInt(r.added)} ${what} added`,
    r.duplicates ? `${formatInt(r.duplicates)} already stored (skipped)` : "",
    r.repeated ? `${formatInt(r.repeated)} repeated rows in the file (first kept)` : "",
    r.series.gaps.length ? `${r.series.gaps.length} gap${r.series.gaps.length > 1 ? "s" : ""} (kept as gaps)` : "",
  ]
    .filter(Boolean)
    .join("; ");
}

function fetchLine(o: AltFetchOutcome): string {
  const name = altSourceLabel(o.source);
  if (o.state === "no-key") return `${name}: no key entered, skipped (its features use the neutral fallback).`;
  if (o.state === "stored") return `${name}: already stored for this period, nothing fetched.`;
  if (o.state === "failed")
    return `${o.message} Gave up after ${formatDuration(o.elapsedMs / 1000)}; stored values stay.`;
  return `${name}: ${formatInt(o.added)} values added.`;
}

/** Import funding-rate / Fear & Greed CSVs, and fetch what the store lacks for a pair and period. */
export function AltImportFetch({
  futuresBaseUrl,
  onStored,
}: {
  /** The futures base URL from settings (the form's starting value). */
  futuresBaseUrl: string;
  onStored: () => void;
}) {
  const [symbol, setSymbol] = useState("BTCUSDT");
  const [busy, setBusy] = useState(false);
  const [imports, setImports] = useState<{ name: string; ok: boolean; text: string }[]>([]);
  const [start, setStart] = useState("2024-01-01");
  const [end, setEnd] = useState("2024-02-01");
  const [futuresUrl, setFuturesUrl] = useState(futuresBaseUrl);
  const [fngUrl, setFngUrl] = useState(DEFAULT_FEAR_GREED_BASE_URL);
  const [fetching, setFetching] = useState(false);
  const [outcomes, setOutcomes] = useState<AltFetchOutcome[]>([]);
  const [fetchError, setFetchError] = useState<string | null>(null);
  const abort = useAbortable();

  async function importFiles(files: File[]) {
    if (files.length === 0) return;
    setBusy(true);
    setImports([]);
    for (const file of files) {
      try {
        const r = await getCollectClient().importAltFiles([file], { symbol: symbol.trim().toUpperCase() || undefined });
        setImports((o) => [...o, { name: file.name, ok: true, text: r.map(importLine).join(". ") + "." }]);
      } catch (e) {
        setImports((o) => [...o, { name: file.name, ok: false, text: errorMessage(e) }]);
      }
      onStored();
    }
    setBusy(false);
  }

  async function fetchMissing() {
    const from = parseDateInput(start);
    const to = parseDateInput(end);
    if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) {
      setFetchError("Start and end must be dates, the end after the start.");
      return;
    }
    setFetchError(null);
    setOutcomes([]);
    setFetching(true);
    try {
      await getCollectClient().fetchAlt(
        {
          symbol: symbol.trim().toUpperCase(),
          range: { from, to },
          futuresBaseUrl: futuresUrl,
          fearGreedBaseUrl: fngUrl,
        },
        { signal: abort.begin(), onProgress: (o) => setOutcomes((os) => [...os, o]) },
      );
    } catch (e) {
      setFetchError(errorMessage(e));
    } finally {
      setFetching(false);
      onStored();
    }
  }

  return (
    <div className="space-y-4">
      <label className="block space-y-1">
        <span className="label">Pair (funding rates are per pair; Fear &amp; Greed is market-wide)</span>
        <input className="input w-60" value={symbol} onChange={(e) => setSymbol(e.target.value)} name="altSymbol" />
      </label>
      <div className="space-y-2">
        <p className="text-sm">
          Import funding-rate CSVs (Binance: <code>symbol,fundingTime,fundingRate,markPrice</code> or the data
          dump&apos;s <code>calc_time,funding_interval_hours,last_funding_rate</code>) and Fear &amp; Greed CSVs
          (alternative.me: <code>date,fng_value,…</code>). Importing the same file again adds nothing.
        </p>
        <label className="btn-secondary cursor-pointer">
          choose alternative-data files
          <input
            type="file"
            multiple
            accept=".csv,text/csv"
            className="hidden"
            data-testid="alt-file-input"
            disabled={busy}
            onChange={(e) => {
              void importFiles(Array.from(e.target.files ?? []));
              e.target.value = "";
            }}
          />
        </label>
        {imports.map((o) => (
          <Notice key={o.name} kind={o.ok ? "ok" : "error"} testId="alt-import-outcome">
            <b>{o.name}</b>: {o.text}
          </Notice>
        ))}
      </div>
      <form
        aria-label="Fetch alternative data"
        className="space-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          void fetchMissing();
        }}
      >
        <p className="text-sm">
          Fetch what is not stored yet for the pair and period (funding from the futures URL, Fear &amp; Greed, and the
          keyed sources whose key is set). A source that cannot be reached gives up within a few seconds.
        </p>
        <div className="flex flex-wrap gap-3">
          <label className="space-y-1">
            <span className="label">From</span>
            <input
              className="input"
              type="date"
              value={start}
              onChange={(e) => setStart(e.target.value)}
              name="altStart"
            />
          </label>
          <label className="space-y-1">
            <span className="label">To</span>
            <input className="input" type="date" value={end} onChange={(e) => setEnd(e.target.value)} name="altEnd" />
          </label>
          <label className="space-y-1">
            <span className="label">Futures base URL</span>
            <input
              className="input w-72"
              value={futuresUrl}
              onChange={(e) => setFuturesUrl(e.target.value)}
              name="altFuturesUrl"
            />
          </label>
          <label className="space-y-1">
            <span className="label">Fear &amp; Greed base URL</span>
            <input className="input w-72" value={fngUrl} onChange={(e) => setFngUrl(e.target.value)} name="altFngUrl" />
          </label>
        </div>
        <StartCancelButtons label="Fetch missing alternative data" running={fetching} onCancel={abort.cancel} />
        {fetching && <p className="text-sm text-slate-500">Fetching… {outcomes.length} of the sources answered.</p>}
        {outcomes.map((o) => (
          <Notice key={o.source} kind={o.state === "failed" ? "warning" : "ok"} testId="alt-fetch-outcome">
            {fetchLine(o)}
          </Notice>
        ))}
        {fetchError && (
          <Notice kind="error" testId="alt-fetch-error">
            {fetchError}
          </Notice>
        )}
      </form>
    </div>
  );
}
