import { packTrees } from "./forest";
import type { ForestModel, ForestTree, ForestViewSpec } from "./types";
import { viewInputs } from "./views";

/**
 * The one binary form of a forest (the model bundle's forest/forest.bin; benches size forests with
 * it; IndexedDB keeps the ForestModel object itself), little-endian,
 * about 2-8 bytes per node instead of scikit-learn's ~100: nodes in preorder so a left child is
 * implicit (parent + 1), the right child is a varint offset, features are Uint16 when there are
 * fewer than 65,520 inputs, thresholds Float32, one-hot leaves take only their marker and mixed
 * leaves Float32 probabilities. Internal nodes' class distributions are not kept (predictions
 * never read them). Measured on a 40-tree depth-20 forest (63k nodes): 0.30 MB against 2.0 MB
 * for fixed-width arrays (0.21 vs 0.74 MB deflated).
 *
 * Layout: "TMRF" u8 version=1, u8 flags (1: u32 features), u8 numClasses, u8 0, u32 numFeatures,
 * u32 numTrees, f32[numFeatures] importances, u32 len + UTF-8 JSON {featureNames, view}, then per
 * tree u32 nodeCount and its nodes. FOREST_FORMAT_SCHEMA says the same for other readers.
 */
const MAGIC = [0x54, 0x4d, 0x52, 0x46];
const VERSION = 1;
const U16_MIXED = 0xffff;
const U16_PURE = 0xfff0;
const U32_MIXED = 0xffffffff;
const U32_PURE = 0xfffffff0;

/** The layout above as a JSON schema (written beside forest.bin in model bundles). */
export const FOREST_FORMAT_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "TradeMate Studio forest.bin (compact Random Forest)",
  description:
    "All numbers little-endian. Inputs x are the forest's inputs (names in meta.featureNames; meta.view says how they are read from a normalised window). Trees are stored node by node in preorder from the root. An internal node is: feature (u16, or u32 when flags&1), threshold f32, rightOffset varint (LEB128, unsigned); its left child is the next node (index k+1), its right child is node k+rightOffset; x[feature] <= threshold goes left. A leaf is a feature code >= PURE (0xFFF0, or 0xFFFFFFF0 when wide): code == MIXED (0xFFFF / 0xFFFFFFFF) is followed by numClasses f32 probabilities; any other code PURE+c is a one-hot leaf on class c. The forest's probability is the mean over trees of the reached leaves' probabilities.",
  type: "object",
  properties: {
    magic: { const: "TMRF", description: "4 ASCII bytes" },
    version: { const: VERSION, "x-type": "uint8" },
    flags: { "x-type": "uint8", description: "bit 0: feature codes are uint32 (wide) instead of uint16" },
    numClasses: { "x-type": "uint8" },
    reserved: { "x-type": "uint8", const: 0 },
    numFeatures: { "x-type": "uint32" },
    numTrees: { "x-type": "uint32" },
    importances: { "x-type": "float32[numFeatures]", description: "impurity importances, summing to 1" },
    metaLength: { "x-type": "uint32" },
    meta: {
      "x-type": "utf8[metaLength]",
      description: "JSON {featureNames: string[numFeatures], view: {kind: 'flat'|'compact', window, features} | null}",
    },
    trees: {
      type: "array",
      description: "numTrees entries, back to back",
      items: {
        type: "object",
        properties: {
          nodeCount: { "x-type": "uint32" },
          nodes: { "x-type": "node[nodeCount]", description: "preorder; see the description for the node encoding" },
        },
      },
    },
  },
  "x-order": [
    "magic",
    "version",
    "flags",
    "numClasses",
    "reserved",
    "numFeatures",
    "numTrees",
    "importances",
    "metaLength",
    "meta",
    "trees",
  ],
  "x-constants": { PURE: U16_PURE, MIXED: U16_MIXED, PURE_WIDE: U32_PURE, MIXED_WIDE: U32_MIXED },
} as const;

