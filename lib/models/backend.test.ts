import * as tf from "@tensorflow/tfjs";
import { describe, expect, it, vi } from "vitest";
import { ADAPTER_TIMEOUT_MS, backendAvailable, backendCandidates, initBackend } from "./backend";

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

  it("counts a WebGPU adapter request that never answers as no WebGPU, instead of waiting for good", async () => {
    vi.useFakeTimers();
    vi.stubGlobal("navigator", { gpu: { requestAdapter: () => new Promise(() => {}) } });
    try {
      const answer = backendAvailable("webgpu");
      await vi.advanceTimersByTimeAsync(ADAPTER_TIMEOUT_MS);
      expect(await answer).toBe(false);
      vi.stubGlobal("navigator", { gpu: { requestAdapter: async () => ({}) } });
      expect(await backendAvailable("webgpu")).toBe(true);
    } finally {
      vi.unstubAllGlobals();
      vi.useRealTimers();
    }
  });
});
