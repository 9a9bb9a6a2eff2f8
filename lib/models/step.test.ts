import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { it } from "vitest";
import { defaultConfig, type NeuralModelKind } from "./config";
import { benchTask } from "../../bench/train/data";
import { buildModel } from "./build";
import { gatherWindows, toDeviceSource } from "./batches";
import { patchWasmMatMul } from "./wasm-matmul";
function time(name: string, n: number, f: () => void) {
  f(); const t0 = performance.now(); const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) f();
  const c = process.cpuUsage(c0);
  console.log("T", name, "wall", ((performance.now() - t0) / n).toFixed(1), "cpu", ((c.user + c.system) / 1000 / n).toFixed(1), "ms");
}
it("step", async () => {
  patchWasmMatMul();
  await tf.setBackend("wasm"); await tf.ready();
  const kind = (process.env.KIND ?? "transformer") as NeuralModelKind;
  const cfg = { ...defaultConfig(kind), ...JSON.parse(process.env.CFG ?? "{}") };
  const task = benchTask(1000);
  const src = toDeviceSource(task.source);
  const model = buildModel(kind, cfg, 120, 42);
  const ends = task.train.ends.slice(0, cfg.batchSize);
  const x = gatherWindows(src, ends);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  console.log("vars", vars.length, "params", model.countParams());
  time("gather", 5, () => { const g = gatherWindows(src, ends); g.dataSync(); g.dispose(); });
  time("forward", 5, () => { const p = model.apply(x, { training: true }) as tf.Tensor; p.dataSync(); p.dispose(); });
  time("fwd+bwd", 5, () => { const { value, grads } = tf.variableGrads(() => tf.mean((model.apply(x, { training: true }) as tf.Tensor).log().neg()) as tf.Scalar, vars); value.dataSync(); tf.dispose([value, grads]); });
  const opt = tf.train.adam(1e-3);
  const { value, grads } = tf.variableGrads(() => tf.mean((model.apply(x, { training: true }) as tf.Tensor).log().neg()) as tf.Scalar, vars);
  time("adam", 5, () => { opt.applyGradients(grads); vars[0].dataSync(); });
  tf.dispose([value, grads]);
});
