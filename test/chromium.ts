/** How the studio's tests and benchmarks start Debian's Chromium (never a downloaded build). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Headless flags that work on machines without a GPU or outside network. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Extra flag that exposes WebGPU through SwiftShader (software; correctness only, never timing). */
export const WEBGPU_SOFTWARE_ARGS = [
  "--enable-unsafe-webgpu",
  "--enable-features=Vulkan",
  "--use-angle=swiftshader",
  "--use-webgpu-adapter=swiftshader",
];

/**
 * Flags for WebGPU on a real GPU (a lent device machine): the GPU stays on, Vulkan is enabled
 * and the blocklist ignored (headless Chromium otherwise falls back to software).
 */
export const WEBGPU_HARDWARE_ARGS = [
  ...CHROMIUM_ARGS.filter((a) => a !== "--disable-gpu"),
  "--enable-unsafe-webgpu",
  "--enable-features=Vulkan",
  "--use-angle=vulkan",
  "--ignore-gpu-blocklist",
];
