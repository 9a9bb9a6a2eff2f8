/// <reference lib="webworker" />
/** Dataset worker: builds datasets from stored candles and streams exports (lib/jobs/dataset/api). */
import * as Comlink from "comlink";
import { createDatasetApi } from "../lib/jobs/dataset/api";

const api = createDatasetApi();
export type DatasetWorkerApi = typeof api;
Comlink.expose(api);
