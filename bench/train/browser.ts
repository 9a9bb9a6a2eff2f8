/**
 * Training benchmark (headless Chromium, WASM by default): trains each model for `epochs` on a
 * seed-scale learnable synthetic task (~11,000 training windows of 120 x 42) through the app's
 * real training worker ("studio"), beside the naive baseline ("naive": same architecture
 * unpatched, model.fit on a materialised tensor at batch 32, measured on `naive_batches` batches
 * and extrapolated, or a whole epoch with naive_batches=0).
 *
 * Beside them, "reference": the same worker with the fused ops, host Adam and gradient peers
 * switched off (today's code before them), measured in the same run, and a "ratio" line per model.
 *
 * Params: model=both|transformer|lstm  epochs=1  n=15720 (samples; 70% train)  backend=wasm
 *         threads=(wasm threads)  peers=1 (gradient peer workers)  reference=1 (or variants=studio|
 *         reference|studio,reference)  naive=1
 *         naive_batches=30  and any config key (batchSize=, patch=, dModel=, units=, layers=,
 *         learningRate=, ...) applied to both models.
 */
import * as Comlink from "comlink";
import { defaultConfig, validateConfig, type NeuralModelKind } from "@/lib/models/config";
import type { BackendPreference } from "@/lib/models/types";
import { TrainClient } from "@/lib/jobs/train/client";
import { footprintBytes } from "@/lib/models/footprint";
import { watchLongTasks } from "../common/long-tasks";
import { pageHeapMb } from "../common/stages";
import { benchTask } from "./data";
import type { NaiveApi } from "./naive.worker";

const q = new URLSearchParams(location.search);
const num = (k: string, d: number) => (q.has(k) ? Number(q.get(k)) : d);
const report = (row: object) => console.log("BENCH " + JSON.stringify(row));

function configFor(kind: NeuralModelKind, epochs: number) {
  const overrides: Record<string, unknown> = { ...defaultConfig(kind), epochs, patience: 1000 };
  for (const key of Object.keys(overrides)) if (q.has(key)) overrides[key] = q.get(key);
  const prefixed = `${kind}.`; // e.g. lstm.patch=2 applies to one model only
  for (const [k, v] of q) if (k.startsWith(prefixed)) overrides[k.slice(prefixed.length)] = v;
  return validateConfig(kind, overrides).config;
}

function accuracy(probs: Float32Array, labels: Uint8Array): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < 4; c++) if (probs[4 * i + c] > probs[4 * i + best]) best = c;
    if (best === labels[i]) correct++;
  }
  return correct / labels.length;
}

async function main(): Promise<void> {
  const models: NeuralModelKind[] =
    q.get("model") === "transformer" ? ["transformer"] : q.get("model") === "lstm" ? ["lstm"] : ["transformer", "lstm"];
  const epochs = num("epochs", 1);
  const samples = num("n", 15720);
  const backend = (q.get("backend") ?? "wasm") as BackendPreference;
  const threads = q.has("threads") ? num("threads", 1) : undefined;
  const task = benchTask(samples);
  const variants = (q.get("variants") ?? (num("reference", 1) !== 0 ? "studio,reference" : "studio"))
    .split(",")
    .filter((v): v is "studio" | "reference" => v === "studio" || v === "reference");
  for (const kind of models) {
    const config = configFor(kind, epochs);
    const rates: Record<string, number> = {};
    for (const variant of variants) {
      const studio = variant === "studio";
      // Observe from a fresh task: the one running now built the bench's synthetic task, which is
      // the bench's own setup, not the studio's page work.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const longTasks = watchLongTasks();
      const client = new TrainClient({
        backend,
        wasmBase: "./tfjs-wasm/",
        wasmThreads: threads,
        createWorker: () =>
          new Worker(new URL(studio ? "./studio.worker.js" : "./reference.worker.js", import.meta.url), {
            type: "module",
          }),
        createPeerWorker: () => new Worker(new URL("./peer.worker.js", import.meta.url), { type: "module" }),
        peers: studio ? num("peers", 1) : 0,
      });
      const used = await client.init();
      let lastLog = 0;
      const res = await client.train(
        { kind, config, source: task.source, train: task.train, val: task.val, predict: { test: task.test.ends } },
        {
          onProgress: (p) => {
            if (performance.now() - lastLog > 5000) {
              lastLog = performance.now();
              console.log(
                `${kind} ${variant} epoch ${p.epoch} batch ${p.batch}/${p.batches} loss ${p.loss.toFixed(4)} acc ${p.acc.toFixed(3)} ${p.samplesPerSec.toFixed(0)} samples/s`,
              );
            }
          },
        },
      );
      const mem = await client.memory();
      client.terminate();
      longTasks.stop();
      const last = res.history[res.history.length - 1];
      const best = res.history[res.bestEpoch - 1] ?? last;
      rates[variant] = res.samplesPerSec;
      report({
        bench: "train",
        model: kind,
        variant,
        backend: used,
        threads: threads ?? null,
        workers: res.workers ?? 1,
        samples_per_s: Math.round(res.samplesPerSec),
        epoch_s: +(res.history.reduce((s, h) => s + h.trainSeconds, 0) / res.history.length).toFixed(2),
        val_s: +last.valSeconds.toFixed(2),
        epochs: res.history.length,
        val_accuracy: +best.valAcc.toFixed(4),
        val_loss: +best.valLoss.toFixed(4),
        test_accuracy: +accuracy(res.predictions.test, task.test.labels).toFixed(4),
        peak_mb: +(footprintBytes(mem) / 2 ** 20).toFixed(1),
        peer_peak_mb: mem.peers.map((p) => +(footprintBytes(p) / 2 ** 20).toFixed(1)),
        page_js_heap_mb: pageHeapMb(),
        ...longTasks.summary(),
        train_n: task.train.ends.length,
        config: res.config,
        extrapolated: false,
      });
    }
    if (rates.reference)
      report({
        bench: "train",
        case: "ratio",
        model: kind,
        studio_over_reference: +(rates.studio / rates.reference).toFixed(2),
      });
    if (num("naive", 1) !== 0) {
      const worker = new Worker(new URL("./naive.worker.js", import.meta.url), { type: "module" });
      const naive = Comlink.wrap<NaiveApi>(worker);
      const nb = await naive.init(backend, "./tfjs-wasm/", threads);
      const r = await naive.run(kind, config, samples, num("naive_batches", 30));
      worker.terminate();
      report({
        bench: "train",
        model: kind,
        variant: "naive",
        backend: nb,
        threads: threads ?? null,
        samples_per_s: Math.round(r.samples_per_s),
        epoch_s: +r.epoch_s.toFixed(1),
        epochs: r.extrapolated ? r.measured_samples / task.train.ends.length : 1,
        val_accuracy: +r.val_accuracy.toFixed(4),
        peak_mb: +r.peak_mb.toFixed(1),
        train_n: task.train.ends.length,
        measured_samples: r.measured_samples,
        batch: 32,
        patch: 1,
        extrapolated: r.extrapolated,
      });
    }
  }
}

main()
  .catch((err) => console.log(`bench failed: ${(err as Error).stack ?? err}`))
  .finally(() => console.log("BENCH_DONE"));
