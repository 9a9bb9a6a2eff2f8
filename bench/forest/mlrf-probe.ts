// Dev probe: time per tree of ml-random-forest on the flattened synthetic view at small n.
import { RandomForestClassifier } from "ml-random-forest";
import { syntheticWindows, chronologicalSplit } from "@/lib/models/forest/fixture";
const n = Number(process.argv[2] ?? 500);
const inputs = process.argv[3] ?? "flat";
const sw = syntheticWindows(16000);
const { train } = chronologicalSplit(sw);
const F = 42, W = 120;
const X: number[][] = [];
const y: number[] = [];
const step = Math.floor(train.ends.length / n);
for (let k = 0; k < n; k++) {
  const e = train.ends[k * step];
  const rowStart = (e - W + 1) * F;
  X.push(inputs === "flat" ? Array.from(sw.source.matrix.subarray(rowStart, rowStart + W * F)) : Array.from(sw.source.matrix.subarray(e * F, e * F + F)));
  y.push(train.labels[k * step]);
}
const rf = new RandomForestClassifier({ nEstimators: 1, maxFeatures: Math.floor(Math.sqrt(X[0].length)) , seed: 3, useSampleBagging: true, noOOB: true, treeOptions: { maxDepth: 20 } } as never);
const t0 = performance.now();
rf.train(X, y);
console.log(JSON.stringify({ n, p: X[0].length, s_per_tree: (performance.now() - t0) / 1000 }));
