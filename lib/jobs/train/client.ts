/**
 * Main-thread side of the training worker: lazy start, typed Comlink calls, AbortSignal → cancel,
 * transferables for the big arrays, terminate. The page never loads tfjs itself.
 */
import * as Comlink from "comlink";
import type { WindowSource } from "../../core/dataset";
import type {
  BackendName,
  BackendPreference,
  ModelArtifactsData,
  TrainCheckpoint,
  TrainProgress,
  TrainRequest,
  TrainResponse,
} from "../../models/types";
import type { TrainWorkerApi } from "../../../workers/train.worker";

export interface TrainCallOptions {
  onProgress?: (p: TrainProgress) => void;
  /** Receives a checkpoint after each epoch when request.checkpoints is true (store it to resume). */
  onCheckpoint?: (c: TrainCheckpoint) => void | Promise<void>;
  /** Aborting cancels between batches; train() still resolves, with stopReason "aborted". */
  signal?: AbortSignal;
  /**
   * Transfer the request's typed arrays instead of copying them (faster, but they become
   * unusable here). Default false: copies are transferred, the caller's arrays stay intact.
   */
  transfer?: boolean;
}

export interface TrainClientOptions {
  /** Backend to try first; "auto" = WebGPU → WebGL → WASM → CPU. */
  backend?: BackendPreference;
  /** Where the tfjs wasm binaries are served (the app: "/tfjs-wasm/"). */
  wasmBase?: string;
  wasmThreads?: number;
  /** For tests and benches: how to create the worker. */
  createWorker?: () => Worker;
}

function copyRequest(req: TrainRequest): TrainRequest {
  const predict = req.predict
    ? Object.fromEntries(Object.entries(req.predict).map(([k, v]) => [k, v.slice()]))
    : undefined;
  return {
    ...req,
    source: { ...req.source, matrix: req.source.matrix.slice() },
    train: { ends: req.train.ends.slice(), labels: req.train.labels.slice() },
    val: { ends: req.val.ends.slice(), labels: req.val.labels.slice() },
    predict,
    permutation: req.permutation
      ? { ...req.permutation, ends: req.permutation.ends.slice(), labels: req.permutation.labels.slice() }
      : undefined,
  };
}

function requestTransferables(req: TrainRequest): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = [
    req.source.matrix,
    req.train.ends,
    req.train.labels,
    req.val.ends,
    req.val.labels,
    ...Object.values(req.predict ?? {}),
  ];
  if (req.permutation) arrays.push(req.permutation.ends, req.permutation.labels);
  // A buffer may appear once only in a transfer list.
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

/** Owns one training worker. */
export class TrainClient {
  private worker: Worker | undefined;
  private remote: Comlink.Remote<TrainWorkerApi> | undefined;
  private backendPromise: Promise<BackendName> | undefined;

  constructor(private readonly options: TrainClientOptions = {}) {}

  private start(): Comlink.Remote<TrainWorkerApi> {
    if (!this.remote) {
      this.worker = this.options.createWorker
        ? this.options.createWorker()
        : new Worker(new URL("../../../workers/train.worker.ts", import.meta.url), { type: "module" });
      this.remote = Comlink.wrap<TrainWorkerApi>(this.worker);
    }
    return this.remote;
  }

  /** Starts the worker and its backend (once); resolves to the backend in use. */
  init(): Promise<BackendName> {
    this.backendPromise ??= this.start().init(
      this.options.backend ?? "auto",
      this.options.wasmBase ?? "/tfjs-wasm/",
      this.options.wasmThreads,
    );
    return this.backendPromise;
  }

  /** Trains one model in the worker; see TrainRequest/TrainResponse. */
  async train(request: TrainRequest, opts: TrainCallOptions = {}): Promise<TrainResponse> {
    await this.init();
    const remote = this.start();
    const req = opts.transfer ? request : copyRequest(request);
    const onAbort = () => void remote.cancel();
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener("abort", onAbort);
    try {
      const call = remote.train(
        Comlink.transfer(req, requestTransferables(req)),
        opts.onProgress ? Comlink.proxy(opts.onProgress) : undefined,
        opts.onCheckpoint ? Comlink.proxy(opts.onCheckpoint) : undefined,
      );
      // Cancel only works once the worker has started the job; re-send if aborted meanwhile.
      if (opts.signal?.aborted) onAbort();
      return await call;
    } finally {
      opts.signal?.removeEventListener("abort", onAbort);
    }
  }

  /** Class probabilities of a stored tfjs model per named set of window ends (inputs are copied). */
  async predict(
    artifacts: ModelArtifactsData,
    source: WindowSource,
    sets: Record<string, Int32Array>,
  ): Promise<Record<string, Float32Array>> {
    await this.init();
    return this.start().predict(artifacts, source, sets);
  }

  /** The worker's memory now (tensor bytes; WASM heap bytes on the wasm backend). */
  async memory(): Promise<{ backend: string; tensorBytes: number; wasmHeapBytes: number | null }> {
    await this.init();
    return this.start().memory();
  }

  /** Stops the worker (any running training is lost). The next call starts a fresh one. */
  terminate(): void {
    if (this.remote) this.remote[Comlink.releaseProxy]();
    this.worker?.terminate();
    this.worker = undefined;
    this.remote = undefined;
    this.backendPromise = undefined;
  }
}

let shared: TrainClient | undefined;

/** The app's shared training client (one worker; the app serves wasm at "/tfjs-wasm/"). */
export function getTrainClient(options: TrainClientOptions = {}): TrainClient {
  shared ??= new TrainClient({ wasmBase: "/tfjs-wasm/", ...options });
  return shared;
}
