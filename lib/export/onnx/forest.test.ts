import { describe, expect, it } from "vitest";
import { randomForest } from "@/test/random-forest";
import { forestProba } from "../forest-proba";
import { mulberry32 } from "@/lib/core/random";
import { binMatrix } from "@/lib/models/forest/binned";
import { trainForest } from "@/lib/models/forest/forest";
import { predictProba, predictProbaView } from "@/lib/models/forest/predict";
import { syntheticWindows, splitWindowsAt } from "@/test/synthetic-windows";
import { windowTrainingSet } from "@/lib/models/forest/views";
import { forestToOnnx } from "./forest";
import { maxAbsDiff, ortSingleThreaded } from "./ort-check";

describe("forest → ONNX TreeEnsembleClassifier", () => {
  it("onnxruntime gives our probabilities and argmax labels (max |diff| < 1e-4)", async () => {
    const ort = ortSingleThreaded();
    const rnd = mulberry32(11);
    const F = 42;
    const forest = randomForest(rnd, { trees: 25, depth: 7, features: F, classes: 4 });
    // One tree that is a single leaf: the root itself.
    forest.trees.push({
      feature: Int32Array.of(-1),
      threshold: Float32Array.of(0),
      left: Int32Array.of(-1),
      right: Int32Array.of(-1),
      value: Float32Array.of(0.1, 0.2, 0.3, 0.4),
    });
    const session = await ort.InferenceSession.create(forestToOnnx(forest));
    const N = 64;
    const x = Float32Array.from({ length: N * F }, () => rnd() * 2.2 - 1.1);
    // Exact threshold hits must take the "<=" branch in both.
    x[0] = forest.trees[0].threshold[0];
    const out = await session.run({ input: new ort.Tensor("float32", x, [N, F]) });
    const probs = out.probabilities.data as Float32Array;
    const ref = forestProba(forest, x, N);
    expect(out.probabilities.dims).toEqual([N, 4]);
    expect(maxAbsDiff(probs, ref)).toBeLessThan(1e-4);
    const labels = Array.from(out.label.data as BigInt64Array, Number);
    for (let r = 0; r < N; r++) {
      const row = Array.from(ref.subarray(r * 4, r * 4 + 4));
      const best = Math.max(...row);
      expect(row[labels[r]]).toBeCloseTo(best, 5);
    }
    // Rows sum to 1: each tree contributes exactly 1/T.
    for (let r = 0; r < N; r++) expect(probs.subarray(r * 4, r * 4 + 4).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it("a forest trained by the studio's trainer matches its own predictProba in onnxruntime", async () => {
    const ort = ortSingleThreaded();
    const rnd = mulberry32(21);
    const n = 600;
    const p = 12;
    const x = Float32Array.from({ length: n * p }, () => rnd() * 2 - 1);
    const labels = Uint8Array.from({ length: n }, (_, i) => {
      const s = x[i * p] + 0.5 * x[i * p + 3] + 0.3 * (rnd() - 0.5);
      return s < -0.6 ? 0 : s < 0 ? 1 : s < 0.6 ? 2 : 3;
    });
    const featureNames = Array.from({ length: p }, (_, j) => `f${j}`);
    const forest = trainForest(
      { data: binMatrix(x, n, p), labels, numClasses: 4, featureNames },
      { trees: 12, maxDepth: 10, seed: 3 },
    );
    const session = await ort.InferenceSession.create(forestToOnnx(forest));
    const out = await session.run({ input: new ort.Tensor("float32", x, [n, p]) });
    const ours = predictProba(forest, x);
    expect(maxAbsDiff(out.probabilities.data as Float32Array, ours)).toBeLessThan(1e-4);
    // The trained forest actually separates the classes (so the comparison is not trivial).
    let correct = 0;
    for (let i = 0; i < n; i++) if (Number((out.label.data as BigInt64Array)[i]) === labels[i]) correct++;
    expect(correct / n).toBeGreaterThan(0.6);
  });

  for (const kind of ["flat", "compact"] as const) {
    it(`windowInput (${kind} view): the graph takes [N, W, F] windows and matches predictProbaView`, async () => {
      const ort = ortSingleThreaded();
      const W = 24;
      const sw = syntheticWindows(700, 21, W, 4);
      const { train, test } = splitWindowsAt(sw, 0.7);
      const set = windowTrainingSet(sw.source, sw.featureNames, train, kind, 4);
      const forest = trainForest(set, { trees: 8, maxDepth: 8, seed: 2 });
      const session = await ort.InferenceSession.create(forestToOnnx(forest, { windowInput: true }));
      const ends = test.ends;
      const F = sw.source.features;
      const x = new Float32Array(ends.length * W * F);
      ends.forEach((e, i) => x.set(sw.source.matrix.subarray((e - W + 1) * F, (e + 1) * F), i * W * F));
      const out = await session.run({ window: new ort.Tensor("float32", x, [ends.length, W, F]) });
      const ours = predictProbaView(forest, sw.source, ends);
      expect(maxAbsDiff(out.probabilities.data as Float32Array, ours)).toBeLessThan(1e-4);
    });
  }

  it("rejects an empty forest", () => {
    const f = randomForest(mulberry32(1), { trees: 1, depth: 2, features: 3, classes: 4 });
    expect(() => forestToOnnx({ ...f, trees: [] })).toThrow(/no trees/);
  });
});
