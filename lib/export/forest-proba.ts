import type { ForestModel } from "@/lib/models/forest/types";

/**
 * Reference evaluation of a compact forest, straight from the contract in
 * lib/models/forest/types.ts (x[feature] <= threshold → left; probability = mean of the trees'
 * leaf rows). Used to check exports (ONNX, bundle golden vectors) independently of the trainer.
 *
 * @param x row-major inputs [rows * numFeatures]
 * @returns row-major probabilities [rows * numClasses]
 */
export function forestProba(model: ForestModel, x: Float32Array, rows: number): Float32Array {
  const { numClasses: C, numFeatures: F, trees } = model;
  if (x.length !== rows * F) throw new Error(`forestProba: expected ${rows * F} inputs, got ${x.length}`);
  const out = new Float64Array(rows * C);
  for (const t of trees) {
    for (let r = 0; r < rows; r++) {
      let node = 0;
      // Bounded walk: a corrupt tree with a cycle cannot hang the page.
      for (let steps = 0; t.feature[node] !== -1; steps++) {
        if (steps > t.feature.length) throw new Error("forestProba: cycle in tree");
        node = x[r * F + t.feature[node]] <= t.threshold[node] ? t.left[node] : t.right[node];
      }
      for (let c = 0; c < C; c++) out[r * C + c] += t.value[node * C + c];
    }
  }
  const res = new Float32Array(rows * C);
  for (let i = 0; i < res.length; i++) res[i] = out[i] / trees.length;
  return res;
}
