/**
 * Forest bench (headless Chromium via bench/run.ts): our histogram forest in a worker pool vs
 * ml-random-forest, on a learnable synthetic [T, 42] source viewed as flattened 120-step windows
 * (5,040 inputs), ~11,000 training windows, chronological test part.
 *
 * Params: trees (200), depth (20), n (training windows, 11000), view (flat|compact), workers
 * (navigator.hardwareConcurrency), ml (1: also report ml-random-forest, timed by node.ts),
 * ml_trees (2), ml_n (row counts timed for ml-random-forest, "1000,2000"; extrapolated to n rows
 * by a power law and to `trees` linearly), share (0: copy the codes to each worker instead of a
 * SharedArrayBuffer), grower (fast: the app's; reference: the plain one-input-at-a-time grower of
 * tree-reference.ts; both: reference then fast in this run, with the speed-up and a check that
 * the two forests are identical).
 */
import type { SampleSet } from "@/lib/core/dataset";
import type { ForestModel } from "@/lib/models/forest/types";
import { importanceBy } from "@/lib/models/forest/importance";
import { argmaxRows, predictProbaView } from "@/lib/models/forest/predict";
import { serializeForest } from "@/lib/models/forest/serialize";
import { windowTrainingSet } from "@/lib/models/forest/views";
import { trainForestInPool } from "@/lib/jobs/forest/pool";
import { accuracy, benchData, benchParams, subsample } from "./shared";
import type { MlMeasure } from "./shared";

const q = new URLSearchParams(location.search);
const P = benchParams(q);
const WORKERS = q.has("workers") ? Number(q.get("workers")) : navigator.hardwareConcurrency || 2;
const GROWER = (q.get("grower") ?? "fast") as "fast" | "reference" | "both";
type Grower = "fast" | "reference";
const WORKER_FILE: Record<Grower, string> = { fast: "./forest.worker.js", reference: "./reference.worker.js" };

const report = (row: Record<string, unknown>) => console.log("BENCH " + JSON.stringify({ bench: "forest", ...row }));

/** Main-thread JS heap peak (Chrome's performance.memory), sampled; workers are not included. */
function heapSampler(): { stop: () => number } {
  const mem = () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
  let peak = mem();
  const id = setInterval(() => (peak = Math.max(peak, mem())), 100);
  return { stop: () => (clearInterval(id), (peak = Math.max(peak, mem())), Math.round(peak / 2 ** 20)) };
}

/**
 * FNV-1a digest of every tree array and the importances: equal digests mean the same forest, bit
 * for bit (kept instead of the reference forest itself, which would add to the next run's heap).
 */
function forestDigest(model: ForestModel): string {
  let h = 0x811c9dc5;
  const add = (a: ArrayBufferView) => {
    const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  };
  for (const t of model.trees) [t.feature, t.threshold, t.left, t.right, t.value].forEach(add);
  add(model.importances);
  return (h >>> 0).toString(16).padStart(8, "0");
}

