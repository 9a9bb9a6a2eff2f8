/// <reference lib="webworker" />
/**
 * Export worker: builds a run's model bundle, ONNX files and importance CSV from storage
 * (lib/run/export-run), so converting a large forest or zipping weights never blocks the page;
 * and reads an imported bundle file (unzipping within BUNDLE_LIMITS off the page's thread).
 */
import * as Comlink from "comlink";
import { bundleBuffers, readBundleFile, type ReadBundleResult } from "../lib/export/bundle/read";
import { runBundle, runImportanceCsv, runOnnx } from "../lib/run/export-run";

const api = {
  async bundle(...args: Parameters<typeof runBundle>): Promise<Uint8Array> {
    const bytes = await runBundle(...args);
    return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
  },
  async onnx(...args: Parameters<typeof runOnnx>): Promise<Uint8Array> {
    const bytes = await runOnnx(...args);
    return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
  },
  importanceCsv: runImportanceCsv,
  async readBundleFile(file: Blob): Promise<ReadBundleResult> {
    const read = await readBundleFile(file);
    return read.ok ? Comlink.transfer(read, bundleBuffers(read.bundle)) : read;
  },
};

export type ExportWorkerApi = typeof api;
Comlink.expose(api);
