// The forest worker with the reference grower (tree-reference.ts), bundled as ./reference.worker.js:
// grower=reference|both times the forest it grows (the same trees) beside the app's.
import * as Comlink from "comlink";
import { createForestWorkerApi } from "@/lib/jobs/forest/api";
import { buildTreeReference } from "@/lib/models/forest/tree-reference";

Comlink.expose(createForestWorkerApi(buildTreeReference));
