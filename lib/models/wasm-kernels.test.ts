import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { patchWasmKernels } from "./wasm-kernels";

// Runs the same ops on the stock cpu backend and the patched wasm backend and compares.
function both(f: () => tf.Tensor | tf.Tensor[]): [number[][], number[][]] {
  const run = (backend: string) => {
    tf.setBackend(backend);
    return tf.tidy(() => [f()].flat().map((t) => Array.from(t.dataSync())));
  };
  return [run("cpu"), run("wasm")];
}

beforeAll(async () => {
  expect(patchWasmKernels()).toBe(true);
  await tf.setBackend("wasm");
  await tf.ready();
});

describe("patched wasm kernels", () => {
  const a = () =>
    tf.tensor3d(
      Array.from({ length: 2 * 3 * 4 }, (_, i) => Math.sin(i)),
      [2, 3, 4],
    );
  const b = () =>
    tf.tensor3d(
      Array.from({ length: 2 * 3 * 4 }, (_, i) => Math.cos(i)),
      [2, 3, 4],
    );
  it.each([
    ["matMul transposeA", () => tf.matMul(a(), b(), true, false)],
    ["matMul transposeB", () => tf.matMul(a(), b(), false, true)],
    ["matMul both, 2-D", () => tf.matMul(a().reshape([6, 4]), b().reshape([4, 6]), true, true)],
    ["slice", () => tf.slice(a(), [1, 1, 1], [1, 2, -1])],
    ["unstack", () => tf.unstack(a(), 1)],
    ["split", () => tf.split(a(), [1, 3], 2)],
    ["split even", () => tf.split(a(), 2, 2)],
    ["clone (Identity)", () => tf.clone(a())],
  ] as const)("%s equals the cpu backend", (_name, f) => {
    const [cpu, wasm] = both(f);
    expect(wasm.length).toBe(cpu.length);
    for (let i = 0; i < cpu.length; i++)
      for (let j = 0; j < cpu[i].length; j++) expect(wasm[i][j]).toBeCloseTo(cpu[i][j], 5);
  });

  it("a clone shares the data (no copy) and outlives its source", () => {
    tf.setBackend("wasm");
    const x = a();
    const before = tf.memory().numDataBuffers;
    const y = tf.clone(x);
    expect(tf.memory().numDataBuffers).toBe(before);
    const want = Array.from(x.dataSync());
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual(want);
    y.dispose();
  });

  it("gradients through ops that save their inputs are unchanged", () => {
    const f = (x: tf.Tensor) => tf.sum(tf.mul(tf.exp(x), tf.sin(x)));
    const [cpu, wasm] = both(() => tf.grad(f)(a()));
    for (let j = 0; j < cpu[0].length; j++) expect(wasm[0][j]).toBeCloseTo(cpu[0][j], 5);
  });
});