async function studio(
  data: ReturnType<typeof benchData>,
  train: SampleSet,
  trees: number,
  extra: Record<string, unknown> = {},
  grower: Grower = GROWER === "reference" ? "reference" : "fast",
  reference?: { digest: string; trainS: number },
): Promise<{ digest: string; trainS: number }> {
  const { src, test } = data;
  const heap = heapSampler();
  const t0 = performance.now();
  const set = windowTrainingSet(src.source, src.featureNames, train, P.view, 4);
  const binS = (performance.now() - t0) / 1000;
  let lastLog = 0;
  const model = await trainForestInPool(
    set,
    { trees, maxDepth: P.depth, seed: 42 },
    {
      workers: WORKERS,
      share: q.get("share") !== "0",
      createWorker: () => new Worker(WORKER_FILE[grower], { type: "module" }),
      onProgress: (p) => {
        if (p.elapsedMs - lastLog > 5000 || p.treesDone === p.trees) {
          lastLog = p.elapsedMs;
          console.log(
            `trees ${p.treesDone}/${p.trees} elapsed ${(p.elapsedMs / 1000).toFixed(1)} s eta ${(p.etaMs / 1000).toFixed(1)} s`,
          );
        }
      },
    },
  );
  const trainS = (performance.now() - t0) / 1000;
  const tp = performance.now();
  const acc = accuracy(argmaxRows(predictProbaView(model, src.source, test.ends), 4), test.labels);
  const predictS = (performance.now() - tp) / 1000;
  const bytes = serializeForest(model).length;
  const nodes = model.trees.reduce((a, t) => a + t.feature.length, 0);
  const digest = forestDigest(model);
  const top = importanceBy(model, "input")
    .slice(0, 5)
    .map((r) => `${r.key}:${r.importance.toFixed(4)}`);
  report({
    impl: "studio",
    grower,
    trees,
    depth: P.depth,
    inputs: model.numFeatures,
    view: P.view,
    train_n: train.ends.length,
    test_n: test.ends.length,
    workers: WORKERS,
    train_s: +trainS.toFixed(2),
    bin_s: +binS.toFixed(2),
    extrapolated: false,
    test_accuracy: +acc.toFixed(4),
    predict_s: +predictS.toFixed(2),
    model_bytes: bytes,
    nodes_per_tree: Math.round(nodes / trees),
    peak_mb: heap.stop(),
    peak_mb_scope: "main-thread JS heap (workers excluded)",
    shared_array_buffer: crossOriginIsolated && q.get("share") !== "0",
    top_importances: top,
    forest_digest: digest,
    load_avg_before: q.has("load_avg") ? Number(q.get("load_avg")) : null,
    ...(reference && {
      speedup_vs_reference: +(reference.trainS / trainS).toFixed(2),
      same_trees_as_reference: digest === reference.digest,
    }),
    ...extra,
  });
  return { digest, trainS };
}

async function main() {
  const data = benchData(P.n);
  console.log(`synthetic rows ${data.rows}, train ${data.train.ends.length}, test ${data.test.ends.length}`);
  if (GROWER === "both")
    await studio(data, data.train, P.trees, {}, "fast", await studio(data, data.train, P.trees, {}, "reference"));
  else await studio(data, data.train, P.trees);

  const ml = q.get("ml_results");
  if (ml) {
    const measured = JSON.parse(ml) as MlMeasure[];
    for (const m of measured) {
      report({
        impl: "ml-random-forest",
        runtime: "node (same V8)",
        trees: m.trees,
        depth: P.depth,
        inputs: 5040,
        train_n: m.n,
        test_n: data.test.ends.length,
        train_s: +m.s.toFixed(2),
        s_per_tree: +m.perTree.toFixed(2),
        extrapolated: false,
        test_accuracy: +m.acc.toFixed(4),
        model_bytes: m.modelBytes,
        model_format: "JSON (toJSON)",
        peak_mb: m.heapMb,
        peak_mb_scope: "node heapUsed",
      });
      // Same rows and tree count for our forest: the like-for-like accuracy reference.
      await studio(data, subsample(data.train, m.n), m.trees, { matched_to: "ml-random-forest" });
    }
    // Power law in n between the two largest measured sizes, linear in trees, one thread.
    const b = measured[measured.length - 1];
    const a = measured.length > 1 ? measured[measured.length - 2] : b;
    const exponent = a === b ? 1 : Math.log(b.perTree / a.perTree) / Math.log(b.n / a.n);
    const perTreeFull = b.perTree * Math.pow(data.train.ends.length / b.n, exponent);
    report({
      impl: "ml-random-forest",
      trees: P.trees,
      depth: P.depth,
      inputs: 5040,
      train_n: data.train.ends.length,
      test_n: data.test.ends.length,
      train_s: Math.round(perTreeFull * P.trees),
      s_per_tree: +perTreeFull.toFixed(1),
      extrapolated: true,
      extrapolation: `per-tree time ~ n^${exponent.toFixed(2)} fitted on n=${a.n},${b.n} (${b.trees} trees each), x ${P.trees} trees, one thread`,
      test_accuracy: +b.acc.toFixed(4),
      test_accuracy_of: `${b.trees} trees on ${b.n} rows (measured)`,
      model_bytes: null,
      peak_mb: null,
    });
  }
  console.log("BENCH_DONE");
}

main().catch((e) => {
  console.log("BENCH " + JSON.stringify({ bench: "forest", error: String(e?.stack ?? e) }));
  console.log("BENCH_DONE");
});
