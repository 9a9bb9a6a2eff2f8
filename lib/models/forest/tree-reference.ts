import type { BinnedInputs } from "./binned";
import { splitThreshold } from "./binned";
import type { ForestParams } from "./params";
import { featuresPerSplit } from "./params";
import { mulberry32, randInt } from "./rng";
import type { TreeResult } from "./tree";

/** Below this many node samples, only touched bins are scanned (sorting them beats 256 slots). */
const SMALL_NODE = 96;

/**
 * The plain grower, one input at a time: what tree.ts grew before its split search was tuned
 * (split.ts), kept as the reference it must match bit for bit (tests; bench:forest grower=reference
 * times both in one run). Not used by the app.
 *
 * Grows one CART classification tree on binned inputs: bootstrap (seeded), inputs drawn per
 * split, Gini with class weights, histogram per node over the drawn inputs.
 * @param data binned training inputs
 * @param labels [numSamples] class of each sample, 0..numClasses-1
 * @param classWeights [numClasses] weight of each class (1 = unweighted)
 * @param seed this tree's seed (see treeSeed)
 */
export function buildTreeReference(
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
  if (labels.length !== N) throw new Error(`buildTreeReference: ${labels.length} labels for ${N} samples`);

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
  const hist = new Float64Array(256 * C);
  const cnt = new Int32Array(256);
  const touched = new Int32Array(256);
  const tot = new Float64Array(C);
  const wl = new Float64Array(C);
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
    for (let k = start; k < end; k++) tot[y[k]] += w[k];
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
    let bestScore = nodeScore;
    let bestInput = -1;
    let bestBin = -1;
    let drawn = 0;
    // sqrt(P) inputs per split; keep drawing (like scikit-learn) until one gives a valid split.
    for (let k = 0; k < P && (drawn < mtry || bestInput < 0); k++, drawn++) {
      const r = k + randInt(rng, P - k);
      const j = perm[r];
      perm[r] = perm[k];
      perm[k] = j;
      const base = colBase[j];
      // Occupied bins in increasing order: a full sweep for big nodes, the touched few for small ones.
      let nb = 0;
      if (n >= SMALL_NODE) {
        for (let q = start; q < end; q++) {
          const b = codes[base + row[q]];
          cnt[b]++;
          hist[b * C + y[q]] += w[q];
        }
        for (let b = 0; b < 256; b++) if (cnt[b] > 0) touched[nb++] = b;
      } else {
        for (let q = start; q < end; q++) {
          const b = codes[base + row[q]];
          if (cnt[b] === 0) touched[nb++] = b;
          cnt[b]++;
          hist[b * C + y[q]] += w[q];
        }
        // Insertion sort: nb is small here, and a typed-array sort call costs more than it saves.
        for (let t = 1; t < nb; t++) {
          const v = touched[t];
          let u = t - 1;
          while (u >= 0 && touched[u] > v) {
            touched[u + 1] = touched[u];
            u--;
          }
          touched[u + 1] = v;
        }
      }
      wl.fill(0);
      let nl = 0;
      let wlSum = 0;
      // The last occupied bin cannot be a split point (everything would go left).
      for (let t = 0; t + 1 < nb; t++) {
        const b = touched[t];
        for (let c = 0; c < C; c++) {
          const h = hist[b * C + c];
          wl[c] += h;
          wlSum += h;
        }
        nl += cnt[b];
        if (nl < minLeaf) continue;
        if (n - nl < minLeaf) break;
        const wrSum = W - wlSum;
        if (wlSum <= 0 || wrSum <= 1e-12 * W) continue;
        let sl = 0;
        let sr = 0;
        for (let c = 0; c < C; c++) {
          sl += wl[c] * wl[c];
          const rc = tot[c] - wl[c];
          sr += rc * rc;
        }
        const score = sl / wlSum + sr / wrSum;
        if (score > bestScore + 1e-12 * W) {
          bestScore = score;
          bestInput = j;
          bestBin = b;
        }
      }
      for (let t = 0; t < nb; t++) {
        const b = touched[t];
        cnt[b] = 0;
        for (let c = 0; c < C; c++) hist[b * C + c] = 0;
      }
    }
    if (bestInput < 0) continue;

    importance[bestInput] += bestScore - nodeScore;
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
