/**
 * The dataset worker's API as a plain object (testable in Node with fake-indexeddb):
 * build from stored candles, quality report, exports streamed into Blobs (Chrome keeps large
 * Blobs on disk, so exporting X [N,120,F] never holds it in the worker's heap), a run's
 * evaluation on its stored dataset, and a trained model's save.
 */
import { featuresCsvChunks } from "@/lib/export/features-csv";
import { datasetNpz } from "@/lib/export/npz";
import { getStudioDb, loadDataset, saveModel, type ModelRecord, type StudioDb } from "@/lib/db";
import type { QualityReport } from "@/lib/core/quality";
import { evaluateRun } from "@/lib/run/evaluate-run";
import type { SummarizeOptions } from "@/lib/run/summarize";
import type { ModelOutcome, RunConfig, RunEvaluation } from "@/lib/run/types";
import {
  buildDatasetFromStore,
  storedReport,
  type BuildFromStoreArgs,
  type BuildFromStoreResult,
} from "./build-from-store";

export type DatasetPart = "all" | "train" | "val" | "test";

function newId(): string {
  return `ds-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

async function mustLoad(db: StudioDb, id: string) {
  const ds = await loadDataset(db, id);
  if (!ds) throw new Error(`Dataset ${id} is not in this browser's storage (deleted, or built in another browser).`);
  return ds;
}

export function createDatasetApi(dbName?: string) {
  const db = () => getStudioDb(dbName);
  return {
    build(args: BuildFromStoreArgs): Promise<BuildFromStoreResult> {
      return buildDatasetFromStore(db(), args, newId());
    },
    /** The quality report and build notes of a stored dataset (the same every time it is opened). */
    report(id: string): Promise<{ quality: QualityReport; notes: string[] }> {
      return storedReport(db(), id);
    },
    /** X [N, window, F] float32 (normalised with training statistics) and y [N] as .npz. */
    async npz(id: string, part: DatasetPart = "all"): Promise<{ blob: Blob; samples: number }> {
      const ds = await mustLoad(db(), id);
      const out = datasetNpz(ds, { part });
      const parts: BlobPart[] = [];
      for await (const chunk of out.chunks) parts.push(chunk as BlobPart);
      const blob = new Blob(parts, { type: "application/zip" });
      if (blob.size !== out.bytes) throw new Error(`npz size ${blob.size} differs from the declared ${out.bytes}`);
      return { blob, samples: out.samples };
    },
    /**
     * A run's evaluation (lib/run/evaluate-run) on stored dataset `id`. Here rather than on the
     * page: its bootstrap intervals and backtests are a few hundred ms of work in one piece.
     */
    async evaluateRun(
      id: string,
      config: Pick<RunConfig, "control">,
      outcomesBySeed: ModelOutcome[][],
      opts: SummarizeOptions,
    ): Promise<RunEvaluation> {
      return evaluateRun(await mustLoad(db(), id), config, outcomesBySeed, opts);
    },
    /**
     * Stores a trained model's record (lib/db saveModel). Here rather than on the page: a
     * forest's record is tens of MB, and IndexedDB serialises a put on the calling thread (a
     * 16.6 MB forest took 106-136 ms of the page's time per put).
     */
    saveModel(record: Omit<ModelRecord, "v">): Promise<void> {
      return saveModel(db(), record);
    },
    async featuresCsv(id: string): Promise<Blob> {
      const ds = await mustLoad(db(), id);
      return new Blob(Array.from(featuresCsvChunks(ds)), { type: "text/csv" });
    },
  };
}

export type DatasetApi = ReturnType<typeof createDatasetApi>;
