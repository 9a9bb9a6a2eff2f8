/// <reference lib="webworker" />
/**
 * Export worker: builds a run's model bundle, ONNX and TFLite files, importance CSV, predictions and quality
 * report from storage (lib/jobs/export/export-run), so converting a large forest or zipping weights
 * never blocks the page; and reads an imported bundle file (unzipping within BUNDLE_LIMITS off the
 * page's thread).
 */
import * as Comlink from "comlink";
import { bundleBuffers, readBundleFile, type ReadBundleResult } from "../lib/export/bundle/read";
import {
  runBundle,
  runImportanceCsv,
  runOnnx,
  runTflite,
  runPredictionsCsv,
  runPredictionsNpz,
  runQualityReportJson,
} from "../lib/jobs/export/export-run";
import { withTransfer } from "../lib/jobs/transfer";

const api = {
  async bundle(...args: Parameters<typeof runBundle>): Promise<Uint8Array> {
    const bytes = await runBundle(...args);
    return withTransfer(bytes, [bytes]);
  },
  async onnx(...args: Parameters<typeof runOnnx>): Promise<Uint8Array> {
    const bytes = await runOnnx(...args);
    return withTransfer(bytes, [bytes]);
  },
  async tflite(...args: Parameters<typeof runTflite>): Promise<Uint8Array> {
    const bytes = await runTflite(...args);
    return withTransfer(bytes, [bytes]);
  },
  importanceCsv: runImportanceCsv,
  predictionsCsv: runPredictionsCsv,
  async predictionsNpz(...args: Parameters<typeof runPredictionsNpz>): Promise<Uint8Array> {
    const bytes = await runPredictionsNpz(...args);
    return withTransfer(bytes, [bytes]);
  },
  qualityReportJson: runQualityReportJson,
  async readBundleFile(file: Blob): Promise<ReadBundleResult> {
    const read = await readBundleFile(file);
    return read.ok ? Comlink.transfer(read, bundleBuffers(read.bundle)) : read;
  },
};

export type ExportWorkerApi = typeof api;
Comlink.expose(api);
