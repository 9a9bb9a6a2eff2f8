/**
 * Data-parallel training steps on host-memory backends: every batch is cut into TRAIN_SHARDS
 * contiguous shards whose loss gradients add up to the batch's. A shard can be computed here or
 * by a peer worker holding a replica of the model (lib/jobs/train/peer-api.ts), so two cores
 * share the work of one model. The cut, the dropout masks (seeded per step and shard) and the order of
 * the sum do not depend on how many peers there are: a run is the same with or without them.
 */
import * as tf from "@tensorflow/tfjs";
import { NUM_CLASSES } from "../core/classes";
import { gatherWindows, type DeviceSource } from "./batches";
import { readValues } from "./host-io";
import { setDropoutStep } from "./layers";
import { balancedClassWeights } from "./random";
import type { AdamState, HostAdam } from "./host-adam";
import type { PermutationRequest } from "./types";

/** Shards per batch on host backends (fixed, so results do not depend on the core count). */
export const TRAIN_SHARDS = 2;

const CLIP = 1e-7;

/** One shard of a batch, as a peer receives it (the peer holds the weights: see GradientPeer). */
export interface ShardRequest {
  ends: Int32Array;
  labels: Int32Array;
  /** 1 / (samples in the whole batch): the shard's gradient is of its part of the batch mean. */
  scale: number;
  /** Seeds the shard's dropout masks (step * TRAIN_SHARDS + shard). */
  dropoutStep: number;
}

export interface ShardResult {
  /** Gradients of all trainable weights, flat in the model's order. */
  grads: Float32Array;
  /** The shard's part of the batch's mean loss (class-weighted). */
  loss: number;
  /** Correct argmax predictions in the shard. */
  correct: number;
}

/** The training worker's state a peer mirrors: weights flat in the model's order, and Adam's. */
export interface PeerState {
  weights: Float32Array;
  optimizer: AdamState;
}

/** One message of the step protocol (see GradientPeer). */
export interface PeerStep {
  /**
   * The step the trainer has just computed its shard of: shard 0's gradients (flat) and loss.
   * The peer adds its own shard's gradients of that step (if it computed one) and applies the
   * sum, unless the loss is not finite: exactly what the trainer does.
   */
  apply?: { grads: Float32Array; loss: number };
  /** The shard to compute next, after the update. */
  shard?: ShardRequest;
}

/** A peer's part of a trained model's permutation importance (see session.ts). */
export interface ImportanceShare {
  /** The trained model's trainable weights, flat in the model's order. */
  weights: Float32Array;
  /** The windows to shuffle over, with `features` set to the peer's part. */
  permutation: PermutationRequest;
}

/**
 * Computes shard 1 of every batch elsewhere (a peer worker; in tests, in process), holding a
 * mirror of the trainer's weights and optimiser state: begin() hands it the state, then every
 * step() applies the last step's update the way the trainer does (same sum, same Adam, so the
 * same weights bit for bit) and computes the next shard. No weights travel per step: the trainer
 * sends its shard's gradients as soon as it has them, and both apply the update at once.
 */
export interface GradientPeer {
  begin(state: PeerState): Promise<void>;
  /** Applies `apply` (when given), then computes `shard` (when given; null when not). */
  step(req: PeerStep): Promise<ShardResult | null>;
  /**
   * Accuracy drop per feature of the share, in its order; `onFeature` after each one. A peer
   * without it takes no part in permutation importance.
   */
  importance?(share: ImportanceShare, onFeature: () => void): Promise<{ name: string; value: number }[]>;
}

/** total += g, elementwise (a function of its own: V8 runs such loops inlined in callbacks ~3x slower). */
function addInto(total: Float32Array, g: Float32Array): void {
  for (let k = 0; k < total.length; k++) total[k] += g[k];
}

/** One shard's gradients (per variable) and loss. */
export interface ShardPart {
  grads: Float32Array[];
  loss: number;
}

/**
 * A step's update, as the trainer and its peer both apply it: shard 1's gradients (when the batch
 * has that shard) added into shard 0's in place, then Adam on the sum unless the loss is not
 * finite (the trainer then stops and keeps its best weights). Returns the step's loss. One
 * function for both sides: their weights stay equal only while they do the same float operations.
 */
export function applyShards(optimizer: HostAdam, vars: tf.Variable[], first: ShardPart, second?: ShardPart): number {
  if (second) for (const [i, g] of second.grads.entries()) addInto(first.grads[i], g);
  const loss = first.loss + (second?.loss ?? 0);
  if (Number.isFinite(loss)) optimizer.applyHost(vars, first.grads);
  return loss;
}

/**
 * Summed (not mean) categorical cross-entropy of `probs` [B, 4] against int labels [B], weighted
 * per sample by its class weight when given, and the number of correct argmax predictions.
 */
