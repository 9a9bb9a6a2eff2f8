import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { backendAvailable, backendCandidates, initBackend } from "./backend";

describe("backend choice", () => {
  it("orders candidates WebGPU → WebGL → WASM → CPU, preference first", () => {
    expect(backendCandidates("auto")).toEqual(["webgpu", "webgl", "wasm", "cpu"]);
    expect(backendCandidates("cpu")).toEqual(["cpu", "webgpu", "webgl", "wasm"]);
  });

  it("skips what this runtime lacks and reports the backend in use", async () => {
    expect(await backendAvailable("webgpu")).toBe(false); // Node has no navigator.gpu
    expect(await backendAvailable("webgl")).toBe(false);
    expect(await initBackend("cpu")).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
  });
});
