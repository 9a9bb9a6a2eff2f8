import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { it } from "vitest";
import { defaultConfig, type NeuralModelKind } from "./config";
import { benchTask } from "../../bench/train/data";
import { trainModel } from "./trainer";
it("prof", async () => {
  if (process.env.PATCH) { const { patchWasmMatMul } = await import("./wasm-matmul"); console.log("patched", patchWasmMatMul()); }
  await tf.setBackend("wasm"); await tf.ready();
  const task = benchTask(Number(process.env.N ?? 2000));
  const kind = (process.env.KIND ?? "transformer") as NeuralModelKind;
  const over = JSON.parse(process.env.CFG ?? "{}");
  const cfg = { ...defaultConfig(kind), epochs: 1, ...over };
  const r = await trainModel({ kind, config: cfg, source: task.source, train: task.train, val: { ends: new Int32Array(0), labels: new Uint8Array(0) } });
  console.log("SPS", kind, JSON.stringify(over), r.samplesPerSec.toFixed(0), r.history[0].loss.toFixed(3));
  if (process.env.PROFILE) {
    const model = r.model; const opt = tf.train.adam(1e-3);
    const { gatherWindows, toDeviceSource } = await import("./batches");
    const src = toDeviceSource(task.source);
    const ends = task.train.ends.slice(0, cfg.batchSize);
    const prof = await tf.profile(() => { opt.minimize(() => { const x = gatherWindows(src, ends); const p = model.apply(x, { training: true }) as tf.Tensor; return tf.mean(p.log().neg()) as tf.Scalar; }); });
    const agg = new Map<string, [number, number]>();
    for (const k of prof.kernels) { const a = agg.get(k.name) ?? [0, 0]; a[0]++; a[1] += Number(k.kernelTimeMs); agg.set(k.name, a); }
    for (const k of prof.kernels) if (k.name === "BatchMatMul" || k.name === "Transpose") console.log("K", k.name, Number(k.kernelTimeMs).toFixed(2), JSON.stringify(k.inputShapes), JSON.stringify(k.outputShapes));
    console.log("kernels", prof.kernels.length, [...agg].sort((a, b) => b[1][1] - a[1][1]).slice(0, 25).map(([n, [c, t]]) => `${n}:${c}:${t.toFixed(1)}`).join(" "));
  }
});
