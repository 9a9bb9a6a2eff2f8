/// <reference lib="webworker" />
/**
 * Export worker: builds a run's model bundle, ONNX files and importance CSV from storage
 * (lib/jobs/export/export-run), so converting a large forest or zipping weights never blocks the page.
 */
import * as Comlink from "comlink";
import { runBundle, runImportanceCsv, runOnnx } from "../lib/jobs/export/export-run";
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
  importanceCsv: runImportanceCsv,
};

export type ExportWorkerApi = typeof api;
Comlink.expose(api);
