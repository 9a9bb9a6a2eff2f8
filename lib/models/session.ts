/**
 * One training job end to end, as the worker runs it: train, serialise the best model, predict
 * the requested sets. Kept apart from the worker entry so it can be tested and benchmarked
 * without Comlink.
 */
import { namedPermutationImportance } from "../eval/importance";
import { toDeviceSource } from "./batches";
import { predictProba } from "./predict";
import { modelToArtifacts } from "./serialize";
import { flattenWeights, trainableVariables, type GradientPeer } from "./shards";
import { trainModel } from "./trainer";
import type { LayersModel } from "@tensorflow/tfjs";
import type { WindowSource } from "../core/dataset";
import type { PermutationRequest, TrainCheckpoint, TrainProgress, TrainRequest, TrainResponse } from "./types";

export interface SessionHooks {
  onProgress?: (p: TrainProgress) => void;
  onCheckpoint?: (c: TrainCheckpoint) => void | Promise<void>;
  signal?: AbortSignal;
  /** Gradient peers that compute shards of each batch (see ./shards.ts). */
  peers?: GradientPeer[];
}

/** Trains per the request and returns artifacts, history and predictions (best weights). */
export async function runTrainRequest(req: TrainRequest, hooks: SessionHooks = {}): Promise<TrainResponse> {
  const src = toDeviceSource(req.source);
  try {
    const r = await trainModel({
      kind: req.kind,
      config: req.config,
      source: src,
      train: req.train,
      val: req.val,
      resume: req.resume,
      signal: hooks.signal,
      onProgress: hooks.onProgress,
      onCheckpoint: req.checkpoints ? hooks.onCheckpoint : undefined,
      peers: hooks.peers,
    });
    try {
      const predictions: Record<string, Float32Array> = {};
      for (const [name, ends] of Object.entries(req.predict ?? {}))
        predictions[name] = await predictProba(r.model, src, ends);
      const epochs = r.history.length;
      const onFeatures = (done: number, total: number) =>
        hooks.onProgress?.({
          stage: "importance",
          epoch: epochs,
          epochs,
          batch: done,
          batches: total,
          loss: NaN,
          acc: NaN,
          samplesPerSec: NaN,
          epochEtaSeconds: NaN,
          etaSeconds: NaN,
        });
      // No baseline reuse here (unlike the forest): a backend may pick other kernels for other
      // batch shapes, and a baseline from different arithmetic would offset every importance.
      const permutation = req.permutation
        ? await permutationOf(r.model, req.source, req.permutation, r.peers, hooks.signal, onFeatures)
        : undefined;
      return {
        kind: req.kind,
        config: r.config,
        artifacts: await modelToArtifacts(r.model),
        history: r.history,
        bestEpoch: r.bestEpoch,
        stopReason: r.stopReason,
        message: r.message,
        seconds: r.seconds,
        samplesPerSec: r.samplesPerSec,
        workers: r.workers,
        backend: r.backend,
        predictions,
        permutation,
      };
    } finally {
      r.model.dispose();
    }
  } finally {
    src.dispose();
  }
}

/**
 * Accuracy drop per shuffled feature on the requested windows, shared with the gradient peers
 * that can take part: after training they would sit idle while this worker predicts 40-odd
 * shuffled copies of the test windows (a third of a default run's time on two cores). Every
 * worker takes every (1 + peers)-th feature; a feature's shuffle is seeded by the feature alone
 * and each worker scores its own baseline with the same kernels, so the result is the same
 * however many take part. A peer that fails leaves its features to this worker. A cancel
 * during this step keeps the trained model: the importances are then simply left out.
 */
async function permutationOf(
  model: LayersModel,
  source: WindowSource,
  p: PermutationRequest,
  peers: readonly GradientPeer[],
  signal: AbortSignal | undefined,
  onProgress: (done: number, total: number) => void,
): Promise<{ name: string; value: number }[] | undefined> {
  const helpers = peers.flatMap((peer) => (peer.importance ? [peer.importance.bind(peer)] : []));
  const all = p.features ?? Array.from({ length: source.features }, (_, f) => f);
  const parts = Array.from({ length: 1 + helpers.length }, (_, w) =>
    all.filter((_, i) => i % (1 + helpers.length) === w),
  );
  let done = 0;
  const onFeature = () => onProgress(++done, all.length);
  const here = (features: readonly number[]) =>
    namedPermutationImportance(
      source,
      { ...p, features },
      (matrix, ends) => predictProba(model, { ...source, matrix }, ends),
      { signal, onProgress: onFeature },
    );
  try {
    const weights = helpers.length > 0 ? flattenWeights(trainableVariables(model)) : new Float32Array(0);
    const shares = await Promise.all([
      here(parts[0]),
      ...helpers.map((importance, w) =>
        importance({ weights, permutation: { ...p, features: parts[w + 1] } }, onFeature).catch(() =>
          signal?.aborted ? [] : here(parts[w + 1]),
        ),
      ),
    ]);
    if (signal?.aborted) return undefined;
    // Back in feature order: share w holds features w, w + n, w + 2n, ...
    return all.map((_, i) => shares[i % shares.length][Math.floor(i / shares.length)]);
  } catch (e) {
    if (signal?.aborted) return undefined;
    throw e;
  }
}

/** The ArrayBuffers of a response, for postMessage transfer lists. */
export function responseTransferables(res: TrainResponse): ArrayBuffer[] {
  return [res.artifacts.weightData, ...Object.values(res.predictions).map((p) => p.buffer as ArrayBuffer)];
}

/** The ArrayBuffers of a checkpoint, for postMessage transfer lists. */
export function checkpointTransferables(c: TrainCheckpoint): ArrayBuffer[] {
  return [c.weights.data, c.bestWeights.data, c.optimizer.data];
}
