import { describe, expect, it } from "vitest";
import { binMatrix } from "./binned";
import { trainForest } from "./forest";
import { predictProba } from "./predict";
import { deserializeForest, serializeForest } from "./serialize";
import { ruleData } from "@/test/rule-data";

describe("forest serialisation", () => {
  const { x, y } = ruleData(600, 6, 4);
  // Noisy labels so trees have mixed leaves at the depth limit as well as pure ones.
  const yNoisy = y.map((c, i) => (i % 7 === 0 ? (c + 1) % 4 : c));
  const names = Array.from({ length: 6 }, (_, j) => `feat_1h_x${j}_t0`);
  const model = trainForest(
    { data: binMatrix(x, 600, 6), labels: yNoisy, numClasses: 4, featureNames: names },
    { trees: 8, maxDepth: 6, seed: 9 },
  );

  it("round-trips to identical predictions, names and importances", () => {
    // The fixture must exercise both leaf encodings (one-hot and mixed).
    const leafKinds = new Set<string>();
    for (const t of model.trees)
      t.feature.forEach(
        (f, i) =>
          f < 0 &&
          leafKinds.add(Array.from(t.value.subarray(i * 4, i * 4 + 4)).some((v) => v > 0 && v < 1) ? "mixed" : "pure"),
      );
    expect([...leafKinds].sort()).toEqual(["mixed", "pure"]);
    const bytes = serializeForest(model);
    const back = deserializeForest(bytes);
    expect(back.numFeatures).toBe(6);
    expect(back.featureNames).toEqual(names);
    expect(back.importances).toEqual(model.importances);
    expect(predictProba(back, x)).toEqual(predictProba(model, x));
    back.trees.forEach((t, k) => expect(t.feature).toEqual(model.trees[k].feature));
  });

  it("refuses a view that does not match the inputs", () => {
    expect(() =>
      deserializeForest(serializeForest({ ...model, view: { kind: "flat", window: 2, features: 2 } })),
    ).toThrow(/view does not match/);
    expect(() =>
      deserializeForest(serializeForest({ ...model, view: { kind: "weird" as "flat", window: 1, features: 6 } })),
    ).toThrow(/view does not match/);
    expect(
      deserializeForest(serializeForest({ ...model, view: { kind: "flat", window: 1, features: 6 } })).view,
    ).toEqual({ kind: "flat", window: 1, features: 6 });
  });

  it("is compact: a few bytes per node", () => {
    const nodes = model.trees.reduce((a, t) => a + t.feature.length, 0);
    const bytes = serializeForest(model).length;
    expect(bytes / nodes).toBeLessThan(12);
  });

  it("rejects foreign, truncated, padded or tampered bytes with a clear message", () => {
    const bytes = serializeForest(model);
    expect(() => deserializeForest(bytes.subarray(0, bytes.length - 3))).toThrow(/truncated/);
    expect(() => deserializeForest(new Uint8Array([1, 2, 3, 4, 5]))).toThrow(/magic/);
    const padded = new Uint8Array(bytes.length + 2);
    padded.set(bytes);
    expect(() => deserializeForest(padded)).toThrow(/2 unexpected trailing bytes/);
    // The first tree's root (an internal node): u16 feature, f32 threshold, varint right offset.
    const metaLen = new DataView(bytes.buffer).getUint32(16 + 4 * 6, true);
    const root = 16 + 4 * 6 + 4 + metaLen + 4;
    const cycle = bytes.slice();
    cycle[root + 6] = 0; // right child = the root itself
    expect(() => deserializeForest(cycle)).toThrow(/tree 0 is not a tree/);
    const farRight = bytes.slice();
    farRight[root + 6] = 0x7f; // right child 127 nodes on: outside a depth-6 tree
    expect(() => deserializeForest(farRight)).toThrow(/tree 0 node 0 points outside the tree/);
    const legacy = bytes.slice();
    legacy.set([1, 0, 0, 0], 4); // the old fixed-width layout: "TMRF" then u32 version 1
    expect(() => deserializeForest(legacy)).toThrow(/older fixed-width layout; export the bundle again/);
    const reserved = bytes.slice();
    reserved[7] = 9;
    expect(() => deserializeForest(reserved)).toThrow(/flags are not understood/);
    const outside = bytes.slice();
    new DataView(outside.buffer).setUint16(root, 6, true); // split on input 6 of 6
    expect(() => deserializeForest(outside)).toThrow(/splits on input 6, outside \[0, 6\)/);
  });

  it("refuses a crafted header before allocating from its claims (issue 17: 0.5 MB took 3 GB)", () => {
    /** One tree claiming `nodes` nodes over `body`, after a valid one-input header with `classes`. */
    const crafted = (classes: number, nodes: number, body: Uint8Array, trees = 1) => {
      const meta = new TextEncoder().encode(JSON.stringify({ featureNames: ["a"], view: null }));
      const out = new Uint8Array(16 + 4 + 4 + meta.length + 4 + body.length);
      const dv = new DataView(out.buffer);
      out.set([0x54, 0x4d, 0x52, 0x46, 1, 0, classes, 0]);
      dv.setUint32(8, 1, true);
      dv.setUint32(12, trees, true);
      dv.setFloat32(16, 1, true);
      dv.setUint32(20, meta.length, true);
      out.set(meta, 24);
      dv.setUint32(24 + meta.length, nodes, true);
      out.set(body, 28 + meta.length);
      return out;
    };
    const leaf = Uint8Array.of(0xf0, 0xff); // one pure leaf of class 0
    expect(deserializeForest(crafted(4, 1, leaf), { classes: 4 }).trees[0].feature).toEqual(Int32Array.of(-1));
    expect(() => deserializeForest(crafted(15, 1, leaf), { classes: 4 })).toThrow(
      "the forest has 15 classes, expected 4",
    );
    expect(() => deserializeForest(crafted(200, 1, leaf))).toThrow("the forest's class count 200 is outside 2..15");
    expect(() => deserializeForest(crafted(4, 1, leaf, 100_000))).toThrow(/too short for 1 inputs and 100000 trees/);
    const zeros = new Uint8Array(8 * 1024 * 1024);
    expect(() => deserializeForest(crafted(4, 0x7fffffff, zeros))).toThrow(/tree 0 has an impossible node count/);
    // A count the bytes could hold, over zeros (each read as a 7-byte split node): refused as
    // truncated by the first pass, before n × 32 bytes of arrays exist (58 MB measured without it).
    const fits = Math.floor((zeros.length + 2.5) / 4.5) | 1;
    const before = process.memoryUsage().arrayBuffers;
    expect(() => deserializeForest(crafted(4, fits - 2, zeros))).toThrow("forest data is truncated");
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
  });
});
