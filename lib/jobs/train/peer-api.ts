/**
 * A gradient peer: a worker holding a replica of the model being trained, which computes the
 * shards of each batch the training worker hands it (see lib/models/shards.ts). It keeps no training
 * state of its own: every request brings the current weights, so a peer can be dropped at any
 * step and the training worker computes its shards itself, with the same result.
 */
import { concatFloat32 } from "../../core/concat";
import type { WindowSource } from "../../core/dataset";
import { withTransfer } from "../transfer";
import { initBackend } from "../../models/backend";
import { workerMemory } from "../../models/memory";
import { toDeviceSource } from "../../models/batches";
import { buildModel } from "../../models/build";
import { namedPermutationImportance } from "../../eval/importance";
import { predictProba } from "../../models/predict";
import { validateConfig, type LstmConfig, type NeuralModelKind, type TransformerConfig } from "../../models/config";
import {
  assignWeights,
  shardGradients,
  makeReplica,
  type ImportanceShare,
  type Replica,
  type ShardRequest,
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

  const release = () => {
    if (!replica) return;
    replica.model.dispose();
    replica.src.dispose();
    replica.classWeights?.dispose();
    replica = undefined;
    source = undefined;
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
    },

    /** One shard's gradients on the weights it brings. */
    gradients(req: ShardRequest): ShardResult {
      if (!replica) throw new Error("gradient peer: gradients() before prepare()");
      assignWeights(replica.vars, req.weights);
      const r = shardGradients(replica, req, req.scale, req.dropoutStep);
      const grads = concatFloat32(r.grads);
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
