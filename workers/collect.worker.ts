/**
 * Collect worker: Binance collection, file import and synthetic generation off the main thread.
 * Thin: the API lives in lib/sources/collect/api.ts; the page talks to it through
 * lib/workers-client/collect-client.ts.
 */
import * as Comlink from "comlink";
import { createCollectApi } from "../lib/sources/collect/api";

const api = createCollectApi();

export type CollectWorkerApi = typeof api;

Comlink.expose(api);
