import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { TINY_MODELS, toyTask } from "@/test/toy-task";
import { toDeviceSource } from "./batches";
import { buildModel } from "./build";
import type { TransformerConfig } from "./config";
import { setFusedOps } from "./fused";
import { createPeerApi } from "@/lib/jobs/train/peer-api";
import { concatFloat32 } from "@/lib/core/concat";
import { lossTerms, makeReplica, shardGradients, shardRanges, trainableVariables, type GradientPeer } from "./shards";
import { trainModel, type TrainOptions } from "./trainer";
import { runTrainRequest } from "./session";
import type { TrainCheckpoint, TrainProgress } from "./types";

const WINDOW = 8;
const FEATURES = 3;
const task = toyTask(600, FEATURES, WINDOW, 5, 1);
// The trainer tests' tiny Transformer, two epochs.
const tiny: TransformerConfig = { ...TINY_MODELS.transformer, epochs: 2, patience: 5 };

beforeAll(async () => {
  await tf.setBackend("cpu");
});
afterEach(() => setFusedOps(undefined));

const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

/**
 * A peer running in this process, as the trainer sees one in a worker: requests are cloned when
 * sent and handled later, one at a time and in order (as a worker handles its messages).
 */
function inProcessPeer(): {
  peer: GradientPeer;
  calls: () => number;
  shuffled: () => number;
  api: ReturnType<typeof createPeerApi>;
} {
  const api = createPeerApi();
  api.prepare({ kind: "transformer", config: tiny, source: task.source, trainLabels: task.train.labels });
  let calls = 0;
  let shuffled = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const later = <T>(work: () => T): Promise<T> => {
    const done = queue.then(() => new Promise<T>((resolve) => setTimeout(resolve, 0)).then(work));
    queue = done.catch(() => {});
    return done;
  };
  return {
    api,
    calls: () => calls,
    shuffled: () => shuffled,
    peer: {
      begin: (state) => {
        const sent = structuredClone(state);
        return later(() => api.begin(sent));
      },
      step: (req) => {
        if (req.shard) calls++;
        const sent = structuredClone(req);
        return later(() => api.step(sent));
      },
      importance: async (share, onFeature) =>
        api.importance(structuredClone(share), () => {
          shuffled++;
          onFeature();
        }),
    },
  };
}

describe("batch shards", () => {
  it("cuts a batch into contiguous shards that cover it", () => {
    expect(shardRanges(64)).toEqual([
      [0, 32],
      [32, 64],
    ]);
    expect(shardRanges(33)).toEqual([
      [0, 17],
      [17, 33],
    ]);
    expect(shardRanges(1)).toEqual([[0, 1]]);
  });

  it("the shards' gradients add up to the whole batch's", () => {
    const model = buildModel("transformer", { ...tiny, dropout: 0 }, WINDOW, FEATURES);
    const src = toDeviceSource(task.source);
    const vars = trainableVariables(model);
    const classWeights = tf.tensor1d([0.5, 1, 2, 1.5]);
    const replica = { model, src, vars, classWeights };
    const ends = task.train.ends.slice(0, 40);
    const labels = Int32Array.from(task.train.labels.subarray(0, 40));
    const whole = shardGradients(replica, { ends, labels }, 1 / 40, 0);
    const parts = shardRanges(40).map(([a, b]) =>
      shardGradients(replica, { ends: ends.subarray(a, b), labels: labels.subarray(a, b) }, 1 / 40, 0),
    );
    // And the whole batch's equals tfjs's gradient of the mean loss, computed independently.
    const ref = tf.variableGrads(() => {
      const x = tf.tensor3d(
        Float32Array.from(
          Array.from(ends).flatMap((e) =>
            Array.from(task.source.matrix.subarray((e - WINDOW + 1) * FEATURES, (e + 1) * FEATURES)),
          ),
        ),
        [40, WINDOW, FEATURES],
      );
      const t = lossTerms(model.apply(x) as tf.Tensor, tf.tensor1d(labels, "int32"), classWeights);
      return t.sum.div(40) as tf.Scalar;
    }, vars);
    vars.forEach((v, i) => {
      const r = ref.grads[v.name].dataSync();
      for (let k = 0; k < v.size; k++) {
        const sum = parts[0].grads[i][k] + parts[1].grads[i][k];
        expect(Math.abs(sum - whole.grads[i][k])).toBeLessThan(1e-6);
        expect(Math.abs(whole.grads[i][k] - r[k])).toBeLessThan(1e-6);
      }
    });
    expect(parts[0].loss + parts[1].loss).toBeCloseTo(whole.loss, 5);
    expect(parts[0].correct + parts[1].correct).toBe(whole.correct);
    tf.dispose([ref.value, ...Object.values(ref.grads), classWeights]);
    model.dispose();
    src.dispose();
  });
});

