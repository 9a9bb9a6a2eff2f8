import { describe, expect, it } from "vitest";
import { trainForest } from "./forest";
import { splitWindowsAt, syntheticWindows } from "@/test/synthetic-windows";
import { predictProba, predictProbaView } from "./predict";
import { binFlatView, compactFeatureNames, compactMatrix, flatFeatureNames, windowTrainingSet } from "./views";

describe("window views", () => {
  const sw = syntheticWindows(700, 21, 12, 3);
  const { train, test } = splitWindowsAt(sw, 0.6);

  it("names the flattened view as NumPy's reshape: j = s*F + f, t{window-1} latest", () => {
    const names = flatFeatureNames(["1h_rsi", "4h_adx"], 120);
    expect(names.length).toBe(240);
    expect(names[0]).toBe("feat_1h_rsi_t0");
    expect(names[1]).toBe("feat_4h_adx_t0");
    expect(names[238]).toBe("feat_1h_rsi_t119");
    expect(compactFeatureNames(["1h_rsi"])).toEqual([
      "feat_1h_rsi_last",
      "feat_1h_rsi_mean",
      "feat_1h_rsi_std",
      "feat_1h_rsi_min",
      "feat_1h_rsi_max",
      "feat_1h_rsi_delta",
    ]);
  });

  it("codes input (s, f) of a sample from row end-window+1+s of feature f's shared column", () => {
    const b = binFlatView(sw.source, train.ends);
    const { features: F, window: W, matrix } = sw.source;
    const i = 17;
    const s = 4;
    const f = 9;
    const code = b.codes[b.colBase[s * F + f] + b.rowOff[i]];
    const x = matrix[(train.ends[i] - W + 1 + s) * F + f];
    const e = b.edges.subarray(b.edgeStart[f], b.edgeStart[f + 1]);
    expect(code === 0 || x > e[code - 1]).toBe(true);
    expect(code === e.length || x <= e[code]).toBe(true);
    expect(b.codes.length).toBe(F * sw.source.rows);
  });

  it("fits cut points on rows covered by training windows only", () => {
    const before = binFlatView(sw.source, train.ends);
    const changed = { ...sw.source, matrix: sw.source.matrix.slice() };
    const lastTrainRow = train.ends[train.ends.length - 1];
    for (let k = (lastTrainRow + 1) * sw.source.features; k < changed.matrix.length; k++) changed.matrix[k] = 1000 + k;
    const after = binFlatView(changed, train.ends);
    expect(after.edges).toEqual(before.edges);
    // The test rows' huge values all land in the top bin of their feature.
    const f = 3;
    const top = after.edgeStart[f + 1] - after.edgeStart[f];
    expect(after.codes[f * sw.source.rows + sw.source.rows - 1]).toBe(top);
  });

  it("predicts from the source the same as from materialised vectors, for both views", () => {
    const { features: F, window: W, matrix } = sw.source;
    for (const kind of ["flat", "compact"] as const) {
      const set = windowTrainingSet(sw.source, sw.featureNames, train, kind, 4);
      const model = trainForest(set, { trees: 5, seed: 2 });
      expect(model.view).toEqual({ kind, window: W, features: F });
      let x: Float32Array;
      if (kind === "flat") {
        x = new Float32Array(test.ends.length * W * F);
        test.ends.forEach((e, i) => x.set(matrix.subarray((e - W + 1) * F, (e + 1) * F), i * W * F));
      } else x = compactMatrix(sw.source, test.ends);
      expect(predictProbaView(model, sw.source, test.ends)).toEqual(predictProba(model, x));
    }
  });

  it("summarises a window as last, mean, std, min, max, last-minus-first", () => {
    const source = { matrix: Float32Array.from([1, 2, 3, 5]), rows: 4, features: 1, window: 3 };
    expect(Array.from(compactMatrix(source, Int32Array.from([3])))).toEqual(
      [5, 10 / 3, Math.fround(Math.sqrt((4 + 9 + 25) / 3 - 100 / 9)), 2, 5, 3].map(Math.fround),
    );
  });
});
