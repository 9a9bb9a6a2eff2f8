/**
 * A gradient peer: a worker holding a replica of the model being trained, which computes shard 1
 * of each batch the training worker hands it and mirrors its weights and Adam state (see
 * lib/models/sharded-steps.ts). The training worker holds the whole state all along, so a peer can
 * be dropped at any step and the training worker computes its shards itself, with the same result.
 */
import type { WindowSource } from "../../core/dataset";
import { withTransfer } from "../transfer";
import { initBackend } from "../../models/backend";
import { workerMemory } from "../../models/memory";
import { toDeviceSource } from "../../models/batches";
import { buildModel } from "../../models/build";
import { namedPermutationImportance } from "../../eval/importance";
import { predictProba } from "../../models/predict";
import { validateConfig, type LstmConfig, type NeuralModelKind, type TransformerConfig } from "../../models/config";
import { HostAdam } from "../../models/host-adam";
import {
  applyShards,
  assignWeights,
  shardGradients,
  makeReplica,
  splitFlat,
  type ImportanceShare,
  type PeerState,
  type PeerStep,
  type Replica,
  type ShardPart,
  type ShardResult,
} from "../../models/shards";
import type { BackendName, BackendPreference } from "../../models/types";

/** What a peer needs to build its replica: the model, the data, the class weights' labels. */
export interface PeerJob {
  kind: NeuralModelKind;
  config: TransformerConfig | LstmConfig;
  source: WindowSource;
  /** Training labels, for the class weights (when the config asks for them). */
  trainLabels: Uint8Array;
}

/** The peer's API as a plain object (workers/train-peer.worker.ts exposes it with Comlink). */
export function createPeerApi() {
  let replica: Replica | undefined;
  // The host copy of the job's data: permutation importance shuffles its columns.
  let source: WindowSource | undefined;
  let learningRate = 0;
  // The mirror of the trainer's Adam (from begin()), and this peer's gradients of the step not yet applied.
  let optimizer: HostAdam | undefined;
  let own: ShardPart | undefined;

  const release = () => {
    if (!replica) return;
    replica.model.dispose();
    replica.src.dispose();
    replica.classWeights?.dispose();
    replica = undefined;
    source = undefined;
    optimizer = undefined;
    own = undefined;
  };

  return {
    /** Starts the backend; returns the one in use (the trainer uses a peer only on its own backend). */
    init(preference: BackendPreference, wasmBase: string): Promise<BackendName> {
      return initBackend(preference, { wasmBase });
    },

    /** Builds the replica for a training run (replacing any earlier one). */
    prepare(job: PeerJob): void {
      release();
      const window = job.source.window;
      const config = validateConfig(job.kind, job.config, window).config;
      const model = buildModel(job.kind, config, window, job.source.features);
      replica = makeReplica(model, toDeviceSource(job.source), config.classWeights, job.trainLabels);
      source = job.source;
      learningRate = config.learningRate;
    },

    /** Takes the trainer's weights and Adam state: this replica mirrors them from here on. */
    begin(state: PeerState): void {
      if (!replica) throw new Error("gradient peer: begin() before prepare()");
      assignWeights(replica.vars, state.weights);
      optimizer = new HostAdam(learningRate);
      optimizer.importState(state.optimizer);
      own = undefined;
    },

    /**
     * Applies the step the trainer sends (its shard's gradients plus this peer's, summed in shard
     * order as the trainer sums them), then computes the next shard it asks for.
     */
    step(req: PeerStep): ShardResult | null {
      if (!replica || !optimizer) throw new Error("gradient peer: step() before begin()");
      if (req.apply) {
        const first = { grads: splitFlat(replica.vars, req.apply.grads), loss: req.apply.loss };
        applyShards(optimizer, replica.vars, first, own);
        own = undefined;
      }
      if (!req.shard) return null;
      const r = shardGradients(replica, req.shard, req.shard.scale, req.shard.dropoutStep);
      own = { grads: r.grads, loss: r.loss };
      const grads = r.flat.slice(); // a copy to transfer: own.grads are views of r.flat
      return withTransfer({ grads, loss: r.loss, correct: r.correct }, [grads]);
    },

    /** Permutation importance of the share's features on the trained weights it brings. */
    async importance(share: ImportanceShare, onFeature?: () => void): Promise<{ name: string; value: number }[]> {
      if (!replica || !source) throw new Error("gradient peer: importance() before prepare()");
      const { model } = replica;
      const src = source;
      assignWeights(replica.vars, share.weights);
      return namedPermutationImportance(
        src,
        share.permutation,
        (matrix, ends) => predictProba(model, { ...src, matrix }, ends),
        { onProgress: onFeature ? () => void onFeature() : undefined },
      );
    },

    release,

    memory: workerMemory,
  };
}

export type PeerApi = ReturnType<typeof createPeerApi>;
