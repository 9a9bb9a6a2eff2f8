/** Comparing float arrays of a fast path with a reference path's (the fused and SIMD ops' tests). */
import * as tf from "@tensorflow/tfjs";
import { expect } from "vitest";
import { setFusedOps } from "@/lib/models/fused";

/** Every element within `rel` of the reference, relative to the reference's largest magnitude. */
export function expectClose(got: Float32Array[], want: Float32Array[], rel: number): void {
  expect(got.length).toBe(want.length);
  for (let a = 0; a < want.length; a++) {
    expect(got[a].length).toBe(want[a].length);
    const scale = want[a].reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(scale).toBeGreaterThan(0); // a zero gradient would compare trivially
    let worst = 0;
    for (let i = 0; i < want[a].length; i++) worst = Math.max(worst, Math.abs(got[a][i] - want[a][i]));
    expect(worst / scale, `tensor ${a}`).toBeLessThan(rel);
  }
}

/** A tensor's values as an array; the tensor is disposed (for `.map(toArray)`). */
export function toArray(t: tf.Tensor): Float32Array {
  const a = t.dataSync() as Float32Array;
  t.dispose();
  return a;
}

/** Σ layer(x)² and its gradients w.r.t. `vars`, on the fused (true) or op-by-op (false) path, as arrays. */
export function squaredSumGrads(layer: tf.layers.Layer, x: tf.Tensor, vars: tf.Variable[], fused: boolean) {
  setFusedOps(fused);
  try {
    return tf
      .tidy(() => {
        const { value, grads } = tf.variableGrads(
          () => tf.sum((layer.apply(x) as tf.Tensor).square()) as tf.Scalar,
          vars,
        );
        return [value, ...vars.map((v) => grads[v.name])];
      })
      .map(toArray);
  } finally {
    setFusedOps(undefined);
  }
}

/**
 * The op gives the same values outside a gradient (where the host ops keep nothing for a
 * backward pass) as while one is recorded, and neither way leaves a tensor behind.
 */
export function expectSameOutsideGradient(op: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[]): void {
  const before = tf.memory().numTensors;
  const plain = toArray(op(...inputs));
  expect(tf.memory().numTensors).toBe(before);
  let recorded: Float32Array | undefined;
  const grads = tf.grads((...xs: tf.Tensor[]) => {
    const y = op(...xs);
    recorded = (y.dataSync() as Float32Array).slice();
    return tf.sum(y);
  })(inputs);
  tf.dispose(grads);
  expect(tf.memory().numTensors).toBe(before);
  expect(Array.from(plain)).toEqual(Array.from(recorded ?? []));
}
