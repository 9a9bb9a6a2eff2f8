"use client";

import { useState } from "react";
import { CollectPanel } from "../_components/data/CollectPanel";
import { ImportPanel } from "../_components/data/ImportPanel";
import { SeriesTable } from "../_components/data/SeriesTable";
import { SyntheticPanel } from "../_components/data/SyntheticPanel";
import { Section } from "../_components/dashboard/Section";
import { StoragePanel } from "../_components/data/StoragePanel";
import { AltImportFetch } from "../_components/data/alt/AltImportFetch";
import { AltSeriesTable } from "../_components/data/alt/AltSeriesTable";
import { ApiKeysPanel } from "../_components/data/alt/ApiKeysPanel";
import { useAltSeries, useSettings, useStorageStatus, useStoredSeries } from "../_components/useStudioData";

const SOURCES = [
  { id: "binance", label: "Binance" },
  { id: "files", label: "Files (CSV / ZIP)" },
  { id: "synthetic", label: "Synthetic market" },
] as const;

export default function DataPage() {
  const [source, setSource] = useState<(typeof SOURCES)[number]["id"]>("binance");
  const { series, refresh } = useStoredSeries();
  const storage = useStorageStatus();
  const alt = useAltSeries();
  const { settings, setSettings } = useSettings();
  const onStored = () => {
    void refresh();
    void alt.refresh();
    void storage.refresh();
  };
  const onStart = () => void storage.askOnce();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Data</h1>
      <Section title="Get candles">
        <div role="tablist" className="flex gap-2 border-b">
          {SOURCES.map((s) => (
            <button
              key={s.id}
              role="tab"
              aria-selected={source === s.id}
              onClick={() => setSource(s.id)}
              className={`-mb-px border-b-2 px-3 py-1.5 text-sm ${source === s.id ? "border-indigo-600 font-medium text-indigo-700" : "border-transparent text-slate-500"}`}
            >
              {s.label}
            </button>
          ))}
        </div>
        {/* Panels stay mounted while hidden so a running collection keeps its progress view. */}
        <div hidden={source !== "binance"}>
          <CollectPanel onStored={onStored} onStart={onStart} />
        </div>
        <div hidden={source !== "files"}>
          <ImportPanel onStored={onStored} onStart={onStart} />
        </div>
        <div hidden={source !== "synthetic"}>
          <SyntheticPanel onStored={onStored} onStart={onStart} />
        </div>
      </Section>
      <Section title="Stored series">
        {series === null ? (
          <p className="text-sm text-slate-500">Loading…</p>
        ) : (
          <SeriesTable series={series} onChanged={onStored} />
        )}
      </Section>
      <Section title="Alternative data">
        {settings && <AltImportFetch futuresBaseUrl={settings.binanceFuturesBaseUrl} onStored={onStored} />}
        <h3 className="mt-4 text-sm font-semibold">Keyed sources</h3>
        <ApiKeysPanel settings={settings} onSaved={setSettings} />
        <h3 className="mt-4 text-sm font-semibold">Stored alternative data</h3>
        {alt.altSeries === null ? (
          <p className="text-sm text-slate-500">Loading…</p>
        ) : (
          <AltSeriesTable series={alt.altSeries} settings={settings} onChanged={onStored} />
        )}
      </Section>
      <Section title="Storage in this browser">
        <StoragePanel status={storage.status} />
      </Section>
    </div>
  );
}
