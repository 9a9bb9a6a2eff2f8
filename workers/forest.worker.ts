/// <reference lib="webworker" />
/** Random Forest worker: grows trees by index on a training set received once (see lib/workers-client/forest-pool). */
import * as Comlink from "comlink";
import { createForestWorkerApi } from "@/lib/models/forest/worker-api";

Comlink.expose(createForestWorkerApi());
