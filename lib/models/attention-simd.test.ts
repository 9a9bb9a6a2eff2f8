import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attentionCore, attentionSimdFits } from "./attention-simd";
import { setFusedOps } from "./fused";
import { StudioSelfAttention } from "./layers";
import { patchWasmKernels } from "./wasm-kernels";
import { expectClose, squaredSumGrads, toArray, expectSameOutsideGradient } from "@/test/expect-close";

/** The op path's attention core (layers.ts): heads split, softmax(Q·Kᵀ/√dh)·V, heads merged. */
function reference(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, h: number): tf.Tensor3D {
  const [b, t, d] = q.shape;
  const dh = d / h;
  const heads = (y: tf.Tensor) => y.reshape([b, t, h, dh]).transpose([0, 2, 1, 3]);
  const scores = tf.matMul(heads(q), heads(k), false, true).mul(1 / Math.sqrt(dh));
  return tf.matMul(tf.softmax(scores, -1), heads(v)).transpose([0, 2, 1, 3]).reshape([b, t, d]) as tf.Tensor3D;
}

/** Value and gradients of Σ core(q, k, v) ⊙ w (w fixed random), as arrays. */
function valueAndGrads(
  core: (q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D) => tf.Tensor3D,
  inputs: tf.Tensor3D[],
): Float32Array[] {
  return tf
    .tidy(() => {
      const w = tf.randomNormal(inputs[0].shape, 0, 1, "float32", 7);
      const out = core(inputs[0], inputs[1], inputs[2]);
      const grads = tf.grads((q, k, v) => tf.sum(core(q as tf.Tensor3D, k as tf.Tensor3D, v as tf.Tensor3D).mul(w)))(
        inputs,
      );
      return [out, ...grads];
    })
    .map(toArray);
}

const randomInputs = (b: number, t: number, d: number, seed: number, std = 1) =>
  [0, 1, 2].map((i) => tf.randomNormal([b, t, d], 0, std, "float32", seed + i) as tf.Tensor3D);

describe("attentionCore (WebAssembly SIMD)", () => {
  beforeAll(async () => {
    expect(patchWasmKernels()).toBe(true);
    await tf.setBackend("wasm");
    await tf.ready();
    expect(attentionSimdFits(64, 4)).toBe(true);
  });
  afterAll(() => setFusedOps(undefined));

  it.each([
    ["the default shape (15 tokens: padded rows)", 4, 15, 64, 4],
    ["tokens a multiple of 4, one head", 3, 8, 16, 1],
    ["dh = 4, odd tokens", 2, 5, 16, 4],
    ["two tokens", 2, 2, 8, 2],
  ])("matches the op path's values and gradients: %s", (_name, b, t, d, h) => {
    const inputs = randomInputs(b, t, d, 11);
    const got = valueAndGrads((q, k, v) => attentionCore(q, k, v, h), inputs);
    const want = valueAndGrads((q, k, v) => reference(q, k, v, h), inputs);
    expectClose(got, want, 1e-5);
    tf.dispose(inputs);
  });

  it("outside a gradient gives the same values and keeps nothing", () => {
    const inputs = randomInputs(4, 15, 64, 31);
    expectSameOutsideGradient(
      (q, k, v) => attentionCore(q as tf.Tensor3D, k as tf.Tensor3D, v as tf.Tensor3D, 4),
      inputs,
    );
    tf.dispose(inputs);
  });

  it("stays exact on large scores (the max is taken out before exp)", () => {
    const inputs = randomInputs(2, 15, 16, 21, 6); // scores up to ~±300 before scaling
    const got = valueAndGrads((q, k, v) => attentionCore(q, k, v, 2), inputs);
    const want = valueAndGrads((q, k, v) => reference(q, k, v, 2), inputs);
    expectClose(got, want, 1e-4);
    tf.dispose(inputs);
  });

  it("is not disturbed by what an earlier call left in the scratch's pad columns", () => {
    // NaN everywhere in a first call's scores and gradients; the pad lanes of the next call's rows
    // then hold NaN until masked.
    const poisoned = randomInputs(4, 15, 64, 31).map((x) => tf.fill(x.shape, NaN) as tf.Tensor3D);
    const nan = valueAndGrads((q, k, v) => attentionCore(q, k, v, 4), poisoned);
    expect(Number.isNaN(nan[0][0])).toBe(true);
    const inputs = randomInputs(4, 15, 64, 41);
    const got = valueAndGrads((q, k, v) => attentionCore(q, k, v, 4), inputs);
    const want = valueAndGrads((q, k, v) => reference(q, k, v, 4), inputs);
    expectClose(got, want, 1e-5);
    tf.dispose([...poisoned, ...inputs]);
  });

  it("gives StudioSelfAttention the same outputs and weight gradients as the op path", () => {
    const layer = new StudioSelfAttention({ heads: 4, seed: 5 });
    layer.build([null, 15, 64]);
    const x = tf.randomNormal([3, 15, 64], 0, 1, "float32", 51) as tf.Tensor3D;
    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const run = (fused: boolean) => squaredSumGrads(layer, x, vars, fused);
    const [fused, op] = [run(true), run(false)];
    // K's bias moves every score of a row by the same amount, which softmax ignores: its gradient
    // is 0 up to rounding on both paths, so it is compared in absolute terms.
    const kBias = 1 + vars.findIndex((v) => v.name.endsWith("k_bias"));
    expect(kBias).toBeGreaterThan(0);
    const rest = (a: Float32Array[]) => a.filter((_, i) => i !== kBias);
    expectClose(rest(fused), rest(op), 1e-5);
    for (const g of [fused[kBias], op[kBias]]) for (const v of g) expect(Math.abs(v)).toBeLessThan(1e-4);
    x.dispose();
  });
});
