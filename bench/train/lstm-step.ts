/**
 * One default LSTM training step on tfjs-wasm in Node, fused recurrence (lstm-fused.ts) against
 * the op-by-op path, in the same process and interleaved so that load on the machine hits both:
 * ms per step (median and min over the repetitions) and kernels per step (tf.profile).
 *
 *   npx tsx bench/train/lstm-step.ts [repetitions=10]
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { buildModel } from "@/lib/models/build";
import { defaultConfig } from "@/lib/models/config";
import { setFusedOps } from "@/lib/models/fused";
import { patchWasmKernels } from "@/lib/models/wasm-kernels";
import { timeBothPaths } from "./step-timing";

const BATCH = 128;
const WINDOW = 120;
const FEATURES = 42;

async function main(): Promise<void> {
  const reps = Number(process.argv[2] ?? 10);
  patchWasmKernels();
  await tf.setBackend("wasm");
  await tf.ready();
  const model = buildModel("lstm", defaultConfig("lstm"), WINDOW, FEATURES);
  const x = tf.randomNormal([BATCH, WINDOW, FEATURES], 0, 1, "float32", 1);
  const labels = tf.tensor1d(
    Array.from({ length: BATCH }, (_, i) => i % 4),
    "int32",
  );
  const y = tf.oneHot(labels, 4);
  const optimizer = tf.train.adam(1e-3);
  const step = () => {
    const cost = optimizer.minimize(() => {
      const p = model.apply(x, { training: true }) as tf.Tensor;
      return tf.losses.softmaxCrossEntropy(y, tf.log(p)) as tf.Scalar;
    }, true);
    cost?.dataSync();
    cost?.dispose();
  };
  const paths = { fused: true, op: false };
  for (const [name, fused] of Object.entries(paths)) {
    setFusedOps(fused);
    step(); // warm-up: kernels, XNNPACK operators, Adam slots
    const profile = await tf.profile(step);
    console.log(`${name}: ${profile.kernels.length} kernels per step`);
  }
  timeBothPaths(reps, step);
}

void main();
