/// <reference lib="webworker" />
/** Random Forest worker: grows trees by index on a training set received once (see lib/jobs/forest/pool). */
import * as Comlink from "comlink";
import { createForestWorkerApi } from "@/lib/jobs/forest/api";

Comlink.expose(createForestWorkerApi());
