/**
 * Main-thread side of the export worker (bundles, ONNX, CSV of a stored run), over the worker
 * bridge (../bridge): started on the first call, one for the whole app, stopped when idle. An
 * abort terminates the worker (exports only read storage) and rejects with an AbortError.
 * The page imports only this module; the worker's code as a type.
 */
import type { ReadBundleResult } from "../../export/bundle/read";
import type { RunEvaluation } from "../../run/types";
import type { ExportWorkerApi } from "../../../workers/export.worker";
import { createWorkerBridge } from "../bridge";

export interface ExportCallOptions {
  signal?: AbortSignal;
}

export interface ExportClient {
  /** The run's model bundle ZIP (see runBundle). */
  bundle(
    runId: string,
    datasetId: string,
    evaluation: RunEvaluation,
    settings: { float16: boolean; onnx: boolean; tflite?: boolean },
    opts?: ExportCallOptions,
  ): Promise<Uint8Array>;
  /** One model of the run (its id, e.g. "lstm") as an ONNX file. */
  onnx(runId: string, datasetId: string, model: string, opts?: ExportCallOptions): Promise<Uint8Array>;
  /** A neural model of the run as TFLite for the MyTradeMate app (float16 weights when asked). */
  tflite(
    runId: string,
    datasetId: string,
    model: "transformer" | "lstm",
    float16: boolean,
    opts?: ExportCallOptions,
  ): Promise<Uint8Array>;
  /** The forest's feature_importance.csv. */
  importanceCsv(runId: string, datasetId: string, opts?: ExportCallOptions): Promise<string>;
  /** predictions.csv / predictions.npz: every validation and test sample's probabilities and the backtest's bars. */
  predictionsCsv(
    runId: string,
    datasetId: string,
    evaluation: RunEvaluation,
    opts?: ExportCallOptions,
  ): Promise<string>;
  predictionsNpz(
    runId: string,
    datasetId: string,
    evaluation: RunEvaluation,
    opts?: ExportCallOptions,
  ): Promise<Uint8Array>;
  /** quality_report.json of the run's dataset. */
  qualityReportJson(datasetId: string, opts?: ExportCallOptions): Promise<string>;
  /** Reads and checks a bundle file a user picked (unzipped within BUNDLE_LIMITS, off the page's thread). */
  readBundleFile(file: Blob, opts?: ExportCallOptions): Promise<ReadBundleResult>;
}

const defaultWorker = () =>
  new Worker(new URL("../../../workers/export.worker.ts", import.meta.url), { type: "module", name: "export" });

/** A client whose worker `create` makes (tests pass a fake); it starts on the first call. */
export function createExportClient(create: () => Worker = defaultWorker): ExportClient {
  const bridge = createWorkerBridge<ExportWorkerApi>({ label: "export worker", create });
  return {
    bundle: (runId, datasetId, evaluation, settings, opts) =>
      bridge.call((api) => api.bundle(runId, datasetId, evaluation, settings), opts),
    onnx: (runId, datasetId, model, opts) => bridge.call((api) => api.onnx(runId, datasetId, model), opts),
    tflite: (runId, datasetId, model, float16, opts) =>
      bridge.call((api) => api.tflite(runId, datasetId, model, float16), opts),
    importanceCsv: (runId, datasetId, opts) => bridge.call((api) => api.importanceCsv(runId, datasetId), opts),
    predictionsCsv: (runId, datasetId, evaluation, opts) =>
      bridge.call((api) => api.predictionsCsv(runId, datasetId, evaluation), opts),
    predictionsNpz: (runId, datasetId, evaluation, opts) =>
      bridge.call((api) => api.predictionsNpz(runId, datasetId, evaluation), opts),
    qualityReportJson: (datasetId, opts) => bridge.call((api) => api.qualityReportJson(datasetId), opts),
    // Comlink distributes the result union over two promises; it is one ReadBundleResult.
    readBundleFile: (file, opts) => bridge.call((api) => api.readBundleFile(file) as Promise<ReadBundleResult>, opts),
  };
}

let shared: ExportClient | null = null;

/** The page's shared export client. */
export function getExportClient(): ExportClient {
  shared ??= createExportClient();
  return shared;
}
