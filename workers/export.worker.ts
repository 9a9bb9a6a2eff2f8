/// <reference lib="webworker" />
/**
 * Export worker: builds a run's model bundle, ONNX and TFLite files and importance CSV from storage
 * (lib/run/export-run), so converting a large forest or zipping weights never blocks the page.
 */
import * as Comlink from "comlink";
import { runBundle, runImportanceCsv, runOnnx, runTflite } from "../lib/run/export-run";

const api = {
  async bundle(...args: Parameters<typeof runBundle>): Promise<Uint8Array> {
    const bytes = await runBundle(...args);
    return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
  },
  async onnx(...args: Parameters<typeof runOnnx>): Promise<Uint8Array> {
    const bytes = await runOnnx(...args);
    return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
  },
  async tflite(...args: Parameters<typeof runTflite>): Promise<Uint8Array> {
    const bytes = await runTflite(...args);
    return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
  },
  importanceCsv: runImportanceCsv,
};

export type ExportWorkerApi = typeof api;
Comlink.expose(api);
