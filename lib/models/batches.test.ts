import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { assembleWindows, gatherWindows, toDeviceSource, windowRowIndices } from "./batches";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("batches", () => {
  const rows = 10;
  const features = 2;
  const matrix = Float32Array.from({ length: rows * features }, (_, i) => i); // row r = [2r, 2r+1]

  it("builds window row indices", () => {
    expect(Array.from(windowRowIndices([2, 5], 3, rows))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(() => windowRowIndices([1], 3, rows)).toThrow(/leaves/);
    expect(() => windowRowIndices([10], 3, rows)).toThrow(/leaves/);
  });

  it("gathers windows on the device and from the host identically", () => {
    const src = toDeviceSource({ matrix, rows, features, window: 3 });
    expect(src.host).toBeDefined(); // cpu backend assembles on the host
    const host = gatherWindows(src, [9, 2, 4], 1, 3);
    expect(host.shape).toEqual([2, 3, 2]);
    expect(Array.from(host.dataSync())).toEqual([0, 1, 2, 3, 4, 5, 4, 5, 6, 7, 8, 9]);
    const device = gatherWindows({ ...src, host: undefined }, [9, 2, 4], 1, 3);
    expect(Array.from(device.dataSync())).toEqual(Array.from(host.dataSync()));
    expect(Array.from(assembleWindows(matrix, features, 3, rows, [9]))).toEqual([14, 15, 16, 17, 18, 19]);
    tf.dispose([host, device]);
    src.dispose();
  });
});
