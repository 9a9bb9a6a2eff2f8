/**
 * Collect worker: Binance collection, file import and synthetic generation off the main thread.
 * Thin: the API lives in lib/jobs/collect/api.ts; the page talks to it through
 * lib/jobs/collect/client.ts.
 */
import * as Comlink from "comlink";
import { createCollectApi } from "../lib/jobs/collect/api";

const api = createCollectApi();

export type CollectWorkerApi = typeof api;

Comlink.expose(api);
