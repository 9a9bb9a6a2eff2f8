/**
 * Main-thread bridge to the collect worker: starts it lazily, turns AbortSignals into cancel
 * calls (and terminates a worker that does not stop in time), and forwards progress callbacks.
 * The page imports only this module; the worker's code is imported as a type.
 */
import * as Comlink from "comlink";
import type { CollectWorkerApi } from "../../../workers/collect.worker";
import type { CollectArgs, ImportFilesArgs, ImportFilesResult, ImportInput, RetryNotice, SyntheticArgs } from "./api";
import type { ImportSeriesResult } from "./import";
import type { CollectProgress, CollectResult } from "./types";
import type { Interval } from "../../core/intervals";
import { abortError } from "../guarded-workers";

export type {
  CollectArgs,
  ImportFilesArgs,
  ImportFilesResult,
  ImportInput,
  RetryNotice,
  SyntheticArgs,
  CollectProgress,
  CollectResult,
  ImportSeriesResult,
};

/** How long a cancelled call may take to stop before the worker is terminated (ms). */
export const CANCEL_GRACE_MS = 5_000;

export interface CollectClient {
  /**
   * Collects a series in the worker. Resolves with state "cancelled" when `signal` fires and the
   * worker stops in time; rejects with an AbortError when it had to be terminated (stored pages
   * stay; the job stays resumable). Other errors keep their user-facing message and name
   * ("StorageFullError", "CollectLockedError", "BinanceError").
   */
  collect(
    args: CollectArgs,
    opts?: { signal?: AbortSignal; onProgress?: (p: CollectProgress) => void; onRetry?: (n: RetryNotice) => void },
  ): Promise<CollectResult>;
  /** Imports CSV/ZIP files of one series (Files from drag and drop are sent as-is). */
  importFiles(
    files: ImportInput[],
    args?: ImportFilesArgs,
    opts?: { signal?: AbortSignal; onProgress?: (p: { done: number; total: number }) => void },
  ): Promise<ImportFilesResult>;
  /** Generates and stores the synthetic market. */
  generateSynthetic(
    args: SyntheticArgs,
    opts?: { onProgress?: (p: { interval: Interval; done: number; total: number }) => void },
  ): Promise<ImportSeriesResult[]>;
  /** Stops the worker now (pending calls reject). A later call starts a new one. */
  terminate(): void;
}

type Factory = () => Worker;

const defaultFactory: Factory = () =>
  new Worker(new URL("../../../workers/collect.worker.ts", import.meta.url), { type: "module", name: "collect" });

/**
 * Creates a client. `factory` builds the Worker (tests pass their own); the worker starts on the
 * first call. `cancelGraceMs` (default CANCEL_GRACE_MS) bounds how long a cancelled call may run.
 */
export function createCollectClient(
  factory: Factory = defaultFactory,
  opts: { cancelGraceMs?: number } = {},
): CollectClient {
  const grace = opts.cancelGraceMs ?? CANCEL_GRACE_MS;
  let worker: Worker | null = null;
  let remote: Comlink.Remote<CollectWorkerApi> | null = null;
  // Rejecters of calls in flight, so terminate() can settle them.
  const pending = new Set<(e: unknown) => void>();
  let seq = 0;

  function api(): Comlink.Remote<CollectWorkerApi> {
    if (!remote) {
      worker = factory();
      remote = Comlink.wrap<CollectWorkerApi>(worker);
    }
    return remote;
  }

  function terminate(reason: unknown = abortError("Cancelled.")) {
    worker?.terminate();
    worker = null;
    remote = null;
    for (const reject of [...pending]) reject(reason);
    pending.clear();
  }

  /** Runs a call; on abort, asks the worker to cancel and terminates it after CANCEL_GRACE_MS. */
  function run<T>(
    signal: AbortSignal | undefined,
    start: (token: string) => Promise<T>,
    cancel?: (token: string) => void,
  ): Promise<T> {
    const token = `c${++seq}`;
    if (signal?.aborted) return Promise.reject(abortError("Cancelled."));
    return new Promise<T>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = () => {
        pending.delete(reject);
        if (timer) clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      const onAbort = () => {
        cancel?.(token);
        timer = setTimeout(() => terminate(abortError("Cancelled.")), grace);
      };
      pending.add(reject);
      signal?.addEventListener("abort", onAbort, { once: true });
      start(token).then(
        (v) => {
          settle();
          resolve(v);
        },
        (e) => {
          settle();
          reject(e);
        },
      );
    });
  }

  return {
    collect(args, opts = {}) {
      const r = api();
      return run(
        opts.signal,
        (token) =>
          r.collect(
            token,
            args,
            opts.onProgress ? Comlink.proxy(opts.onProgress) : undefined,
            opts.onRetry ? Comlink.proxy(opts.onRetry) : undefined,
          ),
        (token) => void r.cancel(token),
      );
    },
    importFiles(files, args = {}, opts = {}) {
      const r = api();
      return run(
        opts.signal,
        (token) => r.importFiles(token, files, args, opts.onProgress ? Comlink.proxy(opts.onProgress) : undefined),
        (token) => void r.cancel(token),
      );
    },
    generateSynthetic(args, opts = {}) {
      const r = api();
      return run(undefined, () =>
        r.generateSynthetic(args, opts.onProgress ? Comlink.proxy(opts.onProgress) : undefined),
      );
    },
    terminate: () => terminate(),
  };
}

let shared: CollectClient | null = null;

/** The page's shared collect client (one worker for the whole app). */
export function getCollectClient(): CollectClient {
  shared ??= createCollectClient();
  return shared;
}
