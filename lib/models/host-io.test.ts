import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { afterAll, describe, expect, it } from "vitest";
import { readValues, recordingGradient, tensorFrom } from "./host-io";

afterAll(async () => {
  await tf.setBackend("cpu");
});

describe.each(["wasm", "cpu"])("host I/O on %s", (backend) => {
  it("reads a tensor's values and builds a tensor from written values", async () => {
    await tf.setBackend(backend);
    const a = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(Array.from(readValues(a))).toEqual([1, 2, 3, 4, 5, 6]);
    // A fill that reads another tensor (allowed: it allocates nothing).
    const b = tensorFrom([3, 2], (out) => {
      const src = readValues(a);
      for (let k = 0; k < out.length; k++) out[k] = src[k] * 10;
    });
    expect(b.shape).toEqual([3, 2]);
    expect(b.dtype).toBe("float32");
    expect(Array.from(b.dataSync())).toEqual([10, 20, 30, 40, 50, 60]);
    // The new tensor is a tensor like any other: ops and gradients take it.
    expect(Array.from(tf.sum(tf.mul(b, 2)).dataSync())).toEqual([420]);
    tf.dispose([a, b]);
  });

  it("leaks nothing, also when the fill throws", async () => {
    await tf.setBackend(backend);
    const before = tf.memory().numTensors;
    const bytesBefore = tf.backend().numDataIds();
    tensorFrom([4], (out) => out.fill(1)).dispose();
    expect(() =>
      tensorFrom([4], () => {
        throw new Error("window out of range");
      }),
    ).toThrow(/out of range/);
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.backend().numDataIds()).toBe(bytesBefore);
  });

  it("tells whether a gradient is being recorded", async () => {
    await tf.setBackend(backend);
    const seen: boolean[] = [];
    expect(recordingGradient()).toBe(false);
    const g = tf.grad((x: tf.Tensor) => {
      seen.push(recordingGradient());
      return tf.sum(tf.mul(x, x));
    });
    tf.tidy(() => g(tf.ones([3])));
    tf.tidy(() => tf.sum(tf.ones([3])));
    expect(seen).toEqual([true]);
    expect(recordingGradient()).toBe(false);
  });

  it("refuses to read a tensor that is not float32", async () => {
    await tf.setBackend(backend);
    const i = tf.tensor1d([1, 2], "int32");
    expect(() => readValues(i)).toThrow(/int32/);
    i.dispose();
  });
});
