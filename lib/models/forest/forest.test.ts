import { describe, expect, it } from "vitest";
import { binMatrix } from "./binned";
import { assembleForest, classWeightsFor, growTree, trainForest } from "./forest";
import { resolveForestParams } from "./params";
import type { ForestTrainingSet } from "./forest";
import { argmaxRows, predictProba } from "./predict";
import { ruleData } from "@/test/rule-data";
import { buildTree } from "./tree";

const P = 10;
function plainSet(n: number, seed: number): { set: ForestTrainingSet; x: Float32Array; y: Uint8Array } {
  const { x, y } = ruleData(n, P, seed);
  const names = Array.from({ length: P }, (_, j) => `x${j}`);
  return { set: { data: binMatrix(x, n, P), labels: y, numClasses: 4, featureNames: names }, x, y };
}
function accuracy(pred: Uint8Array, y: Uint8Array): number {
  let ok = 0;
  for (let i = 0; i < y.length; i++) ok += pred[i] === y[i] ? 1 : 0;
  return ok / y.length;
}

describe("random forest", () => {
  const train = plainSet(1200, 1);
  const test = ruleData(800, P, 2);
  const model = trainForest(train.set, { trees: 25, seed: 7 });

  it("learns a known rule to high accuracy on unseen rows", () => {
    const acc = accuracy(argmaxRows(predictProba(model, test.x), 4), test.y);
    expect(acc).toBeGreaterThan(0.95);
    // Probabilities are distributions.
    const proba = predictProba(model, test.x.subarray(0, 3 * P));
    for (let i = 0; i < 3; i++)
      expect(proba[i * 4] + proba[i * 4 + 1] + proba[i * 4 + 2] + proba[i * 4 + 3]).toBeCloseTo(1, 5);
  });

  it("ranks the informative inputs first and noise last", () => {
    const imp = Array.from(model.importances);
    expect(imp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const noiseMax = Math.max(...imp.slice(2));
    expect(Math.min(imp[0], imp[1])).toBeGreaterThan(5 * noiseMax);
  });

  it("gives an identical forest for the same seed and another for a different seed", () => {
    const again = trainForest(train.set, { trees: 25, seed: 7 });
    expect(again.trees.length).toBe(model.trees.length);
    again.trees.forEach((t, k) => {
      expect(t.feature).toEqual(model.trees[k].feature);
      expect(t.threshold).toEqual(model.trees[k].threshold);
      expect(t.value).toEqual(model.trees[k].value);
    });
    expect(again.importances).toEqual(model.importances);
    const other = trainForest(train.set, { trees: 25, seed: 8 });
    expect(other.trees[0].feature).not.toEqual(model.trees[0].feature);
  });

  it("packs its trees into one buffer per field, equal to the trees as grown, and stays packed when cloned", () => {
    const grown = Array.from({ length: 4 }, (_, t) => growTree(train.set, resolveForestParams({ seed: 7 }), t));
    const packed = assembleForest(train.set, grown);
    const fields = ["feature", "threshold", "left", "right", "value"] as const;
    packed.trees.forEach((t, k) => {
      for (const f of fields) {
        expect(t[f]).toEqual(grown[k].tree[f]);
        expect(t[f].buffer).toBe(packed.trees[0][f].buffer);
      }
    });
    const cloned = structuredClone(packed);
    for (const f of fields) expect(cloned.trees[3][f].buffer).toBe(cloned.trees[0][f].buffer);
    expect(predictProba(cloned, test.x)).toEqual(predictProba(packed, test.x));
  });

  it("respects max depth and min samples per leaf", () => {
    const depthOf = (t: { feature: Int32Array; left: Int32Array; right: Int32Array }): number => {
      const walk = (i: number): number => (t.feature[i] < 0 ? 0 : 1 + Math.max(walk(t.left[i]), walk(t.right[i])));
      return walk(0);
    };
    const shallow = trainForest(train.set, { trees: 3, maxDepth: 3 });
    for (const t of shallow.trees) expect(depthOf(t)).toBeLessThanOrEqual(3);
    // Without bootstrap, every leaf of a min-leaf-50 tree holds at least 50 training rows.
    const cw = classWeightsFor(train.y, 4, "none");
    const { tree } = buildTree(
      train.set.data,
      train.y,
      4,
      cw,
      { maxDepth: 20, minSamplesSplit: 2, minSamplesLeaf: 50, maxFeatures: P, bootstrap: false },
      1,
    );
    const leafCounts = new Map<number, number>();
    for (let i = 0; i < train.y.length; i++) {
      let node = 0;
      while (tree.feature[node] >= 0)
        node = train.x[i * P + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
      leafCounts.set(node, (leafCounts.get(node) ?? 0) + 1);
    }
    expect(Math.min(...leafCounts.values())).toBeGreaterThanOrEqual(50);
  });

  it("fits a separable rule exactly with one full tree (thresholds on raw values match the bins)", () => {
    const cw = classWeightsFor(train.y, 4, "none");
    const { tree } = buildTree(
      train.set.data,
      train.y,
      4,
      cw,
      { maxDepth: 20, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: P, bootstrap: false },
      3,
    );
    const m = assembleForest(train.set, [{ tree, importance: new Float64Array(P) }]);
    expect(accuracy(argmaxRows(predictProba(m, train.x), 4), train.y)).toBe(1);
  });

  it("balances class weights as n / (k * count)", () => {
    const w = classWeightsFor(Uint8Array.from([0, 0, 0, 1, 2, 2]), 4, "balanced");
    expect(Array.from(w)).toEqual([0.5, 1.5, 0.75, 0]);
  });
});
