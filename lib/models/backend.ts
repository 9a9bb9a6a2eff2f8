/**
 * Picks the tfjs backend: WebGPU → WebGL → WASM → CPU by feature detection, or the one asked
 * for (falling back down the same list if it fails to start). WASM binaries are loaded from the
 * app's own path, never a CDN. Runs in a worker or a page.
 */
import * as tf from "@tensorflow/tfjs";
import { setThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import "@tensorflow/tfjs-backend-webgpu";
import type { BackendName, BackendPreference } from "./types";
import { patchWasmKernels } from "./wasm-kernels";
import { WASM_BASE } from "./wasm-base";

export const BACKEND_ORDER: readonly BackendName[] = ["webgpu", "webgl", "wasm", "cpu"];

export interface BackendOptions {
  /** Where the tfjs-wasm *.wasm files are served: default the app's WASM_BASE; benches pass "./tfjs-wasm/". */
  wasmBase?: string;
  /** WASM threads (needs cross-origin isolation); default: tfjs's own choice. */
  wasmThreads?: number;
  /** Install the wasm kernel speed fixes (see wasm-kernels.ts). Default true. */
  fastWasmKernels?: boolean;
}

/** How long a WebGPU adapter request may take before WebGPU counts as unavailable (ms). */
export const ADAPTER_TIMEOUT_MS = 5000;

/** Cheap checks that a backend could start here (starting it is the real test). */
export async function backendAvailable(name: BackendName): Promise<boolean> {
  const g = globalThis as unknown as {
    navigator?: { gpu?: { requestAdapter(): Promise<unknown> } };
    OffscreenCanvas?: unknown;
    document?: unknown;
  };
  switch (name) {
    case "webgpu":
      try {
        if (!g.navigator?.gpu) return false;
        // requestAdapter can stay pending for good where the GPU process is unavailable (headless,
        // a blocked driver): an adapter that has not come within the limit counts as none.
        let timer: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ADAPTER_TIMEOUT_MS)));
        const adapter = await Promise.race([g.navigator.gpu.requestAdapter(), late]);
        clearTimeout(timer);
        return !!adapter;
      } catch {
        return false;
      }
    case "webgl":
      return typeof g.OffscreenCanvas === "function" || typeof g.document === "object";
    case "wasm":
      return typeof WebAssembly === "object";
    case "cpu":
      return true;
  }
}

/** The candidates tried for a preference, in order. */
export function backendCandidates(preference: BackendPreference): BackendName[] {
  if (preference === "auto") return [...BACKEND_ORDER];
  return [preference, ...BACKEND_ORDER.filter((b) => b !== preference)];
}

let wasmConfigured = false;

/**
 * Starts the preferred backend (or the first that works) and returns the one in use.
 * @param preference "auto" or a backend name to try first
 */
export async function initBackend(
  preference: BackendPreference = "auto",
  options: BackendOptions = {},
): Promise<BackendName> {
  if (!wasmConfigured) {
    const base = options.wasmBase ?? WASM_BASE;
    setWasmPaths(base.endsWith("/") ? base : `${base}/`);
    // tfjs builds its pthread worker from the glue code's source text, which a minifying
    // production build (next build) breaks ("a is not defined"). Use the single-threaded binary
    // unless threads are asked for explicitly (tfjs would use half the cores: 1 on 2 cores).
    if (options.wasmThreads && options.wasmThreads > 1) setThreadsCount(options.wasmThreads);
    else tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    if (options.fastWasmKernels !== false) patchWasmKernels();
    wasmConfigured = true;
  }
  const errors: string[] = [];
  for (const name of backendCandidates(preference)) {
    if (!(await backendAvailable(name))) continue;
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return tf.getBackend() as BackendName;
      }
      errors.push(`${name}: failed to start`);
    } catch (err) {
      errors.push(`${name}: ${(err as Error).message}`);
    }
  }
  throw new Error(`no tfjs backend could start (${errors.join("; ")})`);
}
