import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HostAdam } from "./host-adam";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** Two variables and a loss whose gradients change every step (so the moments matter). */
function problem(seed: number) {
  const a = tf.variable(tf.randomNormal([5, 3], 0, 1, "float32", seed));
  const b = tf.variable(tf.randomNormal([3], 0, 1, "float32", seed + 1));
  const x = tf.randomNormal([7, 5], 0, 1, "float32", seed + 2);
  const y = tf.randomNormal([7, 3], 0, 1, "float32", seed + 3);
  const loss = () => tf.tidy(() => tf.mean(tf.square(tf.matMul(x, a).add(b).tanh().sub(y))) as tf.Scalar);
  return { vars: [a, b], loss, dispose: () => tf.dispose([a, b, x, y]) };
}

function run(opt: tf.Optimizer, steps: number, p = problem(3)): Float32Array[] {
  for (let i = 0; i < steps; i++) opt.minimize(p.loss, false, p.vars);
  const out = p.vars.map((v) => v.dataSync() as Float32Array);
  p.dispose();
  return out;
}

function expectClose(a: Float32Array[], b: Float32Array[], tol: number): void {
  expect(a.length).toBe(b.length);
  a.forEach((x, i) => x.forEach((v, k) => expect(Math.abs(v - b[i][k])).toBeLessThan(tol * (1 + Math.abs(b[i][k])))));
}

describe("HostAdam", () => {
  it("takes the same steps as tf.train.adam", () => {
    const ours = run(new HostAdam(0.01), 25);
    const ref = run(tf.train.adam(0.01), 25);
    expectClose(ours, ref, 1e-5);
    // And the steps moved the weights (a no-op optimiser would fail the comparison with the start).
    const start = problem(3);
    const moved = Math.abs(ours[0][0] - (start.vars[0].dataSync() as Float32Array)[0]);
    start.dispose();
    expect(moved).toBeGreaterThan(0.01);
  });

  it("resumes from tfjs Adam's saved state, and tfjs Adam from its own", async () => {
    const ref = run(tf.train.adam(0.01), 20);
    for (const [First, Second] of [
      [() => tf.train.adam(0.01), () => new HostAdam(0.01)],
      [() => new HostAdam(0.01), () => tf.train.adam(0.01)],
    ] as const) {
      const p = problem(3);
      const first = First();
      for (let i = 0; i < 12; i++) first.minimize(p.loss, false, p.vars);
      const state = await first.getWeights();
      const second = Second();
      await second.setWeights(state.map((w) => ({ name: w.name, tensor: w.tensor.clone() })));
      expect(second.iterations).toBe(12);
      expectClose(run(second, 8, p), ref, 1e-5);
    }
  });
});

describe("HostAdam on wasm", () => {
  afterAll(async () => {
    await tf.setBackend("cpu");
  });

  /** Weights after `steps` host steps from fixed gradients, on one backend. */
  async function stepsOn(backend: string, steps: number): Promise<number[][]> {
    await tf.setBackend(backend);
    const vars = [tf.variable(tf.tensor2d([0.5, -1, 2, 0.25], [2, 2])), tf.variable(tf.tensor1d([0.1, -0.2]))];
    const opt = new HostAdam(0.05);
    for (let s = 0; s < steps; s++) {
      const grads = vars.map((v, i) =>
        Float32Array.from({ length: v.size }, (_, k) => Math.sin(1 + s * 7 + i * 3 + k)),
      );
      opt.applyHost(vars, grads);
    }
    const out = vars.map((v) => Array.from(v.dataSync()));
    tf.dispose(vars);
    return out;
  }

  it("takes the same steps as on cpu, bit for bit (the update is read and written on the heap)", async () => {
    const cpu = await stepsOn("cpu", 12);
    const wasm = await stepsOn("wasm", 12);
    expect(wasm).toEqual(cpu);
    expect(cpu[0][0]).not.toBe(0.5);
  });
});
