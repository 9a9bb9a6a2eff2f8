import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setFusedOps } from "./fused";
import { layerNormCore, layerNormSimdFits } from "./layer-norm-simd";
import { StudioLayerNorm } from "./layers";
import { patchWasmKernels } from "./wasm-kernels";
import { expectClose, expectSameOutsideGradient, squaredSumGrads, toArray } from "@/test/expect-close";

/** The op path's layer norm (layers.ts). */
function reference(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return x
    .sub(mean)
    .mul(tf.rsqrt(variance.add(eps)))
    .mul(gamma)
    .add(beta);
}

/** Value and gradients (x, γ, β) of Σ norm(x) ⊙ w, w fixed random, as arrays. */
function valueAndGrads(norm: (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor, inputs: tf.Tensor[]) {
  return tf
    .tidy(() => {
      const w = tf.randomNormal(inputs[0].shape, 0, 1, "float32", 7);
      const grads = tf.grads((x, g, b) => tf.sum(norm(x, g, b).mul(w)))(inputs);
      return [norm(inputs[0], inputs[1], inputs[2]), ...grads];
    })
    .map(toArray);
}

describe("layerNormCore (WebAssembly SIMD)", () => {
  beforeAll(async () => {
    expect(patchWasmKernels()).toBe(true);
    await tf.setBackend("wasm");
    await tf.ready();
    expect(layerNormSimdFits(64)).toBe(true);
    expect(layerNormSimdFits(6)).toBe(false);
  });
  afterAll(() => setFusedOps(undefined));

  it("outside a gradient gives the same values and keeps nothing", () => {
    const inputs = [
      tf.randomNormal([4, 15, 64], 0, 1, "float32", 5),
      tf.randomNormal([64], 1, 0.2, "float32", 6),
      tf.randomNormal([64], 0, 0.2, "float32", 7),
    ];
    expectSameOutsideGradient((x, g, b) => layerNormCore(x, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5), inputs);
    tf.dispose(inputs);
  });

  it.each([
    ["the default token shape", [32, 15, 64]],
    ["one row of 4", [1, 4]],
    ["an odd row count, offset and large values", [7, 3, 16]],
  ])("matches the op path's values and gradients: %s", (_name, shape) => {
    const d = shape[shape.length - 1];
    const inputs = [
      tf.randomNormal(shape, 3, 5, "float32", 1), // mean and spread far from 0 and 1
      tf.randomNormal([d], 1, 0.5, "float32", 2),
      tf.randomNormal([d], 0, 0.5, "float32", 3),
    ];
    const got = valueAndGrads((x, g, b) => layerNormCore(x, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5), inputs);
    const want = valueAndGrads((x, g, b) => reference(x, g, b, 1e-5), inputs);
    expectClose(got, want, 2e-5);
    tf.dispose(inputs);
  });

  it("is what StudioLayerNorm runs on the fused path, with the same result as the op path", () => {
    const layer = new StudioLayerNorm();
    layer.build([null, 15, 64]);
    layer.setWeights([tf.randomNormal([64], 1, 0.3, "float32", 4), tf.randomNormal([64], 0, 0.3, "float32", 5)]);
    const x = tf.variable(tf.randomNormal([2, 15, 64], 0, 2, "float32", 6)); // its gradient is dx
    const vars = [x, ...layer.trainableWeights.map((w) => w.read() as tf.Variable)];
    const run = (fused: boolean) => squaredSumGrads(layer, x, vars, fused);
    expectClose(run(true), run(false), 2e-5);
    x.dispose();
  });
});
