/**
 * The real TFLite interpreter for tests and benchmarks: @tensorflow/tfjs-tflite (TFLite compiled
 * to wasm) in Debian's headless Chromium, on a loopback page this module bundles and serves
 * itself, wasm included (never a CDN). Node-only.
 *
 *   const tfl = await openTfliteInterpreter();
 *   const { outputs } = await tfl.run(modelBytes, inputs, cases);
 *   await tfl.close();
 */
import { createServer, type Server } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { chromium, type Browser, type Page } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium";
import type { TfliteRunResult } from "./tflite-page";

const PACKAGE = path.resolve("node_modules/@tensorflow/tfjs-tflite");
const WASM_DIR = path.join(PACKAGE, "wasm");

/** Whether the interpreter can run here (package installed, Chromium present); tests skip otherwise. */
export function tfliteInterpreterAvailable(): boolean {
  return existsSync(path.join(WASM_DIR, "tflite_web_api_cc_simd.wasm")) && existsSync(CHROMIUM_PATH);
}

export interface TfliteInterpreter {
  /**
   * Runs `model` on `cases` inputs laid out one after another in `inputs` (each of the model's
   * input shape) and returns the model's input shape and dtype, its output shape (one case) and
   * every case's outputs concatenated. Rejects with the interpreter's message when the model
   * cannot be loaded or run.
   */
  run(model: Uint8Array, inputs: Float32Array, cases: number): Promise<TfliteRunResult>;
  close(): Promise<void>;
}

async function pageScript(): Promise<string> {
  const out = await build({
    entryPoints: [path.resolve("test/tflite-page.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "warning",
    // dist/index.js imports a client file the package does not ship; its fesm bundle is whole.
    alias: { "@tensorflow/tfjs-tflite": path.join(PACKAGE, "dist/tf-tflite.fesm.js") },
    define: { "process.env.NODE_ENV": '"production"' },
  });
  return out.outputFiles[0].text;
}

export async function openTfliteInterpreter(): Promise<TfliteInterpreter> {
  const script = await pageScript();
  const blobs = new Map<string, Uint8Array>();
  const server: Server = createServer((req, res) => {
    const url = (req.url ?? "/").split("?")[0];
    const send = (type: string, body: Uint8Array | string) => res.writeHead(200, { "Content-Type": type }).end(body);
    if (url === "/")
      return send("text/html", '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>');
    if (url === "/page.js") return send("text/javascript", script);
    if (url.startsWith("/blob/") && blobs.has(url)) return send("application/octet-stream", blobs.get(url)!);
    const file = path.join(WASM_DIR, path.basename(url));
    if (url.startsWith("/tflite-wasm/") && existsSync(file))
      return send(file.endsWith(".wasm") ? "application/wasm" : "text/javascript", readFileSync(file));
    res.writeHead(404).end("missing");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    const page: Page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => typeof window.tfliteRun === "function");
    let seq = 0;
    return {
      async run(model, inputs, cases) {
        const id = seq++;
        blobs.set(`/blob/${id}.tflite`, model);
        blobs.set(`/blob/${id}.in`, new Uint8Array(inputs.buffer, inputs.byteOffset, inputs.byteLength));
        try {
          return await page.evaluate(([m, x, n]) => window.tfliteRun(m, x, n), [
            `/blob/${id}.tflite`,
            `/blob/${id}.in`,
            cases,
          ] as const);
        } finally {
          blobs.delete(`/blob/${id}.tflite`);
          blobs.delete(`/blob/${id}.in`);
        }
      },
      async close() {
        await browser?.close();
        server.close();
      },
    };
  } catch (e) {
    await browser?.close();
    server.close();
    throw e;
  }
}
