/**
 * Main-thread bridge to the export worker (bundles, ONNX, CSV of a stored run): started lazily,
 * one for the whole app. The page imports only this module; the worker's code as a type.
 */
import * as Comlink from "comlink";
import type { ExportWorkerApi } from "../../../workers/export.worker";

let remote: Comlink.Remote<ExportWorkerApi> | null = null;

export function getExportClient(): Comlink.Remote<ExportWorkerApi> {
  remote ??= Comlink.wrap<ExportWorkerApi>(
    new Worker(new URL("../../../workers/export.worker.ts", import.meta.url), { type: "module", name: "export" }),
  );
  return remote;
}
