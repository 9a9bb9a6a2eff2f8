/**
 * Training worker: thin. The API lives in lib/jobs/train/api.ts; the page talks to it through
 * lib/jobs/train/client.ts and imports only the type (TrainWorkerApi).
 */
import * as Comlink from "comlink";
import { createTrainApi } from "../lib/jobs/train/api";

const api = createTrainApi();

export type TrainWorkerApi = typeof api;

Comlink.expose(api);
