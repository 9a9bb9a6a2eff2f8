/**
 * Main-thread side of the collect worker, over the worker bridge (../bridge): lazy start, an
 * AbortSignal becomes the worker's cancel(token) (and a worker that does not stop in time is
 * terminated), progress callbacks are forwarded, idle stop. The page imports only this module;
 * the worker's code is imported as a type.
 */
import * as Comlink from "comlink";
import type { CollectWorkerApi } from "../../../workers/collect.worker";
import type {
  CollectArgs,
  FetchAltDataArgs,
  ImportFilesArgs,
  ImportFilesResult,
  ImportInput,
  RetryNotice,
  SyntheticArgs,
} from "./api";
import type { AltFetchOutcome, AltImportResult } from "./alt";
import type { ImportSeriesResult } from "./import";
import type { CollectProgress, CollectResult } from "./types";
import type { Interval } from "../../core/intervals";
import { abortError, createWorkerBridge, type BridgeCallOptions } from "../bridge";

export type {
  AltFetchOutcome,
  AltImportResult,
  CollectArgs,
  FetchAltDataArgs,
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
  /** Imports funding-rate / Fear & Greed CSVs into the alternative-data store. */
  importAltFiles(files: ImportInput[], args?: { symbol?: string }): Promise<AltImportResult[]>;
  /** Fetches what the alternative-data store lacks (each source fails fast on its own); cancellable. */
  fetchAlt(
    args: FetchAltDataArgs,
    opts?: { signal?: AbortSignal; onProgress?: (o: AltFetchOutcome) => void },
  ): Promise<AltFetchOutcome[]>;
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
  const graceMs = opts.cancelGraceMs ?? CANCEL_GRACE_MS;
  const bridge = createWorkerBridge<CollectWorkerApi>({ label: "collect worker", create: factory });
  let seq = 0;
  /** A token naming one call in the worker, and the bridge options that cancel it by that token. */
  const cancellable = (signal: AbortSignal | undefined): [string, BridgeCallOptions<CollectWorkerApi>] => {
    const token = `c${++seq}`;
    return [token, { signal, cancel: (api) => api.cancel(token), graceMs }];
  };

  return {
    collect(args, opts = {}) {
      const [token, call] = cancellable(opts.signal);
      return bridge.call(
        (api) =>
          api.collect(
            token,
            args,
            opts.onProgress ? Comlink.proxy(opts.onProgress) : undefined,
            opts.onRetry ? Comlink.proxy(opts.onRetry) : undefined,
          ),
        call,
      );
    },
    importFiles(files, args = {}, opts = {}) {
      const [token, call] = cancellable(opts.signal);
      return bridge.call(
        (api) => api.importFiles(token, files, args, opts.onProgress ? Comlink.proxy(opts.onProgress) : undefined),
        call,
      );
    },
    importAltFiles(files, args = {}) {
      return bridge.call((api) => api.importAltFiles(files, args));
    },
    fetchAlt(args, opts = {}) {
      const [token, call] = cancellable(opts.signal);
      return bridge.call(
        (api) => api.fetchAlt(token, args, opts.onProgress ? Comlink.proxy(opts.onProgress) : undefined),
        call,
      );
    },
    generateSynthetic(args, opts = {}) {
      return bridge.call((api) =>
        api.generateSynthetic(args, opts.onProgress ? Comlink.proxy(opts.onProgress) : undefined),
      );
    },
    terminate: () => bridge.terminate(abortError()),
  };
}

let shared: CollectClient | null = null;

/** The page's shared collect client (one worker for the whole app). */
export function getCollectClient(): CollectClient {
  shared ??= createCollectClient();
  return shared;
}
