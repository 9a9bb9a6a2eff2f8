/**
 * What the training worker does: start a tfjs backend, train one model (progress and epoch
 * checkpoints back through Comlink proxies, cooperative cancel), predict with a stored model,
 * report memory. The page reaches it through ./client.ts over the worker bridge.
 */
import * as Comlink from "comlink";
import { initBackend } from "../../models/backend";
import { fusedOpsEnabled } from "../../models/fused";
import { workerMemory, type WorkerMemory } from "../../models/memory";
import type { PeerApi } from "./peer-api";
import type { GradientPeer } from "../../models/shards";
import { WASM_BASE } from "../../models/wasm-base";
import { withTransfer } from "../transfer";
import type { WindowSource } from "../../core/dataset";
import { predictProba } from "../../models/predict";
import { modelFromArtifacts } from "../../models/serialize";
import { checkpointTransferables, responseTransferables, runTrainRequest } from "../../models/session";
import type {
  BackendName,
  BackendPreference,
  ModelArtifactsData,
  TrainCheckpoint,
  TrainProgress,
  TrainRequest,
  TrainResponse,
} from "../../models/types";

/**
 * The training worker's API as a plain object (workers/train.worker.ts only exposes it with
 * Comlink), so Node tests run it on the CPU backend behind a fake worker. One training at a time:
 * a new train() cancels the one before.
 */
export function createTrainApi() {
  let controller: AbortController | undefined;
  let ready: Promise<BackendName> | undefined;
  let peers: Comlink.Remote<PeerApi>[] = [];

  /** The peers that built a replica for this request (a peer that fails is left out, not fatal). */
  async function preparedPeers(req: TrainRequest): Promise<GradientPeer[]> {
    const out: GradientPeer[] = [];
    for (const peer of peers) {
      try {
        await peer.prepare({ kind: req.kind, config: req.config, source: req.source, trainLabels: req.train.labels });
        out.push({
          begin: (state) => withDeadline(peer.begin(state), PEER_DEADLINE_MS),
          step: (r) => withDeadline(peer.step(withTransfer(r, [r.apply?.grads])), PEER_DEADLINE_MS),
          importance: (share, onFeature) =>
            withIdleDeadline(
              (alive) =>
                peer.importance(
                  share,
                  Comlink.proxy(() => {
                    alive();
                    onFeature();
                  }),
                ),
              PEER_DEADLINE_MS,
            ),
        });
      } catch {
        // Training goes on without it: shards a peer does not take are computed here.
      }
    }
    return out;
  }

  return {
    /**
     * Starts the backend (call once before train); returns the backend in use. `peerPorts` lead
     * to gradient peer workers (workers/train-peer.worker.ts); they are used on host backends
     * when they start the same backend.
     */
    async init(
      preference: BackendPreference,
      wasmBase: string,
      wasmThreads?: number,
      peerPorts: MessagePort[] = [],
    ): Promise<BackendName> {
      ready = (async () => {
        const backend = await initBackend(preference, { wasmBase, wasmThreads });
        peers = [];
        if (!fusedOpsEnabled()) return backend;
        for (const port of peerPorts) {
          const peer = Comlink.wrap<PeerApi>(port);
          try {
            if ((await withDeadline(peer.init(backend, wasmBase), PEER_DEADLINE_MS)) === backend) peers.push(peer);
          } catch {
            // A peer that cannot start is not used.
          }
        }
        return backend;
      })();
      return ready;
    },

    /** Trains one model. Progress and checkpoints come back through Comlink proxies. */
    async train(
      req: TrainRequest,
      onProgress?: (p: TrainProgress) => void,
      onCheckpoint?: (c: TrainCheckpoint) => Promise<void> | void,
    ): Promise<TrainResponse> {
      controller?.abort();
      const ctrl = new AbortController();
      controller = ctrl;
      try {
        // A train() without init() still gets the studio's backend choice and local wasm path.
        await (ready ??= initBackend("auto", { wasmBase: WASM_BASE }));
        const res = await runTrainRequest(req, {
          signal: ctrl.signal,
          peers: await preparedPeers(req),
          // Not awaited: progress must not stall training on a round trip to the page.
          onProgress: onProgress ? (p) => void onProgress(p) : undefined,
          onCheckpoint: onCheckpoint ? (c) => onCheckpoint(withTransfer(c, checkpointTransferables(c))) : undefined,
        });
        return withTransfer(res, responseTransferables(res));
      } finally {
        if (controller === ctrl) controller = undefined;
      }
    },

    /** Class probabilities of a stored model (tfjs artifacts) per named set of window ends. */
    async predict(
      artifacts: ModelArtifactsData,
      source: WindowSource,
      sets: Record<string, Int32Array>,
    ): Promise<Record<string, Float32Array>> {
      await (ready ??= initBackend("auto", { wasmBase: WASM_BASE }));
      const model = await modelFromArtifacts(artifacts);
      try {
        const out: Record<string, Float32Array> = {};
        for (const [name, ends] of Object.entries(sets)) out[name] = await predictProba(model, source, ends);
        return withTransfer(out, Object.values(out));
      } finally {
        model.dispose();
      }
    },

    /** Memory in use now, of this worker and of each gradient peer (see WorkerMemory). */
    async memory(): Promise<WorkerMemory & { peers: WorkerMemory[] }> {
      const own = workerMemory();
      const peerMemory = await Promise.all(peers.map((p) => withDeadline(p.memory(), PEER_DEADLINE_MS)));
      return { ...own, peers: peerMemory };
    },

    /**
     * Stops the running training between batches; train() then resolves with the best weights so
     * far (the page's bridge asks this first on an abort, and terminates only if it does not stop).
     */
    cancel(): void {
      controller?.abort();
    },
  };
}

export type TrainApi = ReturnType<typeof createTrainApi>;

/**
 * How long a peer may take to start or to answer one shard (ms) before it counts as lost: a
 * crashed worker never answers, and its shards are then computed by the training worker.
 */
export const PEER_DEADLINE_MS = 120_000;

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  return withIdleDeadline(() => work, ms);
}

/**
 * The work `start` begins, or a rejection once `ms` pass without it settling or calling the
 * `alive` it is given (a long share of work reports each step, so only silence counts as lost).
 */
function withIdleDeadline<T>(start: (alive: () => void) => Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let fail: (e: Error) => void = () => undefined;
  const late = new Promise<never>((_, reject) => (fail = reject));
  const alive = () => {
    clearTimeout(timer);
    timer = setTimeout(() => fail(new Error(`gradient peer did not answer within ${ms / 1000} s`)), ms);
  };
  alive();
  return Promise.race([start(alive), late]).finally(() => clearTimeout(timer));
}
