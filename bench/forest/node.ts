/**
 * Node step of the forest bench: times ml-random-forest (its dependency random-js does not bundle
 * for the browser: it requires Node's "crypto"), on the same synthetic windows as the page, same
 * V8 engine. Results go to the page as the `ml_results` query parameter.
 */
import { loadavg } from "node:os";
import { RandomForestClassifier } from "ml-random-forest";
import type { SampleSet } from "@/lib/core/dataset";
import { accuracy, benchData, benchParams, F, subsample, WINDOW } from "./shared";
import type { MlMeasure } from "./shared";

function mlForest(
  src: ReturnType<typeof benchData>["src"],
  train: SampleSet,
  test: SampleSet,
  trees: number,
  depth: number,
): MlMeasure {
  const rowOf = (e: number) => Array.from(src.source.matrix.subarray((e - WINDOW + 1) * F, (e + 1) * F));
  const X = Array.from(train.ends, rowOf);
  const y = Array.from(train.labels);
  const heap0 = process.memoryUsage().heapUsed;
  let peak = heap0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 100);
  const rf = new RandomForestClassifier({
    nEstimators: trees,
    maxFeatures: Math.floor(Math.sqrt(WINDOW * F)),
    seed: 42,
    useSampleBagging: true,
    noOOB: true,
    treeOptions: { maxDepth: depth },
  } as never);
  const t0 = performance.now();
  rf.train(X, y);
  const s = (performance.now() - t0) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  const pred = rf.predict(Array.from(test.ends, rowOf)) as number[];
  return {
    n: train.ends.length,
    trees,
    s,
    perTree: s / trees,
    acc: accuracy(pred, test.labels),
    modelBytes: Buffer.byteLength(JSON.stringify(rf.toJSON())),
    heapMb: Math.round(peak / 2 ** 20),
  };
}

export async function setup(): Promise<{ params: Record<string, string>; teardown: () => Promise<void> }> {
  const p = benchParams(new URLSearchParams(process.argv.slice(3).map((kv) => kv.split("=", 2) as [string, string])));
  const params: Record<string, string> = {};
  if (p.ml && p.view === "flat") {
    const { src, train, test } = benchData(p.n);
    const results = p.mlN.map((n) => {
      const r = mlForest(src, subsample(train, n), test, p.mlTrees, p.depth);
      console.error(`ml-random-forest n=${n}: ${r.perTree.toFixed(2)} s/tree, acc ${r.acc.toFixed(3)}`);
      return r;
    });
    params.ml_results = JSON.stringify(results);
  }
  // The machine may be shared: the 1-minute load average says how busy it was before the page ran.
  params.load_avg = loadavg()[0].toFixed(2);
  return { params, teardown: async () => {} };
}
