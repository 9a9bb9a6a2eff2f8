import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { setDropoutStep, StudioDropout, StudioLayerNorm, StudioSelfAttention } from "./layers";
import { setFusedOps } from "./fused";
import { StudioLSTM } from "./lstm-layer";
import { buildModel } from "./build";
import { defaultConfig } from "./config";
import { modelFromArtifacts, modelToArtifacts } from "./serialize";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

function close(a: tf.Tensor, b: tf.Tensor, tol = 1e-5): void {
  const x = a.dataSync();
  const y = b.dataSync();
  expect(x.length).toBe(y.length);
  for (let i = 0; i < x.length; i++) expect(Math.abs(x[i] - y[i])).toBeLessThan(tol);
}

describe("custom layers", () => {
  it("StudioLSTM equals tf.layers.lstm (sigmoid gates) with the same weights", () => {
    const x = tf.randomNormal([3, 5, 4], 0, 1, "float32", 1);
    for (const returnSequences of [false, true]) {
      const ours = new StudioLSTM({ units: 6, returnSequences, seed: 3 });
      const ref = tf.layers.lstm({ units: 6, returnSequences, recurrentActivation: "sigmoid" });
      const y = ours.apply(x) as tf.Tensor;
      ref.apply(x);
      ref.setWeights(ours.getWeights());
      close(y, ref.apply(x) as tf.Tensor);
      expect(y.shape).toEqual(returnSequences ? [3, 5, 6] : [3, 6]);
    }
    // Keras unit_forget_bias: forget block of the bias starts at 1.
    const layer = new StudioLSTM({ units: 2 });
    layer.apply(x);
    expect(Array.from(layer.getWeights()[2].dataSync())).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
  });

  it("StudioDropout on host backends: a seeded mask per call, multiplied in forward and back", () => {
    const x = tf.randomNormal([6, 5, 8], 1, 1, "float32", 2);
    const model = tf.sequential({ layers: [new StudioDropout({ inputShape: [5, 8], rate: 0.25, seed: 3 })] });
    const drop = model.layers[0] as StudioDropout;
    const pass = () => {
      const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => tf.sum(drop.apply(t, { training: true }) as tf.Tensor))(
        x,
      );
      value.dispose();
      return grad;
    };
    setDropoutStep(model, 4);
    const g = pass();
    const again = pass();
    setDropoutStep(model, 4);
    const replay = pass();
    // The gradient of sum(y) is the mask itself: zeros and 1 / (1 - rate).
    const mask = Array.from(g.dataSync());
    expect(new Set(mask.map((m) => m.toFixed(4)))).toEqual(new Set(["0.0000", (1 / 0.75).toFixed(4)]));
    expect(Array.from(replay.dataSync())).toEqual(mask);
    expect(Array.from(again.dataSync())).not.toEqual(mask);
    // The forward pass applies the same mask.
    setDropoutStep(model, 4);
    close(drop.apply(x, { training: true }) as tf.Tensor, tf.mul(x, g));
    close(drop.apply(x) as tf.Tensor, x);
    tf.dispose([x, g, again, replay]);
  });

  it("StudioDropout on GPU backends' path keeps tf.dropout (seeded the same way)", () => {
    setFusedOps(false);
    try {
      const x = tf.ones([4, 64]);
      const drop = new StudioDropout({ rate: 0.5, seed: 1 });
      const y = Array.from((drop.apply(x, { training: true }) as tf.Tensor).dataSync());
      expect(new Set(y)).toEqual(new Set([0, 2]));
      drop.calls = 0;
      expect(Array.from((drop.apply(x, { training: true }) as tf.Tensor).dataSync())).toEqual(y);
    } finally {
      setFusedOps(undefined);
    }
  });

  it("StudioLayerNorm normalises the last axis", () => {
    const x = tf.tensor3d([
      [
        [1, 2, 3, 4],
        [10, 10, 10, 14],
      ],
    ]);
    const y = new StudioLayerNorm({}).apply(x) as tf.Tensor;
    const { mean, variance } = tf.moments(y, -1);
    close(mean, tf.zeros([1, 2]));
    close(variance, tf.ones([1, 2]), 1e-3);
  });

  it("StudioSelfAttention matches a per-head reference computation", () => {
    const x = tf.randomNormal([2, 3, 4], 0, 1, "float32", 2);
    const layer = new StudioSelfAttention({ heads: 2, seed: 1 });
    const y = layer.apply(x) as tf.Tensor;
    const [wq, bq, wk, bk, wv, bv, wo, bo] = layer.getWeights();
    const ref = tf.tidy(() => {
      const heads: tf.Tensor[] = [];
      for (let h = 0; h < 2; h++) {
        const cols = (w: tf.Tensor, b: tf.Tensor) =>
          tf
            .matMul(x.reshape([6, 4]), w.slice([0, 2 * h], [4, 2]))
            .add(b.slice([2 * h], [2]))
            .reshape([2, 3, 2]);
        const q = cols(wq, bq);
        const k = cols(wk, bk);
        const v = cols(wv, bv);
        heads.push(tf.matMul(tf.softmax(tf.matMul(q, k, false, true).div(Math.sqrt(2))), v));
      }
      return tf
        .matMul(tf.concat(heads, -1).reshape([6, 4]), wo)
        .add(bo)
        .reshape([2, 3, 4]);
    });
    close(y, ref);
  });

  it("models survive a save/load round trip through ArrayBuffer artifacts", async () => {
    for (const kind of ["transformer", "lstm"] as const) {
      const cfg = {
        ...defaultConfig(kind),
        patch: 4,
        ...(kind === "transformer" ? { dModel: 16, heads: 2, ff: 16, blocks: 1 } : { units: 8 }),
      };
      const model = buildModel(kind, cfg, 8, 3);
      const art = await modelToArtifacts(model);
      expect(art.weightData.byteLength).toBe(model.countParams() * 4);
      const loaded = await modelFromArtifacts(art);
      const x = tf.randomNormal([2, 8, 3], 0, 1, "float32", 5);
      close(model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor);
      expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
      model.dispose();
      loaded.dispose();
    }
  });
});
