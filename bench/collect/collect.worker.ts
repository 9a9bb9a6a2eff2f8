/**
 * The studio's collect worker API (lib/jobs/collect/api.ts, the same object
 * workers/collect.worker.ts exposes) with one addition for the bench: the Binance page fetcher
 * is wrapped to time how long the collector waits for each page (HTTP + JSON + row parsing), so
 * the page can split a collect's wall time into fetching and storing. Bundled as ./collect.worker.js.
 */
import * as Comlink from "comlink";
import { createCollectApi } from "../../lib/jobs/collect/api";
import { binancePageFetcher } from "../../lib/jobs/collect/binance-fetcher";
import type { PageFetcher } from "../../lib/jobs/collect/types";
import { timedPages } from "./shared";

const waited = { ms: 0, pages: 0 };

/** The inner fetcher with each wait for a page timed; the time between pages is the collector's (storing). */
function timed(inner: PageFetcher): PageFetcher {
  return (req) => timedPages(inner(req), waited);
}

const api = createCollectApi({ fetcherFor: (baseUrl, onRetry) => timed(binancePageFetcher({ baseUrl, onRetry })) });

const bench = {
  ...api,
  /** Fetch time and pages since the last call (then zeroed). */
  takeFetchStats(): { fetchMs: number; pages: number } {
    const out = { fetchMs: waited.ms, pages: waited.pages };
    waited.ms = 0;
    waited.pages = 0;
    return out;
  },
};

export type BenchCollectWorkerApi = typeof bench;

Comlink.expose(bench);
