import * as Comlink from "comlink";
import type { ForestTrainingSet } from "@/lib/models/forest/forest";
import { forestModel } from "@/lib/models/forest/forest";
import type { ForestParams } from "@/lib/models/forest/params";
import { resolveForestParams } from "@/lib/models/forest/params";
import type { ForestModel, ForestTree } from "@/lib/models/forest/types";
import type { ForestWorkerApi } from "@/lib/jobs/forest/api";
import { abortError, createWorkerBridge, type WorkerBridge } from "../bridge";

/** Progress after each tree. */
export interface ForestProgress {
  treesDone: number;
  trees: number;
  /** Milliseconds since training started. */
  elapsedMs: number;
  /** Estimated milliseconds left (elapsed / done * remaining). */
  etaMs: number;
  workers: number;
}

export interface ForestPoolOptions {
  /** Number of workers; default navigator.hardwareConcurrency (at least 1, at most trees). */
  workers?: number;
  /** Makes one worker; default the app's workers/forest.worker.ts (benches inject their bundle). */
  createWorker?: () => Worker;
  signal?: AbortSignal;
  onProgress?: (p: ForestProgress) => void;
  /** Share the bin codes through a SharedArrayBuffer when possible (default true). */
  share?: boolean;
}

/** A worker running workers/forest.worker.ts (the app's bundle). */
export function createForestWorker(): Worker {
  return new Worker(new URL("../../../workers/forest.worker.ts", import.meta.url), { type: "module", name: "forest" });
}

/**
 * A bridge to one forest worker that stops as soon as its work settles: a forest worker holds a
 * training set (tens of MB), so it is made per job, never kept idle.
 */
export function forestWorkerBridge(create: () => Worker = createForestWorker): WorkerBridge<ForestWorkerApi> {
  return createWorkerBridge<ForestWorkerApi>({ label: "forest worker", create, idleMs: 0 });
}

/** Whether this page can share memory with its workers (cross-origin isolated, SharedArrayBuffer there). */
function canShareMemory(): boolean {
  return (
    typeof SharedArrayBuffer !== "undefined" &&
    (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true
  );
}

/**
 * Puts the bin codes in a SharedArrayBuffer when the page is cross-origin isolated, so every
 * worker reads one copy; otherwise each worker gets its own structured-clone copy.
 */
export function shareTrainingSet(set: ForestTrainingSet): { set: ForestTrainingSet; shared: boolean } {
  const canShare = canShareMemory();
  if (!canShare || set.data.codes.buffer instanceof SharedArrayBuffer) return { set, shared: canShare };
  const codes = new Uint8Array(new SharedArrayBuffer(set.data.codes.byteLength));
  codes.set(set.data.codes);
  return { set: { ...set, data: { ...set.data, codes } }, shared: true };
}

/**
 * Trains a forest over a pool of workers: each gets the training set once, trees are handed out
 * one at a time (fast workers take more), results are merged in tree order, so the model is the
 * one trainForest() builds on one thread with the same seed. Aborting terminates every worker
 * and rejects with an AbortError.
 */
export async function trainForestInPool(
  set: ForestTrainingSet,
  params: Partial<ForestParams> = {},
  opts: ForestPoolOptions = {},
): Promise<ForestModel> {
  const p = resolveForestParams(params);
  if (opts.signal?.aborted) throw abortError("forest training cancelled");
  const cores = typeof navigator !== "undefined" && navigator.hardwareConcurrency ? navigator.hardwareConcurrency : 2;
  const n = Math.max(1, Math.min(opts.workers ?? cores, p.trees));
  const decreases: Float64Array[] = new Array(p.trees);
  const trees: ForestTree[] = new Array(p.trees);
  // The packed trees in shared memory where the page can share it: the forest then goes to its
  // evaluation workers and the dataset worker without a copy. Each copy of the default 200-tree
  // forest (~21 MB) was a 57-76 ms task on the page, and a run makes three or four.
  const shareForest = opts.share !== false && canShareMemory();
  const started = performance.now();
  let next = 0;
  let done = 0;
  const shared = opts.share === false ? set : shareTrainingSet(set).set;
  const run = async (api: Comlink.Remote<ForestWorkerApi>) => {
    await api.init(shared, p);
    while (next < p.trees) {
      const index = next++;
      decreases[index] = await api.grow(index);
      done++;
      const elapsedMs = performance.now() - started;
      opts.onProgress?.({
        treesDone: done,
        trees: p.trees,
        elapsedMs,
        etaMs: (elapsedMs / done) * (p.trees - done),
        workers: n,
      });
    }
    // Each worker packs its own trees: the page only puts the views in tree order.
    const grown = await api.packGrown(shareForest);
    grown.indices.forEach((index, k) => (trees[index] = grown.trees[k]));
  };
  // One signal for the whole pool: the page's abort, or the first worker that fails (the other
  // workers' trees are then of no use, so they are stopped too).
  const stopAll = new AbortController();
  const onAbort = () => stopAll.abort();
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await Promise.all(
      Array.from({ length: n }, () =>
        forestWorkerBridge(opts.createWorker)
          .call(run, { signal: stopAll.signal })
          .catch((e: unknown) => {
            stopAll.abort();
            throw e;
          }),
      ),
    );
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
  }
  return forestModel(set, trees, decreases);
}
