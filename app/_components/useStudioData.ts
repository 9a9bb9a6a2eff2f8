"use client";

import { useCallback, useEffect, useState } from "react";
import {
  getStudioDb,
  listAltSeries,
  listDatasets,
  listRuns,
  listSeries,
  askPersistenceOnce,
  loadSettings,
  storageStatus,
  type AltSeriesSummary,
  type DatasetSummary,
  type StorageStatus,
  type RunRecord,
  type SeriesRecord,
  type StudioSettings,
} from "@/lib/db";

/** Stored series, refreshed on demand (after a collection, an import, a delete). */
export function useStoredSeries() {
  const [series, setSeries] = useState<SeriesRecord[] | null>(null);
  const refresh = useCallback(async () => {
    setSeries(await listSeries(getStudioDb()));
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return { series, refresh };
}

/** Stored alternative series (funding, Fear & Greed, keyed scores) with their coverage. */
export function useAltSeries() {
  const [altSeries, setAltSeries] = useState<AltSeriesSummary[] | null>(null);
  const refresh = useCallback(async () => {
    setAltSeries(await listAltSeries(getStudioDb()));
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return { altSeries, refresh };
}

export function useDatasets() {
  const [datasets, setDatasets] = useState<DatasetSummary[] | null>(null);
  const refresh = useCallback(async () => {
    setDatasets(await listDatasets(getStudioDb()));
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return { datasets, refresh };
}

export function useRuns() {
  const [runs, setRuns] = useState<RunRecord[] | null>(null);
  const refresh = useCallback(async () => {
    setRuns(await listRuns(getStudioDb()));
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return { runs, refresh };
}

export function useSettings() {
  const [settings, setSettings] = useState<StudioSettings | null>(null);
  useEffect(() => {
    void loadSettings(getStudioDb()).then(setSettings);
  }, []);
  return { settings, setSettings };
}

/**
 * The browser's storage persistence and usage (lib/db/storage-quota), refreshed on demand;
 * `askOnce` asks for persistent storage the first time the studio stores data.
 */
export function useStorageStatus() {
  const [status, setStatus] = useState<StorageStatus | null>(null);
  const refresh = useCallback(async () => setStatus(await storageStatus()), []);
  const askOnce = useCallback(async () => setStatus(await askPersistenceOnce(getStudioDb())), []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return { status, refresh, askOnce };
}

/** The message of an error as users should read it. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
