/**
 * Gradient peer worker (lib/jobs/train/peer-api.ts): thin. The page creates it beside a training worker
 * and hands it one end of a MessageChannel whose other end goes to the training worker, which
 * then calls it directly (the page is not in the loop of a training step).
 */
import * as Comlink from "comlink";
import { createPeerApi } from "../lib/jobs/train/peer-api";

const api = createPeerApi();

self.addEventListener(
  "message",
  (e: MessageEvent<{ port?: MessagePort }>) => {
    if (e.data?.port) Comlink.expose(api, e.data.port);
  },
  { once: true },
);
