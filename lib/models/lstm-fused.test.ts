import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildModel } from "./build";
import { defaultConfig, type LstmConfig } from "./config";
import { setFusedOps } from "./fused";
import { setLstmSimd } from "./lstm-fused";
import { lstmSimd } from "./lstm-simd";
import { StudioLSTM } from "./lstm-layer";
import { patchWasmKernels } from "./wasm-kernels";
import { expectClose, expectSameOutsideGradient, toArray } from "@/test/expect-close";

/** Runs f on the fused (true) or op-by-op (false) path and returns its tensors as arrays. */
function onPath(fused: boolean, f: () => tf.Tensor[]): Float32Array[] {
  setFusedOps(fused);
  try {
    return tf.tidy(f).map(toArray);
  } finally {
    setFusedOps(undefined);
  }
}

/** A built layer with random weights (a random bias too, so every gate block matters). */
function layer(inDim: number, units: number, returnSequences: boolean, seed: number): StudioLSTM {
  const l = new StudioLSTM({ units, returnSequences, seed });
  l.build([null, null, inDim]);
  l.setWeights([
    tf.randomNormal([inDim, 4 * units], 0, 0.5, "float32", seed + 10),
    tf.randomNormal([units, 4 * units], 0, 0.5, "float32", seed + 11),
    tf.randomNormal([4 * units], 0, 0.5, "float32", seed + 12),
  ]);
  return l;
}

/** Gradients of Σ out ⊙ w (w fixed random) w.r.t. the input and the layer's three weights. */
function layerGrads(l: StudioLSTM, x: tf.Variable): tf.Tensor[] {
  const vars = [x, ...l.trainableWeights.map((w) => w.read() as tf.Variable)];
  const { value, grads } = tf.variableGrads(() => {
    const y = l.apply(x) as tf.Tensor;
    return tf.sum(y.mul(tf.randomNormal(y.shape, 0, 1, "float32", 99))) as tf.Scalar;
  }, vars);
  return [value, ...vars.map((v) => grads[v.name])];
}

const small: LstmConfig = { ...defaultConfig("lstm"), units: 8, layers: 2, patch: 2, dropout: 0, seed: 4 };

/** Softmax cross-entropy of the model on a fixed random batch. */
function modelLoss(model: tf.LayersModel, x: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  const probs = model.apply(x, { training: true }) as tf.Tensor;
  return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 4), tf.log(probs)) as tf.Scalar;
}

describe.each(["cpu", "wasm"] as const)("fused StudioLSTM on %s", (backend) => {
  beforeAll(async () => {
    if (backend === "wasm") expect(patchWasmKernels()).toBe(true);
    await tf.setBackend(backend);
    await tf.ready();
  });
  afterAll(() => setFusedOps(undefined));

  it.each([
    ["odd shape, sequences", 3, 5, 4, 6, true],
    ["odd shape, last state", 3, 5, 4, 6, false],
    ["one step", 2, 1, 3, 5, false],
    // The default window and patch (30 steps of 168); 32 units, not 64: the orthogonal initialiser
    // of a 64-unit layer takes 6 s on the cpu backend.
    ["default-ish shape", 8, 30, 168, 32, true],
  ] as const)("forward equals the op path: %s", (_name, b, t, inDim, units, seqs) => {
    const l = layer(inDim, units, seqs, 7);
    const x = tf.randomNormal([b, t, inDim], 0, 1, "float32", 3);
    const run = (fused: boolean) => onPath(fused, () => [l.apply(x) as tf.Tensor]);
    const fused = run(true);
    expect(fused[0].length).toBe(seqs ? b * t * units : b * units);
    expectClose(fused, run(false), 1e-5);
    l.weights.forEach((w) => w.dispose());
    x.dispose();
  });

  it.each([
    ["sequences", 3, 5, 4, 6, true],
    ["last state", 3, 5, 4, 6, false],
    ["wider", 8, 12, 20, 16, true],
  ] as const)("gradients w.r.t. input and weights equal the op path: %s", (_name, b, t, inDim, units, seqs) => {
    const l = layer(inDim, units, seqs, 5);
    const x = tf.variable(tf.randomNormal([b, t, inDim], 0, 1, "float32", 2));
    const run = (fused: boolean) => onPath(fused, () => layerGrads(l, x));
    expectClose(run(true), run(false), 1e-4);
    l.weights.forEach((w) => w.dispose());
    x.dispose();
  });

  it("takes the SIMD path for units that are a multiple of 4 (Node has WebAssembly SIMD)", () => {
    expect(lstmSimd()).not.toBeNull();
  });

  it.each([
    ["SIMD path", true],
    ["JS path", false],
  ] as const)("saturated gates (inputs of ±40) equal the op path: %s", (_name, simd) => {
    // Pre-activations far past σ's float32 range exercise the SIMD exp's clamp and 2^n build.
    const l = layer(4, 8, true, 9);
    const x = tf.variable(tf.randomNormal([3, 6, 4], 0, 40, "float32", 6));
    setLstmSimd(simd);
    try {
      const run = (fused: boolean) => onPath(fused, () => layerGrads(l, x));
      expectClose(run(true), run(false), 1e-4);
    } finally {
      setLstmSimd(true);
    }
    l.weights.forEach((w) => w.dispose());
    x.dispose();
  });

  it("outside a gradient gives the same values and keeps nothing", () => {
    const l = layer(12, 16, true, 8);
    const x = tf.randomNormal([6, 7, 12], 0, 1, "float32", 9);
    setFusedOps(true);
    try {
      expectSameOutsideGradient((input) => l.apply(input) as tf.Tensor, [x]);
    } finally {
      setFusedOps(undefined);
    }
    x.dispose();
  });

  it("the SIMD and JS paths agree on the default-ish shape, gradients included", () => {
    const l = layer(24, 16, false, 3);
    const x = tf.variable(tf.randomNormal([7, 10, 24], 0, 1, "float32", 4));
    const run = (simd: boolean) => {
      setLstmSimd(simd);
      try {
        return onPath(true, () => layerGrads(l, x));
      } finally {
        setLstmSimd(true);
      }
    };
    expectClose(run(true), run(false), 1e-5);
    l.weights.forEach((w) => w.dispose());
    x.dispose();
  });

  it("the 2-layer model's weight gradients equal the op path", () => {
    const model = buildModel("lstm", small, 12, 3);
    const x = tf.randomNormal([5, 12, 3], 0, 1, "float32", 8);
    const labels = tf.tensor1d([0, 1, 2, 3, 1], "int32");
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const run = (fused: boolean) =>
      onPath(fused, () => {
        const { value, grads } = tf.variableGrads(() => modelLoss(model, x, labels), vars);
        return [value, ...vars.map((v) => grads[v.name])];
      });
    expectClose(run(true), run(false), 1e-4);
    tf.dispose([x, labels]);
    model.dispose();
  });

  it("training steps leak no tensors", () => {
    const model = buildModel("lstm", small, 12, 3);
    const x = tf.randomNormal([5, 12, 3], 0, 1, "float32", 8);
    const labels = tf.tensor1d([0, 1, 2, 3, 1], "int32");
    const optimizer = tf.train.adam(1e-2);
    const step = () => tf.dispose(optimizer.minimize(() => modelLoss(model, x, labels), true) ?? []);
    setFusedOps(true);
    step(); // Adam creates its slots on the first step
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    setFusedOps(undefined);
    optimizer.dispose();
    tf.dispose([x, labels]);
    model.dispose();
  });
});