describe("gradient peers", () => {
  const train = (extra: Partial<TrainOptions> = {}) =>
    trainModel({ kind: "transformer", config: tiny, source: task.source, train: task.train, val: task.val, ...extra });
  const run = (peers?: GradientPeer[]) => train({ peers });

  it("a run with a peer is the run without one, bit for bit, and the peer did the shards", async () => {
    const alone = await run();
    const { peer, calls, api } = inProcessPeer();
    const helped = await run([peer]);
    const batches = Math.ceil(task.train.ends.length / tiny.batchSize);
    expect(calls()).toBe(tiny.epochs * batches);
    expect(helped.workers).toBe(2);
    expect(alone.workers).toBe(1);
    expect(weightsOf(helped.model)).toEqual(weightsOf(alone.model));
    expect(helped.history.map((h) => h.loss)).toEqual(alone.history.map((h) => h.loss));
    api.release();
    alone.model.dispose();
    helped.model.dispose();
  });

  it("a peer that fails mid-run is dropped and its shards are computed here, same result", async () => {
    const alone = await run();
    const { peer, calls, api } = inProcessPeer();
    const failing: GradientPeer = {
      ...peer,
      step: (req) => (calls() >= 5 ? Promise.reject(new Error("worker gone")) : peer.step(req)),
    };
    const r = await run([failing]);
    expect(calls()).toBe(5);
    expect(r.workers).toBe(1);
    expect(weightsOf(r.model)).toEqual(weightsOf(alone.model));
    api.release();
    alone.model.dispose();
    r.model.dispose();
  });

  it("the peer's replica mirrors the trainer's weights to the last step, a 1-sample batch included", async () => {
    // 3 full batches and one of a single sample (no shard for the peer), no validation: the
    // model keeps its last weights.
    const n = 3 * tiny.batchSize + 1;
    const small = { ends: task.train.ends.slice(0, n), labels: task.train.labels.slice(0, n) };
    const none = { ends: new Int32Array(0), labels: new Uint8Array(0) };
    const opts = { train: small, val: none };
    const alone = await train(opts);
    const { peer, calls, api } = inProcessPeer();
    const helped = await train({ ...opts, peers: [peer] });
    expect(calls()).toBe(tiny.epochs * 3);
    expect(weightsOf(helped.model)).toEqual(weightsOf(alone.model));
    // The same shard's gradients on the peer (after the updates queued before it) and here.
    const shard = { ends: task.val.ends.slice(0, 8), labels: Int32Array.from(task.val.labels.subarray(0, 8)) };
    const there = await peer.step({ shard: { ...shard, scale: 1 / 8, dropoutStep: 0 } });
    const src = toDeviceSource(task.source);
    const replica = makeReplica(helped.model, src, tiny.classWeights, small.labels);
    const here = shardGradients(replica, shard, 1 / 8, 0);
    expect(Array.from(there?.grads ?? [])).toEqual(Array.from(concatFloat32(here.grads)));
    src.dispose();
    api.release();
    alone.model.dispose();
    helped.model.dispose();
  });

  it("a run resumed with a peer is the run resumed without one (the peer takes the checkpoint's Adam state)", async () => {
    const cfg = { ...tiny, epochs: 3 };
    let saved: TrainCheckpoint | undefined;
    const first = await train({ config: { ...cfg, epochs: 2 }, onCheckpoint: (c) => void (saved = c) });
    first.model.dispose();
    const resume = (peers?: GradientPeer[]) => train({ config: cfg, resume: saved, peers });
    const alone = await resume();
    const { peer, calls, api } = inProcessPeer();
    const helped = await resume([peer]);
    expect(calls()).toBeGreaterThan(0);
    expect(helped.history.map((h) => h.loss)).toEqual(alone.history.map((h) => h.loss));
    expect(weightsOf(helped.model)).toEqual(weightsOf(alone.model));
    api.release();
    alone.model.dispose();
    helped.model.dispose();
  });

  const withImportance = (peers?: GradientPeer[], onProgress?: (p: TrainProgress) => void) =>
    runTrainRequest(
      {
        kind: "transformer",
        config: tiny,
        source: task.source,
        train: task.train,
        val: task.val,
        permutation: { ...task.test, featureNames: ["a", "b", "c"], repeats: 1, seed: 3 },
      },
      { peers, onProgress },
    );

  it("shares permutation importance with a peer: the same importances, the peer shuffled its features", async () => {
    const alone = await withImportance();
    const { peer, shuffled, api } = inProcessPeer();
    const progress: number[] = [];
    const helped = await withImportance([peer], (p) => p.stage === "importance" && progress.push(p.batch));
    expect(shuffled()).toBe(1); // features a, c here; b on the peer
    expect(progress).toEqual([1, 2, 3]);
    expect(helped.permutation?.map((f) => f.name)).toEqual(["a", "b", "c"]);
    expect(helped.permutation).toEqual(alone.permutation);
    expect(alone.permutation?.some((f) => f.value !== 0)).toBe(true);
    api.release();
  });

  it("a peer that fails during permutation importance leaves its features here, same importances", async () => {
    const alone = await withImportance();
    const { peer, api } = inProcessPeer();
    const failing: GradientPeer = { ...peer, importance: () => Promise.reject(new Error("worker gone")) };
    const r = await withImportance([failing]);
    expect(r.permutation).toEqual(alone.permutation);
    api.release();
  });

  it("the op-by-op path (GPU backends) trains without shards or peers", async () => {
    setFusedOps(false);
    const { peer, calls, api } = inProcessPeer();
    const r = await run([peer]);
    expect(calls()).toBe(0);
    expect(r.history.length).toBe(tiny.epochs);
    api.release();
    r.model.dispose();
  });
});