export function lossTerms(
  probs: tf.Tensor,
  labels: tf.Tensor1D,
  classWeights: tf.Tensor1D | null,
): { sum: tf.Scalar; correct: tf.Scalar } {
  const onehot = tf.oneHot(labels, NUM_CLASSES);
  let ce = tf.neg(tf.sum(tf.mul(onehot, tf.log(tf.clipByValue(probs, CLIP, 1))), -1));
  if (classWeights) ce = tf.mul(ce, tf.gather(classWeights, labels));
  const sum = tf.sum(ce) as tf.Scalar;
  const correct = tf.sum(tf.cast(tf.equal(tf.argMax(probs, -1), labels), "float32")) as tf.Scalar;
  return { sum, correct };
}

/** What a shard is computed on: a model replica, its data and its trainable variables in order. */
export interface Replica {
  model: tf.LayersModel;
  src: DeviceSource;
  vars: tf.Variable[];
  classWeights: tf.Tensor1D | null;
}

/** The replica's trainable variables, in the order gradients and weights are flattened. */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/**
 * A replica of `model` on `src`, with the class weights the config asks for (balanced, from the
 * training labels): the training worker and every peer build theirs the same way.
 */
export function makeReplica(
  model: tf.LayersModel,
  src: DeviceSource,
  classWeights: boolean,
  trainLabels: ArrayLike<number>,
): Replica {
  const weights = classWeights ? tf.tensor1d(balancedClassWeights(trainLabels, NUM_CLASSES)) : null;
  return { model, src, vars: trainableVariables(model), classWeights: weights };
}

/** Gradient of one shard's part of the batch loss, as host arrays (one per variable, views of one flat array). */
export function shardGradients(
  r: Replica,
  shard: { ends: Int32Array; labels: ArrayLike<number> },
  scale: number,
  dropoutStep: number,
): { grads: Float32Array[]; flat: Float32Array; loss: number; correct: number } {
  setDropoutStep(r.model, dropoutStep);
  let correctT: tf.Scalar | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const x = gatherWindows(r.src, shard.ends, 0, shard.ends.length);
    const y = tf.tensor1d(Int32Array.from(shard.labels), "int32");
    const probs = r.model.apply(x, { training: true }) as tf.Tensor;
    const t = lossTerms(probs, y, r.classWeights);
    correctT = tf.keep(t.correct);
    return t.sum.mul(scale) as tf.Scalar;
  }, r.vars);
  // One fresh flat array (views per variable): summed into in place by the caller. A weight the
  // loss does not reach has no gradient: zeros, as tfjs's optimisers assume.
  const flat = new Float32Array(r.vars.reduce((s, v) => s + v.size, 0));
  let o = 0;
  for (const v of r.vars) {
    const g = grads[v.name];
    if (g) flat.set(readValues(g), o);
    o += v.size;
  }
  const out = splitFlat(r.vars, flat);
  const loss = value.dataSync()[0];
  const correct = (correctT as tf.Scalar).dataSync()[0];
  tf.dispose([value, correctT as tf.Scalar, ...Object.values(grads)]);
  return { grads: out, flat, loss, correct };
}

/** The variables' values, flat in order. */
export function flattenWeights(vars: tf.Variable[]): Float32Array {
  const out = new Float32Array(vars.reduce((s, v) => s + v.size, 0));
  let o = 0;
  for (const v of vars) {
    out.set(v.dataSync() as Float32Array, o);
    o += v.size;
  }
  return out;
}

/** Writes flat values into the variables (the inverse of flattenWeights). */
export function assignWeights(vars: tf.Variable[], flat: Float32Array): void {
  let o = 0;
  for (const v of vars) {
    const part = flat.subarray(o, o + v.size);
    tf.tidy(() => v.assign(tf.tensor(part, v.shape, "float32")));
    o += v.size;
  }
  if (o !== flat.length) throw new Error(`weights: ${flat.length} values for variables of ${o}`);
}

/** Splits flat gradients into one array per variable (views, no copy). */
export function splitFlat(vars: tf.Variable[], flat: Float32Array): Float32Array[] {
  let o = 0;
  return vars.map((v) => {
    const part = flat.subarray(o, o + v.size);
    o += v.size;
    return part;
  });
}

/** The contiguous [from, to) ranges of the TRAIN_SHARDS shards of a batch of n samples (empty ones dropped). */
export function shardRanges(n: number): [number, number][] {
  const size = Math.ceil(n / TRAIN_SHARDS);
  const out: [number, number][] = [];
  for (let s = 0; s < TRAIN_SHARDS; s++) {
    const from = s * size;
    const to = Math.min(n, from + size);
    if (to > from) out.push([from, to]);
  }
  return out;
}
