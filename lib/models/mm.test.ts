import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { it } from "vitest";
function time(name: string, f: () => tf.Tensor) {
  for (let i = 0; i < 2; i++) f().dispose();
  const t0 = performance.now(); const n = 10;
  for (let i = 0; i < n; i++) { const r = f(); r.dataSync(); r.dispose(); }
  console.log("T", name, ((performance.now() - t0) / n).toFixed(2), "ms");
}
it("mm", async () => {
  await tf.setBackend("wasm"); await tf.ready();
  const T = 16000, F = 42, W = 120, B = 128;
  const m = new Float32Array(T * F).map(() => Math.random());
  const M = tf.tensor2d(m, [T, F]);
  const ends = Int32Array.from({ length: B }, () => W + Math.floor(Math.random() * (T - W - 1)));
  const idx = new Int32Array(B * W); for (let i = 0; i < B; i++) for (let k = 0; k < W; k++) idx[i * W + k] = ends[i] - W + 1 + k;
  time("gather rows", () => tf.gather(M, tf.tensor1d(idx, "int32")));
  time("js assemble", () => { const out = new Float32Array(B * W * F); for (let i = 0; i < B; i++) out.set(m.subarray((ends[i] - W + 1) * F, (ends[i] + 1) * F), i * W * F); return tf.tensor3d(out, [B, W, F]); });
  const flat = M.reshape([T * F]);
  time("slice+concat", () => tf.stack(Array.from(ends, (e) => tf.slice(flat, [(e - W + 1) * F], [W * F]))));
  const x = tf.randomNormal([128, 15, 64]);
  time("transpose4d", () => x.reshape([128, 15, 4, 16]).transpose([0, 2, 1, 3]));
  time("matmul 1920x64x64", () => tf.matMul(x.reshape([1920, 64]), tf.ones([64, 64])));
});
