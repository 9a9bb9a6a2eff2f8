/**
 * The custom training loop for the neural models: seeded shuffled batches gathered on the
 * backend, optional class weights, per-batch progress, per-epoch validation, early stopping that
 * restores the best weights, NaN/Inf guard, AbortSignal cancel, and per-epoch checkpoints that
 * let a reloaded tab resume.
 */
import * as tf from "@tensorflow/tfjs";
import type { SampleSet, WindowSource } from "../core/dataset";
import { gatherWindows, toDeviceSource, type DeviceSource } from "./batches";
import { buildModel } from "./build";
import { validateConfig, type LstmConfig, type NeuralModelKind, type TransformerConfig } from "./config";
import { fusedOpsEnabled } from "./fused";
import { HostAdam } from "./host-adam";
import { setDropoutStep } from "./layers";
import { shuffled } from "./random";
import { ShardedSteps } from "./sharded-steps";
import { lossTerms, type GradientPeer, makeReplica, type Replica } from "./shards";
import { decodeTensors, encodeTensors } from "./serialize";
import type { EpochRecord, StopReason, TrainCheckpoint, TrainProgress } from "./types";

export interface TrainOptions {
  kind: NeuralModelKind;
  /** Validated again here (untrusted input is clamped). */
  config: TransformerConfig | LstmConfig;
  /** The matrix, or one already on the backend (not disposed by the trainer). */
  source: WindowSource | DeviceSource;
  train: SampleSet;
  val: SampleSet;
  onProgress?: (p: TrainProgress) => void;
  /** Called after every epoch with a serialisable checkpoint (awaited). */
  onCheckpoint?: (c: TrainCheckpoint) => void | Promise<void>;
  /** Checked between batches; an aborted run returns its best weights so far. */
  signal?: AbortSignal;
  /** Continue a run from its checkpoint (same kind, config and data). */
  resume?: TrainCheckpoint;
  /** Batch size used for validation forward passes (memory only; does not change results). */
  evalBatchSize?: number;
  /**
   * Workers holding a replica of the model that compute shards of each batch (host backends
   * only; see ./sharded-steps.ts). The first is used; results are the same without it.
   */
  peers?: GradientPeer[];
}

export interface TrainResult {
  /** The trained model holding the best weights (caller disposes). */
  model: tf.LayersModel;
  config: TransformerConfig | LstmConfig;
  history: EpochRecord[];
  /** 1-based epoch whose weights the model holds (0 when no epoch was validated). */
  bestEpoch: number;
  stopReason: StopReason;
  message: string;
  /** Wall-clock seconds of the run. */
  seconds: number;
  /** Training samples per second over the training batches of this run. */
  samplesPerSec: number;
  backend: string;
  /** Workers that computed its batches at the end: 1 + the gradient peers still in use. */
  workers: number;
  /** Those peers (none on the op-by-op path): the ones that may share its permutation importance. */
  peers: GradientPeer[];
}

let yieldChannel: MessageChannel | undefined;
/** Lets queued messages (e.g. a cancel) run: awaiting tensor data alone only drains microtasks. */
function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === "function") return new Promise((r) => setImmediate(r));
  yieldChannel ??= new MessageChannel();
  const ch = yieldChannel;
  return new Promise((resolve) => {
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(null);
  });
}

function snapshot(model: tf.LayersModel): tf.Tensor[] {
  return model.getWeights().map((w) => tf.keep(w.clone()));
}

function isDevice(src: WindowSource | DeviceSource): src is DeviceSource {
  return (src as DeviceSource).dispose !== undefined;
}

/** Mean (unweighted) cross-entropy and correct count, for validation. */
function lossAndCorrect(probs: tf.Tensor, labels: tf.Tensor1D): { loss: tf.Scalar; correct: tf.Scalar } {
  const t = lossTerms(probs, labels, null);
  return { loss: t.sum.div(labels.shape[0]) as tf.Scalar, correct: t.correct };
}

/** Unweighted validation loss and accuracy with the model in inference mode. */
async function evaluate(
  model: tf.LayersModel,
  src: DeviceSource,
  set: SampleSet,
  batchSize: number,
): Promise<{ loss: number; acc: number }> {
  let lossSum = 0;
  let correct = 0;
  const n = set.ends.length;
  for (let from = 0; from < n; from += batchSize) {
    const to = Math.min(n, from + batchSize);
    const both = tf.tidy(() => {
      const probs = model.predict(gatherWindows(src, set.ends, from, to), { batchSize: to - from }) as tf.Tensor;
      const labels = tf.tensor1d(Int32Array.from(set.labels.subarray(from, to)), "int32");
      const r = lossAndCorrect(probs, labels);
      return tf.stack([r.loss.mul(to - from), r.correct]);
    });
    const [l, c] = await both.data();
    both.dispose();
    lossSum += l;
    correct += c;
  }
  return n > 0 ? { loss: lossSum / n, acc: correct / n } : { loss: NaN, acc: NaN };
}

