/// <reference lib="webworker" />
/** Dataset worker: builds datasets from stored candles and streams exports (lib/datasets/api). */
import * as Comlink from "comlink";
import { createDatasetApi } from "../lib/datasets/api";

const api = createDatasetApi();
export type DatasetWorkerApi = typeof api;
Comlink.expose(api);