class Writer {
  buf = new Uint8Array(1 << 16);
  view = new DataView(this.buf.buffer);
  pos = 0;
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }
  u16(v: number): void {
    this.ensure(2);
    this.view.setUint16(this.pos, v, true);
    this.pos += 2;
  }
  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
  }
  f32(v: number): void {
    this.ensure(4);
    this.view.setFloat32(this.pos, v, true);
    this.pos += 4;
  }
  varint(v: number): void {
    while (v >= 0x80) {
      this.u8((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    this.u8(v);
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
}

/** Preorder node order of a tree (any stored order), from the root. */
function preorder(tree: ForestTree): Int32Array {
  const order = new Int32Array(tree.feature.length);
  let k = 0;
  const stack = [0];
  while (stack.length > 0) {
    const i = stack.pop()!;
    order[k++] = i;
    if (tree.feature[i] >= 0) stack.push(tree.right[i], tree.left[i]);
  }
  return order.subarray(0, k);
}

/** Which class a leaf is one-hot on, or -1 for a mixed leaf. */
function pureClass(value: Float32Array, i: number, C: number): number {
  let cls = -1;
  for (let c = 0; c < C; c++) {
    const v = value[i * C + c];
    if (v === 1 && cls < 0) cls = c;
    else if (v !== 0) return -1;
  }
  return cls;
}

/** Serialises a forest to bytes (see the layout above). */
export function serializeForest(model: ForestModel): Uint8Array {
  const C = model.numClasses;
  if (C < 2 || C > 15) throw new Error("serializeForest: 2..15 classes supported");
  const wide = model.numFeatures >= U16_PURE;
  const w = new Writer();
  MAGIC.forEach((b) => w.u8(b));
  w.u8(VERSION);
  w.u8(wide ? 1 : 0);
  w.u8(C);
  w.u8(0);
  w.u32(model.numFeatures);
  w.u32(model.trees.length);
  for (let j = 0; j < model.numFeatures; j++) w.f32(model.importances[j] ?? 0);
  const meta = new TextEncoder().encode(JSON.stringify({ featureNames: model.featureNames, view: model.view ?? null }));
  w.u32(meta.length);
  w.bytes(meta);
  const feat = (v: number) => (wide ? w.u32(v) : w.u16(v));
  for (const tree of model.trees) {
    const order = preorder(tree);
    const newId = new Int32Array(tree.feature.length);
    order.forEach((old, k) => (newId[old] = k));
    w.u32(order.length);
    for (let k = 0; k < order.length; k++) {
      const i = order[k];
      const f = tree.feature[i];
      if (f >= 0) {
        feat(f);
        w.f32(tree.threshold[i]);
        w.varint(newId[tree.right[i]] - k);
      } else {
        const cls = pureClass(tree.value, i, C);
        if (cls >= 0) feat((wide ? U32_PURE : U16_PURE) + cls);
        else {
          feat(wide ? U32_MIXED : U16_MIXED);
          for (let c = 0; c < C; c++) w.f32(tree.value[i * C + c]);
        }
      }
    }
  }
  return w.buf.slice(0, w.pos);
}

/**
 * Fewest bytes a tree of `n` nodes takes: a split node is ≥ 7 bytes (u16 feature, f32 threshold,
 * ≥ 1 varint byte), a leaf ≥ 2, and a binary tree of n nodes has (n - 1) / 2 splits and
 * (n + 1) / 2 leaves: 4.5·n - 2.5 bytes in all.
 */
const MIN_BYTES_PER_NODE = 4.5;

/**
 * Reads bytes written by serializeForest and validates them, so a damaged or tampered file is
 * refused with a clear message instead of predicting nonsense, looping or allocating from a
 * claimed size: magic, version, the class count (against `expect.classes` when given) before
 * anything else, sizes bounded by what the remaining bytes can hold in this layout before any
 * array is allocated (a 0.5 MB file claiming big trees took 3 GB before "truncated", issue 17),
 * every split feature in range, every tree a proper preorder tree (each right child after its
 * left subtree, all nodes used once), leaf probabilities finite, no trailing bytes.
 */
export function deserializeForest(bytes: Uint8Array, expect: { classes?: number } = {}): ForestModel {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const need = (n: number) => {
    if (pos + n > bytes.length) throw new Error("forest data is truncated");
  };
  const u8 = () => (need(1), bytes[pos++]);
  const u16 = () => (need(2), (pos += 2), dv.getUint16(pos - 2, true));
  const u32 = () => (need(4), (pos += 4), dv.getUint32(pos - 4, true));
  const f32 = () => (need(4), (pos += 4), dv.getFloat32(pos - 4, true));
  const varint = () => {
    let v = 0;
    let mul = 1;
    for (let k = 0; k < 6; k++) {
      const b = u8();
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
    throw new Error("forest data holds a malformed offset");
  };
  for (const b of MAGIC) if (u8() !== b) throw new Error("not a forest (bad magic)");
  const version = u8();
  if (version !== VERSION) throw new Error(`forest format version ${version} is not supported`);
  const flags = u8();
  const wide = (flags & 1) === 1;
  const C = u8();
  const reserved = u8();
  // Bundles of studios before 2026-11-26 held a fixed-width forest.bin: "TMRF", u32 version 1.
  if (flags === 0 && C === 0 && reserved === 0)
    throw new Error("this forest was written in the older fixed-width layout; export the bundle again from the studio");
  if (flags > 1 || reserved !== 0) throw new Error("forest header flags are not understood");
  if (expect.classes !== undefined && C !== expect.classes)
    throw new Error(`the forest has ${C} classes, expected ${expect.classes}`);
  if (C < 2 || C > 15) throw new Error(`the forest's class count ${C} is outside 2..15`);
  const numFeatures = u32();
  const numTrees = u32();
  if (numFeatures < 1 || numFeatures > 10_000_000 || numTrees < 1 || numTrees > 100_000)
    throw new Error("forest header values are out of range");
  // Each input takes 4 bytes of importances; each tree ≥ 4 bytes of count + one 2-byte leaf.
  if (4 * numFeatures + 4 + 6 * numTrees > bytes.length - pos)
    throw new Error(`forest data is truncated (too short for ${numFeatures} inputs and ${numTrees} trees)`);
  const importances = new Float32Array(numFeatures);
  for (let j = 0; j < numFeatures; j++) importances[j] = f32();
  const metaLen = u32();
  need(metaLen);
  let meta: { featureNames: string[]; view: ForestViewSpec | null };
  try {
    meta = JSON.parse(new TextDecoder().decode(bytes.subarray(pos, pos + metaLen))) as typeof meta;
  } catch {
    throw new Error("forest input names are not readable");
  }
  if (
    !Array.isArray(meta?.featureNames) ||
    meta.featureNames.length !== numFeatures ||
    !meta.featureNames.every((n) => typeof n === "string")
  ) {
    throw new Error(`forest: input names do not match its ${numFeatures} inputs`);
  }
  if (meta.view !== null && meta.view !== undefined && !validView(meta.view, numFeatures))
    throw new Error("forest: its input view does not match its inputs");
  pos += metaLen;
  const pureBase = wide ? U32_PURE : U16_PURE;
  const mixed = wide ? U32_MIXED : U16_MIXED;
  const trees: ForestTree[] = [];
  for (let t = 0; t < numTrees; t++) {
    const n = u32();
    // A larger count than the remaining bytes can hold (the other trees need ≥ 6 bytes each) is
    // damage, found before the n × (16 + 4·C) bytes of arrays are allocated.
    const room = bytes.length - pos - 6 * (numTrees - t - 1);
    if (n < 1 || n % 2 === 0 || MIN_BYTES_PER_NODE * n - 2.5 > room)
      throw new Error(`forest tree ${t} has an impossible node count (${n} in ${Math.max(0, room)} bytes)`);
    // A first pass over the encodings only: a count the bytes cannot back ends in "truncated"
    // here, before any array is allocated (zeros read as 7-byte split nodes, so a compressible
    // forest.bin could otherwise allocate 32 bytes per claimed node first).
    const start = pos;
    for (let k = 0; k < n; k++) {
      const f = wide ? u32() : u16();
      if (f === mixed) {
        need(4 * C);
        pos += 4 * C;
      } else if (f < pureBase) {
        need(4);
        pos += 4;
        varint();
      }
    }
    pos = start;
    const tree: ForestTree = {
      feature: new Int32Array(n),
      threshold: new Float32Array(n),
      left: new Int32Array(n).fill(-1),
      right: new Int32Array(n).fill(-1),
      value: new Float32Array(n * C),
    };
    for (let k = 0; k < n; k++) {
      const f = wide ? u32() : u16();
      if (f === mixed) {
        tree.feature[k] = -1;
        for (let c = 0; c < C; c++) {
          const v = f32();
          if (!Number.isFinite(v)) throw new Error(`forest tree ${t} leaf ${k} has a non-finite probability`);
          tree.value[k * C + c] = v;
        }
      } else if (f >= pureBase) {
        if (f - pureBase >= C) throw new Error(`forest tree ${t} leaf ${k} names class ${f - pureBase} of ${C}`);
        tree.feature[k] = -1;
        tree.value[k * C + (f - pureBase)] = 1;
      } else {
        if (f >= numFeatures)
          throw new Error(`forest tree ${t} node ${k} splits on input ${f}, outside [0, ${numFeatures})`);
        tree.feature[k] = f;
        tree.threshold[k] = f32();
        const right = k + varint();
        if (right >= n) throw new Error(`forest tree ${t} node ${k} points outside the tree`);
        tree.left[k] = k + 1;
        tree.right[k] = right;
      }
    }
    checkPreorder(tree, t);
    trees.push(tree);
  }
  if (pos !== bytes.length) throw new Error(`forest data has ${bytes.length - pos} unexpected trailing bytes`);
  const model: ForestModel = {
    kind: "forest",
    numClasses: C,
    numFeatures,
    featureNames: meta.featureNames,
    // Packed like a trained forest: an imported forest is stored and cloned to workers too.
    trees: packTrees(trees),
    importances,
  };
  if (meta.view) model.view = meta.view;
  return model;
}

/** A view the reader can use: a known kind over whole positive sizes, as wide as the inputs. */
function validView(v: ForestViewSpec, numFeatures: number): boolean {
  const whole = (x: unknown) => typeof x === "number" && Number.isInteger(x) && x > 0;
  if ((v.kind !== "flat" && v.kind !== "compact") || !whole(v.window) || !whole(v.features)) return false;
  return viewInputs(v) === numFeatures;
}

/** A preorder walk from the root must visit nodes 0, 1, 2, ... n-1 in turn: one tree, no cycle. */
function checkPreorder(tree: ForestTree, t: number): void {
  const n = tree.feature.length;
  const stack = [0];
  let next = 0;
  while (stack.length) {
    const i = stack.pop()!;
    if (i !== next || i >= n) throw new Error(`forest tree ${t} is not a tree (node ${i} out of preorder)`);
    next++;
    if (tree.feature[i] >= 0) stack.push(tree.right[i], tree.left[i]);
  }
  if (next !== n) throw new Error(`forest tree ${t} is not a tree (${n - next} unreachable nodes)`);
}
