/**
 * Benchmark harness: bundles bench/<name>/browser.ts (and any bench/<name>/*.worker.ts) with
 * esbuild, serves it cross-origin isolated on loopback, runs it in headless Chromium and prints
 * the JSON lines it reports. Optional bench/<name>/node.ts exports `setup()` that runs in Node
 * first (e.g. starting the mock Binance server) and returns query parameters for the page.
 *
 * Usage: tsx bench/run.ts <name> [key=value ...]   (key=value pairs become URL query parameters)
 * A page reports with console.log("BENCH " + JSON.stringify(row)) and ends with "BENCH_DONE".
 */
import { build } from "esbuild";
import { chromium } from "@playwright/test";
import { createServer, type Server } from "node:http";
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CHROMIUM_ARGS, CHROMIUM_PATH, WEBGPU_HARDWARE_ARGS, WEBGPU_SOFTWARE_ARGS } from "@/test/chromium";
import { createStaticHandler } from "../scripts/static-files.mjs";

const name = process.argv[2];
if (!name || !existsSync(path.join("bench", name, "browser.ts"))) {
  console.error(
    `usage: tsx bench/run.ts <name>; names: ${readdirSync("bench")
      .filter((d) => existsSync(path.join("bench", d, "browser.ts")))
      .join(", ")}`,
  );
  process.exit(2);
}
const params = new URLSearchParams(process.argv.slice(3).map((kv) => kv.split("=", 2) as [string, string]));
const timeoutMs = Number(params.get("timeout_s") ?? 1800) * 1000;
const outDir = path.join("bench", "results", name);
// ../shared/data beside the checkout; BENCH_SHARED_DATA points elsewhere (a git worktree's parent is not the repo's).
const sharedData = path.resolve(process.env.BENCH_SHARED_DATA ?? path.join("..", "shared", "data"));

async function bundle(): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const dir = path.join("bench", name);
  const entries = [
    path.join(dir, "browser.ts"),
    ...readdirSync(dir)
      .filter((f) => f.endsWith(".worker.ts"))
      .map((f) => path.join(dir, f)),
  ];
  await build({
    entryPoints: entries,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    outdir: outDir,
    sourcemap: false,
    minify: false,
    logLevel: "warning",
    alias: { "@": path.resolve(".") },
    define: { "process.env.NODE_ENV": '"production"' },
  });
  const wasmFrom = path.join("node_modules", "@tensorflow", "tfjs-backend-wasm", "dist");
  mkdirSync(path.join(outDir, "tfjs-wasm"), { recursive: true });
  for (const f of readdirSync(wasmFrom))
    if (f.endsWith(".wasm")) cpSync(path.join(wasmFrom, f), path.join(outDir, "tfjs-wasm", f));
  writeFileSync(
    path.join(outDir, "index.html"),
    `<!doctype html><meta charset="utf-8"><title>bench ${name}</title><script type="module" src="./browser.js"></script>`,
  );
}

function serve(): Promise<{ server: Server; port: number }> {
  const headers = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
    "Cross-Origin-Resource-Policy": "cross-origin",
  };
  // The studio's own static handler: a malformed path gets 400 instead of ending the run.
  // /shared-data/... maps to ../shared/data (real candles for benchmarks; absent on a user's clone).
  const server = createServer(
    createStaticHandler({ root: outDir, mounts: { "shared-data": sharedData }, headersFor: () => headers }),
  );
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as { port: number }).port })),
  );
}

async function main(): Promise<void> {
  await bundle();
  const nodeSetup = path.resolve("bench", name, "node.ts");
  let teardown: (() => Promise<void>) | undefined;
  if (existsSync(nodeSetup)) {
    const mod = (await import(nodeSetup)) as {
      setup: () => Promise<{ params: Record<string, string>; teardown: () => Promise<void> }>;
    };
    const s = await mod.setup();
    for (const [k, v] of Object.entries(s.params)) params.set(k, v);
    teardown = s.teardown;
  }
  if (!params.has("shared")) params.set("shared", existsSync(sharedData) ? "1" : "0");
  const { server, port } = await serve();
  // backend=webgpu: expose WebGPU to headless Chromium (a real GPU where there is one; software
  // SwiftShader here, correctness only). bench/webgpu.sh runs bench:train that way in one go.
  const args =
    params.get("backend") !== "webgpu"
      ? CHROMIUM_ARGS
      : params.get("gpu") === "hardware"
        ? WEBGPU_HARDWARE_ARGS
        : [...CHROMIUM_ARGS, ...WEBGPU_SOFTWARE_ARGS];
  // BENCH_JSFLAGS=--trace-gc (with DEBUG=pw:browser to see the browser's output): V8 flags for the
  // page and its workers, e.g. to count their garbage collections.
  const jsFlags = process.env.BENCH_JSFLAGS ? [`--js-flags=${process.env.BENCH_JSFLAGS}`] : [];
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...args, ...jsFlags], headless: true });
  let failed = false;
  try {
    const page = await browser.newPage();
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`bench ${name} timed out after ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      page.on("console", (msg) => {
        const text = msg.text();
        if (text.startsWith("BENCH ")) console.log(text.slice(6));
        else if (text === "BENCH_DONE") {
          clearTimeout(timer);
          resolve();
        } else if (process.env.BENCH_VERBOSE) console.error(`[page] ${text}`);
      });
      page.on("pageerror", (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    // BENCH_PROFILE=file.cpuprofile: a CPU profile of the page's main thread (not its workers)
    // for the whole bench, to find what makes a long task (open it in Chrome's DevTools).
    const profile = process.env.BENCH_PROFILE;
    const cdp = profile ? await page.context().newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: 500 });
      await cdp.send("Profiler.start");
    }
    await page.goto(`http://127.0.0.1:${port}/index.html?${params}`);
    await done;
    if (cdp && profile) {
      const { profile: data } = await cdp.send("Profiler.stop");
      writeFileSync(profile, JSON.stringify(data));
      console.error(`page CPU profile written to ${profile}`);
    }
  } catch (err) {
    failed = true;
    console.error(err);
  } finally {
    await browser.close();
    server.close();
    await teardown?.();
  }
  process.exit(failed ? 1 : 0);
}

void main();
