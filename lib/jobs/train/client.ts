/**
 * Main-thread side of the training worker, over the worker bridge (../bridge): lazy start with
 * the backend started once per worker, AbortSignal → the worker's cooperative cancel (so the best
 * weights are kept) and terminate after a grace period, transferables for the big arrays, idle
 * stop. The page never loads tfjs itself.
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
import type { WorkerMemory } from "../../models/memory";
import { WASM_BASE } from "../../models/wasm-base";
import type { TrainWorkerApi } from "../../../workers/train.worker";
import { createWorkerBridge, type WorkerBridge } from "../bridge";
import { withTransfer } from "../transfer";

/**
 * How long a cancelled training may take to stop before its worker is terminated (ms). After a
 * cancel the worker still predicts the requested sets with the best weights (seconds on wasm for
 * a few thousand windows); a worker stuck longer than this is not coming back.
 */
export const TRAIN_CANCEL_GRACE_MS = 60_000;

export interface TrainCallOptions {
  onProgress?: (p: TrainProgress) => void;
  /** Receives a checkpoint after each epoch when request.checkpoints is true (store it to resume). */
  onCheckpoint?: (c: TrainCheckpoint) => void | Promise<void>;
  /**
   * Aborting cancels between batches and train() still resolves, with stopReason "aborted" and
   * the best weights; if the worker does not stop within the grace period it is terminated and
   * train() rejects with an AbortError.
   */
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
  /** Where the tfjs wasm binaries are served (default the app's WASM_BASE). */
  wasmBase?: string;
  wasmThreads?: number;
  /** For tests and benches: how to create the worker. */
  createWorker?: () => Worker;
  /**
   * Gradient peer workers beside the training worker (each computes shards of every batch on
   * host backends; lib/models/shards.ts). Default: one where the machine has two cores or more
   * and the default workers are used, none otherwise.
   */
  peers?: number;
  /** For tests and benches: how to create a peer worker. */
  createPeerWorker?: () => Worker;
  /** How long a cancelled training may take to stop (default TRAIN_CANCEL_GRACE_MS). */
  cancelGraceMs?: number;
  /** Stop the worker after this long without a call (ms; default the bridge's IDLE_STOP_MS). */
  idleMs?: number;
}

const defaultWorker = () =>
  new Worker(new URL("../../../workers/train.worker.ts", import.meta.url), { type: "module", name: "train" });

const defaultPeerWorker = () =>
  new Worker(new URL("../../../workers/train-peer.worker.ts", import.meta.url), {
    type: "module",
    name: "train-peer",
  });

/** Peers by default: one on a machine with two or more cores (TRAIN_SHARDS is 2, so more would idle). */
function defaultPeerCount(options: TrainClientOptions): number {
  if (options.createWorker && !options.createPeerWorker) return 0;
  const cores = typeof navigator === "object" ? (navigator.hardwareConcurrency ?? 1) : 1;
  return cores >= 2 ? 1 : 0;
}

/**
 * The training worker with its peer workers: each peer gets one end of a MessageChannel and the
 * other end is for the training worker's init; terminating the training worker ends its peers.
 */
function createWithPeers(options: TrainClientOptions): { worker: Worker; peerPorts: MessagePort[] } {
  const worker = (options.createWorker ?? defaultWorker)();
  const count = options.peers ?? defaultPeerCount(options);
  const peerWorkers = Array.from({ length: count }, () => (options.createPeerWorker ?? defaultPeerWorker)());
  const peerPorts = peerWorkers.map((peer) => {
    const channel = new MessageChannel();
    peer.postMessage({ port: channel.port1 }, [channel.port1]);
    return channel.port2;
  });
  const terminate = worker.terminate.bind(worker);
  worker.terminate = () => {
    for (const peer of peerWorkers) peer.terminate();
    terminate();
  };
  return { worker, peerPorts };
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

function requestArrays(req: TrainRequest): ArrayBufferView[] {
  const arrays: ArrayBufferView[] = [
    req.source.matrix,
    req.train.ends,
    req.train.labels,
    req.val.ends,
    req.val.labels,
    ...Object.values(req.predict ?? {}),
  ];
  if (req.permutation) arrays.push(req.permutation.ends, req.permutation.labels);
  return arrays;
}

/** Owns one training worker (started on the first call, stopped when idle or on terminate()). */
export class TrainClient {
  private readonly bridge: WorkerBridge<TrainWorkerApi, BackendName>;

  constructor(private readonly options: TrainClientOptions = {}) {
    // The ports of the worker being set up: create() makes them, setup() hands them over.
    let peerPorts: MessagePort[] = [];
    this.bridge = createWorkerBridge<TrainWorkerApi, BackendName>({
      label: "training worker",
      create: () => {
        const made = createWithPeers(options);
        peerPorts = made.peerPorts;
        return made.worker;
      },
      idleMs: options.idleMs,
      setup: (api) => {
        const ports = peerPorts;
        peerPorts = [];
        return api.init(
          options.backend ?? "auto",
          options.wasmBase ?? WASM_BASE,
          options.wasmThreads,
          Comlink.transfer(ports, ports),
        );
      },
    });
  }

  /** Starts the worker and its backend (once per worker); resolves to the backend in use. */
  init(): Promise<BackendName> {
    return this.bridge.call(async (_, backend) => backend);
  }

  /** Trains one model in the worker; see TrainRequest/TrainResponse and TrainCallOptions.signal. */
  train(request: TrainRequest, opts: TrainCallOptions = {}): Promise<TrainResponse> {
    const req = opts.transfer ? request : copyRequest(request);
    return this.bridge.call(
      (api) =>
        api.train(
          withTransfer(req, requestArrays(req)),
          opts.onProgress ? Comlink.proxy(opts.onProgress) : undefined,
          opts.onCheckpoint ? Comlink.proxy(opts.onCheckpoint) : undefined,
        ),
      {
        signal: opts.signal,
        cancel: (api) => api.cancel(),
        graceMs: this.options.cancelGraceMs ?? TRAIN_CANCEL_GRACE_MS,
      },
    );
  }

  /**
   * Class probabilities of a stored tfjs model per named set of window ends (inputs are copied).
   * An abort terminates the worker and rejects with an AbortError.
   */
  predict(
    artifacts: ModelArtifactsData,
    source: WindowSource,
    sets: Record<string, Int32Array>,
    opts: { signal?: AbortSignal } = {},
  ): Promise<Record<string, Float32Array>> {
    return this.bridge.call((api) => api.predict(artifacts, source, sets), opts);
  }

  /** The worker's memory now, and its peers' (tensor bytes; WASM heap bytes on the wasm backend). */
  memory(): Promise<WorkerMemory & { peers: WorkerMemory[] }> {
    return this.bridge.call((api) => api.memory());
  }

  /** Stops the worker (any running training is lost; its call rejects). The next call starts a fresh one. */
  terminate(): void {
    this.bridge.terminate();
  }
}

let shared: TrainClient | undefined;

/** The app's shared training client (one worker, stopped when idle; wasm served at WASM_BASE). */
export function getTrainClient(options: TrainClientOptions = {}): TrainClient {
  shared ??= new TrainClient(options);
  return shared;
}
