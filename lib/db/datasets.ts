/** Dataset repository: the Dataset with its typed arrays as-is, plus a small summary for lists. */
import type { Dataset } from "../core/dataset";
import { guardQuota } from "./errors";
import type { DatasetSummary, StoredDatasetReport } from "./records";
import { restoreDataset, restoreDatasetSummary } from "./restore";
import type { StudioDb } from "./schema";

/** Summary of a dataset (no arrays): what dataset lists show. */
export function summarizeDataset(d: Dataset): DatasetSummary {
  const bytes = [
    d.times,
    d.closes,
    d.matrix,
    d.labels,
    d.forwardReturns,
    d.split.train,
    d.split.val,
    d.split.test,
    ...(d.rowSymbol ? [d.rowSymbol] : []),
  ].reduce((n, a) => n + a.byteLength, 0);
  return {
    v: 1,
    id: d.id,
    name: d.name,
    createdAt: d.createdAt,
    symbol: d.symbol,
    synthetic: d.synthetic,
    ...(d.altOrigin ? { altOrigin: { ...d.altOrigin } } : {}),
    baseInterval: d.baseInterval,
    timeframes: [...d.timeframes],
    rows: d.rows,
    featureCount: d.features.length,
    window: d.window,
    samples: { train: d.split.train.length, val: d.split.val.length, test: d.split.test.length },
    bytes,
  };
}

/**
 * Saves (or replaces) a dataset by id, with the report shown when it was built. Quota failures
 * throw StorageFullError, nothing kept.
 */
export async function saveDataset(
  db: StudioDb,
  dataset: Dataset,
  report?: StoredDatasetReport,
): Promise<DatasetSummary> {
  const summary = summarizeDataset(dataset);
  await guardQuota(() =>
    db.transaction("rw", [db.datasets, db.datasetSummaries], async () => {
      await db.datasets.put({ v: 1, id: dataset.id, dataset, ...(report ? { report } : {}) });
      await db.datasetSummaries.put(summary);
    }),
  );
  return summary;
}

/** Loads a dataset (validated by restoreDataset), or undefined. */
export async function loadDataset(db: StudioDb, id: string): Promise<Dataset | undefined> {
  const raw = await db.datasets.get(id);
  return raw ? restoreDataset(raw).dataset : undefined;
}

/** A dataset with the report stored when it was built (undefined report: built before reports were kept). */
export async function loadDatasetWithReport(
  db: StudioDb,
  id: string,
): Promise<{ dataset: Dataset; report?: StoredDatasetReport } | undefined> {
  const raw = await db.datasets.get(id);
  if (!raw) return undefined;
  const r = restoreDataset(raw);
  return { dataset: r.dataset, report: r.report };
}

/** Summaries of all datasets, newest first. */
export async function listDatasets(db: StudioDb): Promise<DatasetSummary[]> {
  const out: DatasetSummary[] = [];
  for (const raw of await db.datasetSummaries.toArray()) {
    try {
      out.push(restoreDatasetSummary(raw));
    } catch {
      // Skip a corrupt summary rather than hide every dataset.
    }
  }
  return out.sort((a, b) => b.createdAt - a.createdAt);
}

export async function deleteDataset(db: StudioDb, id: string): Promise<void> {
  await db.transaction("rw", [db.datasets, db.datasetSummaries], async () => {
    await db.datasets.delete(id);
    await db.datasetSummaries.delete(id);
  });
}
