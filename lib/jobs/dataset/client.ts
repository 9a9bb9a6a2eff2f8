/**
 * Main-thread bridge to the dataset worker: started lazily, one for the whole app.
 * The page imports only this module; the worker's code is imported as a type.
 */
import * as Comlink from "comlink";
import type { DatasetWorkerApi } from "../../../workers/dataset.worker";

let remote: Comlink.Remote<DatasetWorkerApi> | null = null;

export function getDatasetClient(): Comlink.Remote<DatasetWorkerApi> {
  remote ??= Comlink.wrap<DatasetWorkerApi>(
    new Worker(new URL("../../../workers/dataset.worker.ts", import.meta.url), { type: "module", name: "dataset" }),
  );
  return remote;
}