/** One optimiser step on the whole batch as tensors (GPU backends: nothing leaves the device but two numbers). */
async function tensorStep(
  r: Replica,
  optimizer: tf.Optimizer,
  ends: Int32Array,
  labels: Int32Array,
  from: number,
  to: number,
): Promise<{ loss: number; correct: number }> {
  let correctT: tf.Scalar | undefined;
  const cost = optimizer.minimize(
    () => {
      const x = gatherWindows(r.src, ends, from, to);
      const y = tf.tensor1d(labels.subarray(from, to), "int32");
      const probs = r.model.apply(x, { training: true }) as tf.Tensor;
      const t = lossTerms(probs, y, r.classWeights);
      correctT = tf.keep(t.correct);
      return t.sum.div(to - from) as tf.Scalar;
    },
    true,
    r.vars,
  );
  const both = tf.stack([cost as tf.Scalar, correctT as tf.Scalar]);
  const [loss, correct] = await both.data();
  tf.dispose([both, cost as tf.Scalar, correctT as tf.Scalar]);
  return { loss, correct };
}

/**
 * Trains a Transformer or LSTM. Always ends with the model holding the best-validation weights
 * (early stop, epoch limit, abort and NaN alike); without a validation set, the last weights.
 */
export async function trainModel(opts: TrainOptions): Promise<TrainResult> {
  const started = performance.now();
  const { kind, train, val, signal } = opts;
  const window = opts.source.window;
  const config = validateConfig(kind, opts.config, window).config as TransformerConfig | LstmConfig;
  const { epochs, batchSize, learningRate, patience, seed } = config;
  if (train.ends.length === 0) throw new Error("no training samples");
  const src = isDevice(opts.source) ? opts.source : toDeviceSource(opts.source);
  const model = buildModel(kind, config, window, src.features);
  const replica = makeReplica(model, src, config.classWeights, train.labels);
  // Sharded steps with the optimiser on the host where fused ops run (wasm, cpu); one tensor step
  // on GPUs. (Kept as a HostAdam or null, not tested with instanceof: tf.Optimizer's
  // Symbol.hasInstance accepts any optimiser.)
  const hostAdam = fusedOpsEnabled() ? new HostAdam(learningRate) : null;
  const optimizer = hostAdam ?? tf.train.adam(learningRate);
  // One peer at most: it computes shard 1 of every batch (TRAIN_SHARDS is 2).
  const stepper = hostAdam ? new ShardedSteps(replica, hostAdam, opts.peers?.[0]) : null;
  const hasVal = val.ends.length > 0;
  const evalBatch = opts.evalBatchSize ?? Math.max(256, batchSize);

  let history: EpochRecord[] = [];
  let bestEpoch = 0;
  let bestValLoss = Infinity;
  let wait = 0;
  let step = 0;
  let startEpoch = 0;
  let best: tf.Tensor[] = snapshot(model);
  if (opts.resume) {
    const r = opts.resume;
    if (r.kind !== kind) throw new Error(`checkpoint is for ${r.kind}, not ${kind}`);
    const current = decodeTensors(r.weights);
    model.setWeights(current);
    tf.dispose(current);
    tf.dispose(best);
    best = decodeTensors(r.bestWeights).map((t) => tf.keep(t));
    await optimizer.setWeights(decodeTensors(r.optimizer).map((tensor, i) => ({ name: `t${i}`, tensor })));
    history = r.history.slice();
    ({ bestEpoch, bestValLoss, wait, step } = r);
    startEpoch = r.epoch;
    if (!hostAdam) setDropoutStep(model, step); // sharded steps seed their masks per step and shard
  }
  await stepper?.begin();

  const n = train.ends.length;
  const batches = Math.ceil(n / batchSize);
  let stopReason: StopReason = "completed";
  let message = "";
  let trainSamples = 0;
  let trainMs = 0;

  try {
    epochLoop: for (let epoch = startEpoch; epoch < epochs; epoch++) {
      // Seeded per epoch (not a running generator) so a resumed run sees the same order.
      const order = shuffled(
        Int32Array.from({ length: n }, (_, i) => i),
        seed * 7919 + epoch,
      );
      const ends = new Int32Array(n);
      const labels = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        ends[i] = train.ends[order[i]];
        labels[i] = train.labels[order[i]];
      }
      let lossSum = 0;
      let correctSum = 0;
      let seen = 0;
      const epochStart = performance.now();
      for (let b = 0; b < batches; b++) {
        if (signal?.aborted) {
          stopReason = "aborted";
          message = `cancelled in epoch ${epoch + 1}, batch ${b + 1}/${batches}`;
          break epochLoop;
        }
        const from = b * batchSize;
        const to = Math.min(n, from + batchSize);
        const t0 = performance.now();
        const next =
          b + 1 < batches ? { ends, labels, from: to, to: Math.min(n, to + batchSize), step: step + 1 } : undefined;
        const { loss, correct } = stepper
          ? await stepper.step({ ends, labels, from, to, step }, next)
          : await tensorStep(replica, optimizer, ends, labels, from, to);
        step++;
        trainMs += performance.now() - t0;
        if (!Number.isFinite(loss)) {
          stopReason = "nan";
          message = `training loss became ${loss} in epoch ${epoch + 1}, batch ${b + 1}; kept the weights of ${bestEpoch > 0 ? `epoch ${bestEpoch}` : "initialisation"}. Try a lower learning rate.`;
          break epochLoop;
        }
        const bs = to - from;
        seen += bs;
        trainSamples += bs;
        lossSum += loss * bs;
        correctSum += correct;
        if (opts.onProgress) {
          const sps = trainSamples / (trainMs / 1000);
          const leftInEpoch = n - seen;
          opts.onProgress({
            epoch: epoch + 1,
            epochs,
            batch: b + 1,
            batches,
            loss: lossSum / seen,
            acc: correctSum / seen,
            samplesPerSec: sps,
            epochEtaSeconds: leftInEpoch / sps,
            etaSeconds: (leftInEpoch + (epochs - epoch - 1) * n) / sps,
          });
        }
        await yieldToEventLoop();
      }
      const trainSeconds = (performance.now() - epochStart) / 1000;
      const v0 = performance.now();
      const v = hasVal ? await evaluate(model, src, val, evalBatch) : { loss: NaN, acc: NaN };
      const record: EpochRecord = {
        epoch: epoch + 1,
        loss: lossSum / seen,
        acc: correctSum / seen,
        valLoss: v.loss,
        valAcc: v.acc,
        trainSeconds,
        valSeconds: (performance.now() - v0) / 1000,
      };
      history.push(record);
      if (!hasVal || v.loss < bestValLoss) {
        bestValLoss = hasVal ? v.loss : bestValLoss;
        bestEpoch = epoch + 1;
        wait = 0;
        tf.dispose(best);
        best = snapshot(model);
      } else {
        wait++;
      }
      if (opts.onCheckpoint) {
        const weights = model.getWeights();
        const state = await optimizer.getWeights();
        const optimizerData = await encodeTensors(state.map((w) => w.tensor));
        // Fresh tensors: the iteration count, and all of the host Adam's (tfjs's Adam hands out its variables).
        tf.dispose((hostAdam ? state : state.slice(0, 1)).map((w) => w.tensor));
        await opts.onCheckpoint({
          version: 1,
          kind,
          config,
          epoch: epoch + 1,
          step,
          history: history.slice(),
          bestEpoch,
          bestValLoss,
          wait,
          weights: await encodeTensors(weights),
          bestWeights: await encodeTensors(best),
          optimizer: optimizerData,
        });
      }
      if (hasVal && wait >= patience) {
        stopReason = "early-stopped";
        message = `validation loss did not improve for ${patience} epochs; restored epoch ${bestEpoch}`;
        break;
      }
    }
    // Keep the best weights; an abort before any validated epoch keeps the partly trained ones.
    if (!(stopReason === "aborted" && bestEpoch === 0)) model.setWeights(best);
    if (stopReason === "completed") message = `trained ${history.length} epochs; best epoch ${bestEpoch}`;
  } finally {
    tf.dispose(best);
    replica.classWeights?.dispose();
    optimizer.dispose();
    if (!isDevice(opts.source)) src.dispose();
  }
  return {
    model,
    config,
    history,
    bestEpoch,
    stopReason,
    message,
    seconds: (performance.now() - started) / 1000,
    samplesPerSec: trainMs > 0 ? trainSamples / (trainMs / 1000) : 0,
    backend: tf.getBackend(),
    workers: stepper?.workers ?? 1,
    peers: stepper?.peers ?? [],
  };
}
