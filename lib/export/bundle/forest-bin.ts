import type { ForestModel, ForestTree, ForestViewSpec } from "@/lib/models/forest/types";

/**
 * forest/forest.bin: the compact forest as one little-endian binary, 4-byte aligned.
 *
 *   header  magic "TMRF" (4 bytes) | version u32 = 1 | numClasses u32 | numFeatures u32 | numTrees u32
 *   trees   per tree: nodes u32 | feature i32[nodes] | threshold f32[nodes] | left i32[nodes]
 *           | right i32[nodes] | value f32[nodes * numClasses]
 *   trailer importances f32[numFeatures]
 *
 * FOREST_BIN_SCHEMA (written as forest/schema.json) describes the same layout for other readers.
 */

export const FOREST_BIN_MAGIC = "TMRF";
export const FOREST_BIN_VERSION = 1;

export const FOREST_BIN_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "TradeMate Studio forest.bin layout",
  description:
    "Binary layout of forest/forest.bin. All integers and floats little-endian, no padding (every field is 4 bytes wide). Node i of a tree is a leaf when feature[i] == -1; otherwise x[feature[i]] <= threshold[i] goes to left[i], else right[i] (indices within the same tree, root = 0). value[i*numClasses + c] is the class-c probability at leaf i. Forest probability = mean over trees of the reached leaf's probabilities. Inputs are named in forest/inputs.json; the manifest's forest entry gives the view (how inputs are laid out from a normalised window).",
  type: "object",
  properties: {
    magic: { const: FOREST_BIN_MAGIC, description: "4 ASCII bytes" },
    version: { const: FOREST_BIN_VERSION, "x-type": "uint32" },
    numClasses: { "x-type": "uint32" },
    numFeatures: { "x-type": "uint32" },
    numTrees: { "x-type": "uint32" },
    trees: {
      type: "array",
      description: "numTrees entries, back to back",
      items: {
        type: "object",
        properties: {
          nodes: { "x-type": "uint32" },
          feature: { "x-type": "int32[nodes]" },
          threshold: { "x-type": "float32[nodes]" },
          left: { "x-type": "int32[nodes]" },
          right: { "x-type": "int32[nodes]" },
          value: { "x-type": "float32[nodes*numClasses]" },
        },
        "x-order": ["nodes", "feature", "threshold", "left", "right", "value"],
      },
    },
    importances: { "x-type": "float32[numFeatures]" },
  },
  "x-order": ["magic", "version", "numClasses", "numFeatures", "numTrees", "trees", "importances"],
} as const;

/** Encodes a forest (see the layout above). Feature names and view travel separately. */
export function encodeForestBin(model: ForestModel): Uint8Array {
  const C = model.numClasses;
  let size = 20 + 4 * model.numFeatures;
  for (const t of model.trees) size += 4 + t.feature.length * (16 + 4 * C);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let at = 0;
  const u32 = (v: number) => {
    dv.setUint32(at, v, true);
    at += 4;
  };
  const i32s = (a: Int32Array) => a.forEach((v) => (dv.setInt32(at, v, true), (at += 4)));
  const f32s = (a: Float32Array) => a.forEach((v) => (dv.setFloat32(at, v, true), (at += 4)));
  for (let i = 0; i < 4; i++) out[at++] = FOREST_BIN_MAGIC.charCodeAt(i);
  u32(FOREST_BIN_VERSION);
  u32(C);
  u32(model.numFeatures);
  u32(model.trees.length);
  for (const t of model.trees) {
    const n = t.feature.length;
    if (t.threshold.length !== n || t.left.length !== n || t.right.length !== n || t.value.length !== n * C) throw new Error("encodeForestBin: tree arrays have inconsistent lengths");
    u32(n);
    i32s(t.feature);
    f32s(t.threshold);
    i32s(t.left);
    i32s(t.right);
    f32s(t.value);
  }
  if (model.importances.length !== model.numFeatures) throw new Error("encodeForestBin: importances length differs from numFeatures");
  f32s(model.importances);
  return out;
}

