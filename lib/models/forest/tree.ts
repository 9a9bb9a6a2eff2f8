import type { BinnedInputs } from "./binned";
import { splitThreshold } from "./binned";
import type { ForestParams } from "./params";
import { featuresPerSplit } from "./params";
import type { Rng } from "./rng";
import { mulberry32, randInt } from "./rng";
import { SplitSearch } from "./split";
import type { ForestTree } from "./types";

/** One grown tree and the weighted Gini decrease it credits to each input (not normalised). */
export interface TreeResult {
  tree: ForestTree;
  /** [numInputs] sum over the tree's splits of W_node*gini - W_left*gini_left - W_right*gini_right. */
  importance: Float64Array;
}

/**
 * Step k of a partial Fisher-Yates shuffle of the inputs: the k-th input drawn without
 * replacement for this node (perm carries over from node to node, as it always has).
 */
function drawInput(perm: Int32Array, k: number, rng: Rng): number {
  const r = k + randInt(rng, perm.length - k);
  const j = perm[r];
  perm[r] = perm[k];
  perm[k] = j;
  return j;
}

/**
 * Grows one CART classification tree on binned inputs: bootstrap (seeded), inputs drawn per
 * split, Gini with class weights, histogram per node over the drawn inputs (split.ts).
 * @param data binned training inputs
 * @param labels [numSamples] class of each sample, 0..numClasses-1
 * @param classWeights [numClasses] weight of each class (1 = unweighted)
 * @param seed this tree's seed (see treeSeed)
 */
export function buildTree(
  data: BinnedInputs,
  labels: Uint8Array,
  numClasses: number,
  classWeights: ArrayLike<number>,
  params: Pick<ForestParams, "maxDepth" | "minSamplesSplit" | "minSamplesLeaf" | "maxFeatures" | "bootstrap">,
  seed: number,
): TreeResult {
  const rng = mulberry32(seed);
  const N = data.numSamples;
  const P = data.numInputs;
  const C = numClasses;
  const { codes, colBase } = data;
  if (labels.length !== N) throw new Error(`buildTree: ${labels.length} labels for ${N} samples`);

  // Bootstrap as multiplicities: each distinct in-bag sample once, weighted by its count.
  const count = new Int32Array(N);
  if (params.bootstrap) for (let k = 0; k < N; k++) count[randInt(rng, N)]++;
  else count.fill(1);
  let m = 0;
  for (let i = 0; i < N; i++) if (count[i] > 0) m++;
  const row = new Int32Array(m);
  const y = new Uint8Array(m);
  const w = new Float64Array(m);
  for (let i = 0, k = 0; i < N; i++) {
    if (count[i] === 0) continue;
    row[k] = data.rowOff[i];
    y[k] = labels[i];
    w[k] = count[i] * classWeights[labels[i]];
    k++;
  }

  const mtry = featuresPerSplit(params.maxFeatures, P);
  const minLeaf = Math.max(1, params.minSamplesLeaf);
  const minSplit = Math.max(2, params.minSamplesSplit, 2 * minLeaf);
  const perm = new Int32Array(P);
  for (let j = 0; j < P; j++) perm[j] = j;
  const drawnInputs = new Int32Array(mtry);
  const search = new SplitSearch(codes, row, y, w, C, minLeaf);
  const tot = search.tot;
  const best = search.best;
  const importance = new Float64Array(P);

  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];

  // Depth-first, left child first: nodes come out in preorder (left child = parent + 1).
  const stack: number[] = [0, m, 0, -1, 0]; // start, end, depth, parent, isRight
  while (stack.length > 0) {
    const isRight = stack.pop()!;
    const parent = stack.pop()!;
    const depth = stack.pop()!;
    const end = stack.pop()!;
    const start = stack.pop()!;
    const id = feature.length;
    if (parent >= 0) {
      if (isRight) right[parent] = id;
      else left[parent] = id;
    }
    tot.fill(0);
    for (let q = start; q < end; q++) tot[y[q]] += w[q];
    let W = 0;
    let sumSq = 0;
    let classesPresent = 0;
    for (let c = 0; c < C; c++) {
      W += tot[c];
      sumSq += tot[c] * tot[c];
      if (tot[c] > 0) classesPresent++;
    }
    for (let c = 0; c < C; c++) value.push(W > 0 ? tot[c] / W : 1 / C);
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    const n = end - start;
    if (depth >= params.maxDepth || n < minSplit || classesPresent <= 1 || W <= 0) continue;

    const nodeScore = sumSq / W;
    search.beginNode(start, end, W, nodeScore);
    // sqrt(P) inputs per split, drawn first (the same draws as one at a time: the first mtry are
    // made whatever they give) so that they are searched four per pass over the samples.
    for (let k = 0; k < mtry; k++) drawnInputs[k] = drawInput(perm, k, rng);
    search.searchInputs(drawnInputs, mtry, colBase);
    // Keep drawing (like scikit-learn) until one gives a valid split.
    for (let k = mtry; k < P && best.input < 0; k++) {
      const j = drawInput(perm, k, rng);
      search.searchOne(j, colBase[j]);
    }
    if (best.input < 0) continue;

    const bestInput = best.input;
    const bestBin = best.bin;
    importance[bestInput] += best.score - nodeScore;
    feature[id] = bestInput;
    threshold[id] = splitThreshold(data, bestInput, bestBin);
    // Partition [start, end) so samples with code <= bestBin come first.
    const base = colBase[bestInput];
    let a = start;
    let z = end - 1;
    while (a <= z) {
      if (codes[base + row[a]] <= bestBin) a++;
      else {
        const tr = row[a];
        row[a] = row[z];
        row[z] = tr;
        const ty = y[a];
        y[a] = y[z];
        y[z] = ty;
        const tw = w[a];
        w[a] = w[z];
        w[z] = tw;
        z--;
      }
    }
    stack.push(a, end, depth + 1, id, 1);
    stack.push(start, a, depth + 1, id, 0);
  }

  return {
    tree: {
      feature: Int32Array.from(feature),
      threshold: Float32Array.from(threshold),
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      value: Float32Array.from(value),
    },
    importance,
  };
}
