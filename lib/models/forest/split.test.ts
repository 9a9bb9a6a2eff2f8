import { describe, expect, it } from "vitest";
import { ruleData } from "@/test/rule-data";
import { splitWindowsAt, syntheticWindows } from "@/test/synthetic-windows";
import type { BinnedInputs } from "./binned";
import { binMatrix } from "./binned";
import { classWeightsFor } from "./forest";
import type { ForestParams } from "./params";
import { buildTree } from "./tree";
import { buildTreeReference } from "./tree-reference";
import { binCompactView, binFlatView } from "./views";

type GrowParams = Pick<ForestParams, "maxDepth" | "minSamplesSplit" | "minSamplesLeaf" | "maxFeatures" | "bootstrap">;
const DEFAULTS: GrowParams = {
  maxDepth: 20,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxFeatures: "sqrt",
  bootstrap: true,
};

/** Grows the same trees with the tuned grower and the reference one and expects them equal, bit for bit. */
function expectSameTrees(
  data: BinnedInputs,
  labels: Uint8Array,
  numClasses: number,
  params: Partial<GrowParams> & { classWeight?: ForestParams["classWeight"] },
  seeds = [1, 2, 3],
): void {
  const p = { ...DEFAULTS, ...params };
  const cw = classWeightsFor(labels, numClasses, params.classWeight ?? "balanced");
  for (const seed of seeds) {
    const fast = buildTree(data, labels, numClasses, cw, p, seed);
    const ref = buildTreeReference(data, labels, numClasses, cw, p, seed);
    expect(fast.tree.feature.length).toBeGreaterThan(1);
    expect(fast.tree.feature).toEqual(ref.tree.feature);
    expect(fast.tree.threshold).toEqual(ref.tree.threshold);
    expect(fast.tree.left).toEqual(ref.tree.left);
    expect(fast.tree.right).toEqual(ref.tree.right);
    expect(fast.tree.value).toEqual(ref.tree.value);
    expect(fast.importance).toEqual(ref.importance);
  }
}

describe("split search", () => {
  // 1,500 rows: nodes above and below 256 samples (both ways of listing occupied bins).
  const { x, y } = ruleData(1500, 12, 4);
  const plain = binMatrix(x, 1500, 12);
  const relabel = (k: number) => Uint8Array.from(y, (c, i) => (c + (i % 3)) % k);

  it("grows the reference grower's trees, bit for bit, for 2 to 6 classes", () => {
    // 2-4 classes take the 4-slot sweep (padded), 5 and 6 the generic one.
    for (const k of [2, 3, 4, 5, 6]) expectSameTrees(plain, k === 4 ? y : relabel(k), k, {});
  });

  it("does so with min samples per leaf and split, without bootstrap and without class weights", () => {
    expectSameTrees(plain, y, 4, { minSamplesLeaf: 7, minSamplesSplit: 20 });
    expectSameTrees(plain, relabel(6), 6, { minSamplesLeaf: 3 });
    expectSameTrees(plain, y, 4, { bootstrap: false, classWeight: "none" });
    expectSameTrees(plain, y, 4, { maxDepth: 4 });
  });

  it("does so for every count of inputs per split (four per pass, then the rest one by one)", () => {
    for (const maxFeatures of [1, 2, 3, 4, 5, 7, 9, 12]) expectSameTrees(plain, relabel(3), 3, { maxFeatures }, [5]);
  });

  it("does so when it must keep drawing inputs past the first ones to find a split", () => {
    // Ten constant inputs and two useful ones: one drawn input is often constant.
    const n = 600;
    const { x: x2, y: y2 } = ruleData(n, 12, 9);
    for (let i = 0; i < n; i++) for (let j = 2; j < 12; j++) x2[i * 12 + j] = 0.5;
    expectSameTrees(binMatrix(x2, n, 12), y2, 4, { maxFeatures: 1 });
  });

  it("does so on the flattened and compact window views", () => {
    const sw = syntheticWindows(900, 21, 12, 3);
    const { train } = splitWindowsAt(sw, 0.8);
    expectSameTrees(binFlatView(sw.source, train.ends), train.labels, 4, {}, [11, 12]);
    expectSameTrees(binCompactView(sw.source, train.ends), train.labels, 4, { maxFeatures: 0.5 }, [13]);
  });
});
