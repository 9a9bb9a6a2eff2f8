/**
 * Live worker: thin. The API lives in lib/jobs/live/api.ts; the page talks to it through
 * lib/jobs/live/client.ts and imports only the type.
 */
import * as Comlink from "comlink";
import { createLiveApi } from "../lib/jobs/live/api";

Comlink.expose(createLiveApi());
