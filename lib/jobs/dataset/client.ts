/**
 * Main-thread side of the dataset worker, over the worker bridge (../bridge): started on the
 * first call, one for the whole app, stopped when idle. Every call takes an AbortSignal: an
 * abort terminates the worker and rejects with an AbortError. That is safe mid-build: the
 * dataset is saved in one IndexedDB transaction, which a terminated worker never commits.
 * The page imports only this module; the worker's code is imported as a type.
 */
import type { QualityReport } from "@/lib/core/quality";
import type { ModelRecord } from "@/lib/db/records";
import type { SummarizeOptions } from "@/lib/run/summarize";
import type { ModelOutcome, RunConfig, RunEvaluation } from "@/lib/run/types";
import type { DatasetWorkerApi } from "../../../workers/dataset.worker";
import type { DatasetPart } from "./api";
import type { BuildFromStoreArgs, BuildFromStoreResult } from "./build-from-store";
import { createWorkerBridge } from "../bridge";
import { transferCopy } from "../transfer";

export interface DatasetCallOptions {
  signal?: AbortSignal;
}

export interface DatasetClient {
  /** Builds and saves a dataset from stored candles (see buildDatasetFromStore). */
  build(args: BuildFromStoreArgs, opts?: DatasetCallOptions): Promise<BuildFromStoreResult>;
  /** The quality report and build notes stored with a dataset (the same every time it is opened). */
  report(id: string, opts?: DatasetCallOptions): Promise<{ quality: QualityReport; notes: string[] }>;
  /** X [N, window, F] float32 and y [N] of one part as an .npz Blob. */
  npz(id: string, part?: DatasetPart, opts?: DatasetCallOptions): Promise<{ blob: Blob; samples: number }>;
  /** The features table as a CSV Blob. */
  featuresCsv(id: string, opts?: DatasetCallOptions): Promise<Blob>;
  /** A run's evaluation on stored dataset `id`, computed in the worker (see DatasetApi.evaluateRun). */
  evaluateRun(
    id: string,
    config: Pick<RunConfig, "control">,
    outcomesBySeed: ModelOutcome[][],
    opts: SummarizeOptions,
    callOpts?: DatasetCallOptions,
  ): Promise<RunEvaluation>;
  /**
   * Stores a trained model's record in the worker (see DatasetApi.saveModel). Its arrays are
   * copied and the copies transferred, so the page spends a copy, not a clone, and keeps its own.
   */
  saveModel(record: Omit<ModelRecord, "v">): Promise<void>;
}

const defaultWorker = () =>
  new Worker(new URL("../../../workers/dataset.worker.ts", import.meta.url), { type: "module", name: "dataset" });

/** A client whose worker `create` makes (tests pass a fake); it starts on the first call. */
export function createDatasetClient(create: () => Worker = defaultWorker): DatasetClient {
  const bridge = createWorkerBridge<DatasetWorkerApi>({ label: "dataset worker", create });
  return {
    build: (args, opts) => bridge.call((api) => api.build(args), opts),
    report: (id, opts) => bridge.call((api) => api.report(id), opts),
    npz: (id, part = "all", opts) => bridge.call((api) => api.npz(id, part), opts),
    featuresCsv: (id, opts) => bridge.call((api) => api.featuresCsv(id), opts),
    evaluateRun: (id, config, outcomesBySeed, opts, callOpts) =>
      bridge.call((api) => api.evaluateRun(id, config, outcomesBySeed, opts), callOpts),
    saveModel: (record) => bridge.call((api) => api.saveModel(transferCopy(record))),
  };
}

let shared: DatasetClient | null = null;

/**
 * The dataset client a run uses: `given`, else the page's shared one in a browser, else none
 * (Node, where a run computes and stores in-process).
 */
export function runDatasetClient(given?: DatasetClient): DatasetClient | undefined {
  return given ?? (typeof Worker === "undefined" ? undefined : getDatasetClient());
}

/** The page's shared dataset client. */
export function getDatasetClient(): DatasetClient {
  shared ??= createDatasetClient();
  return shared;
}