/**
 * Decodes and validates forest.bin: magic, version, sizes, every child index inside its tree,
 * every split feature inside [0, numFeatures), every tree a proper tree (each node reached once
 * from the root, so no cycles) and leaf rows finite. Throws Error with a clear message.
 */
export function decodeForestBin(bytes: Uint8Array, meta: { featureNames: string[]; view?: ForestViewSpec }): ForestModel {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const need = (n: number, what: string) => {
    if (at + n > bytes.length) throw new Error(`forest.bin is truncated (reading ${what})`);
  };
  need(20, "header");
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== FOREST_BIN_MAGIC) throw new Error("forest.bin: not a forest file (bad magic)");
  at = 4;
  const u32 = () => {
    const v = dv.getUint32(at, true);
    at += 4;
    return v;
  };
  const version = u32();
  if (version !== FOREST_BIN_VERSION) throw new Error(`forest.bin: version ${version} is not supported`);
  const C = u32();
  const F = u32();
  const T = u32();
  if (C < 2 || C > 64 || F < 1 || F > 10_000_000 || T < 1 || T > 100_000) throw new Error("forest.bin: header values out of range");
  if (meta.featureNames.length !== F) throw new Error(`forest: ${meta.featureNames.length} input names for ${F} inputs`);
  const readI32 = (n: number, what: string): Int32Array => {
    need(4 * n, what);
    const a = new Int32Array(n);
    for (let i = 0; i < n; i++) a[i] = dv.getInt32(at + 4 * i, true);
    at += 4 * n;
    return a;
  };
  const readF32 = (n: number, what: string): Float32Array => {
    need(4 * n, what);
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = dv.getFloat32(at + 4 * i, true);
    at += 4 * n;
    return a;
  };
  const trees: ForestTree[] = [];
  for (let t = 0; t < T; t++) {
    need(4, `tree ${t}`);
    const n = u32();
    if (n < 1) throw new Error(`forest.bin: tree ${t} has no nodes`);
    need(4 * n * (4 + C), `tree ${t}`);
    const tree: ForestTree = {
      feature: readI32(n, `tree ${t} features`),
      threshold: readF32(n, `tree ${t} thresholds`),
      left: readI32(n, `tree ${t} left`),
      right: readI32(n, `tree ${t} right`),
      value: readF32(n * C, `tree ${t} values`),
    };
    checkTree(tree, F, C, t);
    trees.push(tree);
  }
  const importances = readF32(F, "importances");
  if (at !== bytes.length) throw new Error(`forest.bin: ${bytes.length - at} unexpected trailing bytes`);
  return { kind: "random-forest", numClasses: C, numFeatures: F, featureNames: meta.featureNames, trees, importances, ...(meta.view ? { view: meta.view } : {}) };
}

function checkTree(tree: ForestTree, F: number, C: number, t: number): void {
  const n = tree.feature.length;
  const seen = new Uint8Array(n);
  const stack = [0];
  while (stack.length) {
    const i = stack.pop()!;
    if (seen[i]) throw new Error(`forest.bin: tree ${t} is not a tree (node ${i} reached twice)`);
    seen[i] = 1;
    const f = tree.feature[i];
    if (f === -1) {
      for (let c = 0; c < C; c++) if (!Number.isFinite(tree.value[i * C + c])) throw new Error(`forest.bin: tree ${t} leaf ${i} has a non-finite probability`);
      continue;
    }
    if (f < 0 || f >= F) throw new Error(`forest.bin: tree ${t} node ${i} splits on input ${f}, outside [0, ${F})`);
    for (const child of [tree.left[i], tree.right[i]]) {
      if (child < 0 || child >= n) throw new Error(`forest.bin: tree ${t} node ${i} points to ${child}, outside the tree`);
      stack.push(child);
    }
  }
}
