/**
 * The studio's collect worker API (lib/sources/collect/api.ts, the same object
 * workers/collect.worker.ts exposes) with one addition for the bench: the Binance page fetcher
 * is wrapped to time how long the collector waits for each page (HTTP + JSON + row parsing), so
 * the page can split a collect's wall time into fetching and storing. Bundled as ./collect.worker.js.
 */
import * as Comlink from "comlink";
import { createCollectApi } from "../../lib/sources/collect/api";
import { binancePageFetcher } from "../../lib/sources/collect/binance-fetcher";
import type { PageFetcher } from "../../lib/sources/collect/types";

let fetchMs = 0;
let pages = 0;

/** Times each await of the inner fetcher's next page; the time between pages is the collector's (storing). */
function timed(inner: PageFetcher): PageFetcher {
  return async function* (req) {
    const it = inner(req)[Symbol.asyncIterator]();
    for (;;) {
      const t0 = performance.now();
      const r = await it.next();
      fetchMs += performance.now() - t0;
      if (r.done) return;
      pages++;
      yield r.value;
    }
  };
}

const api = createCollectApi({ fetcherFor: (baseUrl, onRetry) => timed(binancePageFetcher({ baseUrl, onRetry })) });

const bench = {
  ...api,
  /** Fetch time and pages since the last call (then zeroed). */
  takeFetchStats(): { fetchMs: number; pages: number } {
    const out = { fetchMs, pages };
    fetchMs = 0;
    pages = 0;
    return out;
  },
};

export type BenchCollectWorkerApi = typeof bench;

Comlink.expose(bench);
