import { describe, expect, it } from "vitest";
import { namedPermutationImportance } from "@/lib/eval/importance";
import { trainForest } from "../../models/forest/forest";
import { splitWindowsAt, syntheticWindows } from "@/test/synthetic-windows";
import { predictProbaView } from "../../models/forest/predict";
import { windowTrainingSet } from "../../models/forest/views";
import { createForestWorkerApi } from "./api";

describe("forest worker API: the page's forest work, done where the worker is", () => {
  const sw = syntheticWindows(500, 21, 12, 4);
  const { train, test } = splitWindowsAt(sw, 0.6);
  const api = createForestWorkerApi();

  it("prepare() bins the training windows exactly as windowTrainingSet does", () => {
    for (const kind of ["flat", "compact"] as const) {
      expect(api.prepare(sw.source, sw.featureNames, train, kind, 4)).toEqual(
        windowTrainingSet(sw.source, sw.featureNames, train, kind, 4),
      );
    }
  });

  it("evaluate() gives the probabilities and permutation importance computed on the page before", async () => {
    const model = trainForest(windowTrainingSet(sw.source, sw.featureNames, train, "compact", 4), {
      trees: 8,
      maxDepth: 6,
      seed: 2,
    });
    const val = test.ends.slice(0, 60);
    const rest = test.ends.slice(60);
    const request = {
      ends: rest.slice(-50),
      labels: Uint8Array.from(test.labels.slice(-50)),
      featureNames: sw.featureNames,
      repeats: 1,
      seed: 3,
    };
    const progress: number[] = [];
    const got = await api.evaluate(model, sw.source, { val, test: rest }, request, (done) => void progress.push(done));
    expect(got.probs.val).toEqual(predictProbaView(model, sw.source, val));
    expect(got.probs.test).toEqual(predictProbaView(model, sw.source, rest));
    const direct = await namedPermutationImportance(sw.source, request, (matrix, e) =>
      predictProbaView(model, { ...sw.source, matrix }, e),
    );
    expect(got.permutation).toEqual(direct);
    expect(progress).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect((await api.evaluate(model, sw.source, { val })).permutation).toBeUndefined();
  });
});
