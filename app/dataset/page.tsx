"use client";

import { useEffect, useState } from "react";
import type { QualityReport } from "@/lib/core/quality";
import { getDatasetClient } from "@/lib/jobs/dataset/client";
import { Notice } from "../_components/Notice";
import { Section } from "../_components/dashboard/Section";
import { BuildForm } from "../_components/dataset/BuildForm";
import { DatasetList } from "../_components/dataset/DatasetList";
import { errorMessage, useDatasets, useStoredSeries } from "../_components/useStudioData";

export default function DatasetPage() {
  const { series } = useStoredSeries();
  const { datasets, refresh } = useDatasets();
  const [selected, setSelected] = useState<string | null>(null);
  const [quality, setQuality] = useState<QualityReport | null>(null);
  const [notes, setNotes] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);

  // Load the quality report of a dataset picked from the list (built ones arrive with theirs).
  useEffect(() => {
    if (!selected || quality) return;
    let live = true;
    getDatasetClient()
      .report(selected)
      .then((r) => {
        if (!live) return;
        setQuality(r.quality);
        setNotes(r.notes);
      })
      .catch((e) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [selected, quality]);

  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Dataset</h1>
      <Section title="Build a dataset">
        {series === null ? (
          <p className="text-sm text-slate-500">Loading…</p>
        ) : (
          <BuildForm
            series={series}
            onBuilt={(id, q, n) => {
              setSelected(id);
              setQuality(q);
              setNotes(n);
              void refresh();
            }}
          />
        )}
        {notes.map((n) => (
          <Notice key={n} kind="info">
            {n}
          </Notice>
        ))}
      </Section>
      <Section title="Datasets">
        {datasets === null ? (
          <p className="text-sm text-slate-500">Loading…</p>
        ) : (
          <DatasetList
            datasets={datasets}
            onChanged={() => void refresh()}
            selected={selected}
            onSelect={(id) => {
              setSelected(id);
              setQuality(null);
              setNotes([]);
            }}
            quality={quality}
          />
        )}
        {error && <Notice kind="error">{error}</Notice>}
      </Section>
    </div>
  );
}
