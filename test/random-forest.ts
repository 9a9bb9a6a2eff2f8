import type { ForestModel, ForestTree } from "@/lib/models/forest/types";

/**
 * A random but well-formed forest for tests (no trainer needed): full binary trees of `depth`,
 * random features and thresholds in [-1, 1], random leaf distributions (rows sum to 1), some
 * zero entries.
 */
export function randomForest(
  rnd: () => number,
  o: { trees: number; depth: number; features: number; classes: number },
): ForestModel {
  const trees: ForestTree[] = [];
  for (let t = 0; t < o.trees; t++) {
    const feature: number[] = [];
    const threshold: number[] = [];
    const left: number[] = [];
    const right: number[] = [];
    const value: number[] = [];
    // Random depth per branch (stop early with probability 0.2) so trees are unbalanced.
    const build = (d: number): number => {
      const id = feature.length;
      feature.push(0);
      threshold.push(0);
      left.push(-1);
      right.push(-1);
      for (let c = 0; c < o.classes; c++) value.push(0);
      if (d === o.depth || (d > 0 && rnd() < 0.2)) {
        feature[id] = -1;
        const w: number[] = Array.from({ length: o.classes }, () => (rnd() < 0.25 ? 0 : rnd()));
        if (!w.some((x) => x > 0)) w[0] = 1;
        const s = w.reduce((a, b) => a + b, 0);
        w.forEach((x, c) => (value[id * o.classes + c] = x / s));
        return id;
      }
      feature[id] = Math.floor(rnd() * o.features);
      threshold[id] = Math.fround(rnd() * 2 - 1);
      left[id] = build(d + 1);
      right[id] = build(d + 1);
      return id;
    };
    build(0);
    trees.push({
      feature: Int32Array.from(feature),
      threshold: Float32Array.from(threshold),
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      value: Float32Array.from(value),
    });
  }
  const importances = new Float32Array(o.features).fill(1 / o.features);
  return {
    kind: "forest",
    numClasses: o.classes,
    numFeatures: o.features,
    featureNames: Array.from({ length: o.features }, (_, i) => `feat_${i}`),
    trees,
    importances,
  };
}
