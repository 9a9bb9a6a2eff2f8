import type { BinnedInputs } from "./binned";
import type { ForestParams } from "./params";
import { resolveForestParams } from "./params";
import { treeSeed } from "./rng";
import type { TreeResult } from "./tree";
import { buildTree } from "./tree";
import type { ForestModel, ForestTree, ForestViewSpec } from "./types";

/**
 * Class weights: "balanced" is scikit-learn's n / (k * count_c) over the training labels
 * (0 for a class absent from training); "none" is all ones.
 * @returns [numClasses]
 */
export function classWeightsFor(
  labels: Uint8Array,
  numClasses: number,
  mode: ForestParams["classWeight"],
): Float64Array {
  const w = new Float64Array(numClasses).fill(1);
  if (mode !== "balanced") return w;
  const counts = new Float64Array(numClasses);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  for (let c = 0; c < numClasses; c++) w[c] = counts[c] > 0 ? labels.length / (numClasses * counts[c]) : 0;
  return w;
}

/** What every tree of a forest is built from: the same object is sent once to each worker. */
export interface ForestTrainingSet {
  data: BinnedInputs;
  /** [numSamples] class per sample. */
  labels: Uint8Array;
  numClasses: number;
  featureNames: string[];
  view?: ForestViewSpec;
}

/** A tree grower: buildTree, or the reference grower the bench and tests hold it to (same trees). */
export type TreeBuilder = typeof buildTree;

/** Grows tree `index` of the forest: depends only on (set, params, index), not on who builds it. */
export function growTree(
  set: ForestTrainingSet,
  params: ForestParams,
  index: number,
  build: TreeBuilder = buildTree,
): TreeResult {
  const cw = classWeightsFor(set.labels, set.numClasses, params.classWeight);
  return build(set.data, set.labels, set.numClasses, cw, params, treeSeed(params.seed, index));
}

/** Merges grown trees (in tree-index order) into a model, their arrays packed (packTrees). */
export function assembleForest(
  set: Pick<ForestTrainingSet, "numClasses" | "featureNames" | "view">,
  results: TreeResult[],
): ForestModel {
  return forestModel(
    set,
    packTrees(results.map((r) => r.tree)),
    results.map((r) => r.importance),
  );
}

/**
 * A model from its trees and each tree's importance decreases, both in tree-index order.
 * Importances as scikit-learn: each tree's decreases normalised to sum 1, averaged over trees,
 * normalised again.
 */
export function forestModel(
  set: Pick<ForestTrainingSet, "numClasses" | "featureNames" | "view">,
  trees: ForestTree[],
  decreases: readonly ArrayLike<number>[],
): ForestModel {
  const p = set.featureNames.length;
  const imp = new Float64Array(p);
  for (const d of decreases) {
    let s = 0;
    for (let j = 0; j < p; j++) s += d[j];
    if (s > 0) for (let j = 0; j < p; j++) imp[j] += d[j] / s;
  }
  let total = 0;
  for (let j = 0; j < p; j++) total += imp[j];
  const importances = new Float32Array(p);
  if (total > 0) for (let j = 0; j < p; j++) importances[j] = imp[j] / total;
  const model: ForestModel = {
    kind: "forest",
    numClasses: set.numClasses,
    numFeatures: p,
    featureNames: set.featureNames.slice(),
    trees,
    importances,
  };
  if (set.view) model.view = { ...set.view };
  return model;
}

/** Where packTrees puts each field: a plain ArrayBuffer, or a SharedArrayBuffer (see pool.ts). */
export type BufferAllocator = (bytes: number) => ArrayBufferLike;

/**
 * The trees' arrays copied into one buffer per field, each tree a view of its part: a forest
 * of 200 deep trees is otherwise 1,000 small buffers, each cloned on its own wherever the forest
 * goes (an evaluation worker, IndexedDB). Views of a shared buffer survive structured cloning as
 * views of one cloned buffer, so a stored forest stays packed. Measured on the page with the
 * 16.6 MB default forest (bench:evaluate, BENCH_PROFILE): posting it to a worker 90 -> 52 ms;
 * an IndexedDB put barely changed (118-138 -> 106-136 ms), its cost follows the bytes.
 */
export function packTrees(
  trees: readonly ForestTree[],
  allocate: BufferAllocator = (bytes) => new ArrayBuffer(bytes),
): ForestTree[] {
  let nodes = 0;
  let values = 0;
  for (const t of trees) {
    nodes += t.feature.length;
    values += t.value.length;
  }
  const feature = new Int32Array(allocate(4 * nodes));
  const left = new Int32Array(allocate(4 * nodes));
  const right = new Int32Array(allocate(4 * nodes));
  const threshold = new Float32Array(allocate(4 * nodes));
  const value = new Float32Array(allocate(4 * values));
  const out: ForestTree[] = [];
  let at = 0;
  let vAt = 0;
  for (const t of trees) {
    const n = t.feature.length;
    const m = t.value.length;
    feature.set(t.feature, at);
    left.set(t.left, at);
    right.set(t.right, at);
    threshold.set(t.threshold, at);
    value.set(t.value, vAt);
    out.push({
      feature: feature.subarray(at, at + n),
      left: left.subarray(at, at + n),
      right: right.subarray(at, at + n),
      threshold: threshold.subarray(at, at + n),
      value: value.subarray(vAt, vAt + m),
    });
    at += n;
    vAt += m;
  }
  return out;
}

/**
 * Trains a whole forest on this thread (tests, benches, Node); the pool spreads the same
 * growTree calls over workers and gets the identical forest.
 * @param onTree called after each tree with (trees done, total)
 */
export function trainForest(
  set: ForestTrainingSet,
  params: Partial<ForestParams> = {},
  onTree?: (done: number, total: number) => void,
): ForestModel {
  const p = resolveForestParams(params);
  const results: TreeResult[] = [];
  for (let t = 0; t < p.trees; t++) {
    results.push(growTree(set, p, t));
    onTree?.(t + 1, p.trees);
  }
  return assembleForest(set, results);
}
