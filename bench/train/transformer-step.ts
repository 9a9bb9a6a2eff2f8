/**
 * One default Transformer shard step (forward and gradients of 32 rows, what one of the two
 * workers computes per batch) on tfjs-wasm in Node, fused ops on and off, interleaved: ms per
 * step (median and min) and the kernels of one step by total time (tf.profile).
 *
 *   npx tsx bench/train/transformer-step.ts [repetitions=10] [rows=32]
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { buildModel } from "@/lib/models/build";
import { defaultConfig } from "@/lib/models/config";
import { setFusedOps } from "@/lib/models/fused";
import { patchWasmKernels } from "@/lib/models/wasm-kernels";
import { timeBothPaths } from "./step-timing";

type Kernel = Awaited<ReturnType<typeof tf.profile>>["kernels"][number];

/** Kernel calls grouped by `keyOf`: count and total ms per group, largest total first. */
function tally(kernels: Kernel[], keyOf: (k: Kernel) => string): [string, { n: number; ms: number }][] {
  const groups = new Map<string, { n: number; ms: number }>();
  for (const k of kernels) {
    const e = groups.get(keyOf(k)) ?? { n: 0, ms: 0 };
    e.n++;
    e.ms += Number(k.kernelTimeMs) || 0;
    groups.set(keyOf(k), e);
  }
  return [...groups].sort((a, b) => b[1].ms - a[1].ms);
}

const WINDOW = 120;
const FEATURES = 42;

async function main(): Promise<void> {
  const reps = Number(process.argv[2] ?? 10);
  const rows = Number(process.argv[3] ?? 32);
  patchWasmKernels();
  await tf.setBackend("wasm");
  await tf.ready();
  const model = buildModel("transformer", defaultConfig("transformer"), WINDOW, FEATURES);
  const x = tf.randomNormal([rows, WINDOW, FEATURES], 0, 1, "float32", 1);
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: rows }, (_, i) => i % 4),
      "int32",
    ),
    4,
  );
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const step = () => {
    const { value, grads } = tf.variableGrads(() => {
      const p = model.apply(x, { training: true }) as tf.Tensor;
      return tf.losses.softmaxCrossEntropy(y, tf.log(p)) as tf.Scalar;
    }, vars);
    for (const g of Object.values(grads)) g.dataSync();
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  };
  const paths = { fused: true, op: false };
  for (const [name, fused] of Object.entries(paths)) {
    setFusedOps(fused);
    step();
    const profile = await tf.profile(step);
    const top = tally(profile.kernels, (k) => k.name);
    const total = top.reduce((sum, [, e]) => sum + e.ms, 0);
    console.log(`${name}: ${profile.kernels.length} kernels per step, ${total.toFixed(1)} ms in kernels`);
    const products = tally(
      profile.kernels.filter((k) => k.name === "BatchMatMul"),
      (k) => JSON.stringify(k.inputShapes),
    );
    for (const [k, e] of products) console.log(`  BMM ${k} x${e.n} ${e.ms.toFixed(2)} ms`);
    for (const [k, e] of top.slice(0, 25))
      console.log(`  ${k.padEnd(28)} ${String(e.n).padStart(5)} ${e.ms.toFixed(2)} ms`);
  }
  timeBothPaths(reps, step);
}

void main();
