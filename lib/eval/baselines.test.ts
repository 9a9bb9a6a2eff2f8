import { describe, expect, it } from "vitest";
import {
  allBaselines,
  classFrequencies,
  classPriorBaseline,
  majorityBaseline,
  majorityClass,
  previousLabelBaseline,
} from "./baselines";
import { classificationMetrics } from "./metrics";

describe("baselines", () => {
  const train = Int8Array.from([0, 1, 1, 2, 2, 2, 3, 3, -1, -1]);
  it("frequencies ignore NO_LABEL", () => {
    expect(Array.from(classFrequencies(train))).toEqual([1 / 8, 2 / 8, 3 / 8, 2 / 8]);
  });
  it("majority class with ties to the lowest index", () => {
    expect(majorityClass(train)).toBe(2);
    expect(majorityClass([3, 1, 1, 3])).toBe(1);
  });
  it("majority baseline is one-hot on the majority for every sample", () => {
    expect(Array.from(majorityBaseline(train, 2))).toEqual([0, 0, 1, 0, 0, 0, 1, 0]);
  });
  it("class prior repeats the train frequencies; its log loss is the cross-entropy of the prior", () => {
    const p = classPriorBaseline(train, 3);
    expect(Array.from(p.subarray(4, 8))).toEqual(Array.from(Float32Array.from([0.125, 0.25, 0.375, 0.25])));
    const m = classificationMetrics(Uint8Array.from([0, 2, 3]), p);
    expect(m.logLoss).toBeCloseTo(-(Math.log(0.125) + Math.log(0.375) + Math.log(0.25)) / 3, 6);
    expect(m.accuracy).toBeCloseTo(1 / 3, 12); // always predicts 2
  });
  it("previous label uses the row `horizon` earlier, with a fallback when unknown", () => {
    //                         rows: 0  1  2  3   4  5  6  7
    const rowLabels = Int8Array.from([3, 0, 1, -1, 2, 2, 0, 1]);
    const ends = Int32Array.from([1, 4, 5, 6, 7]);
    const fb = [0.1, 0.2, 0.3, 0.4];
    const p = previousLabelBaseline(rowLabels, ends, 2, fb);
    const rows = Array.from({ length: 5 }, (_, i) => Array.from(p.subarray(i * 4, i * 4 + 4)));
    expect(rows[0]).toEqual(Array.from(Float32Array.from(fb))); // row -1: before the data
    expect(rows[1]).toEqual([0, 1, 0, 0]); // end 4 → row 2 → label 1
    expect(rows[2]).toEqual(Array.from(Float32Array.from(fb))); // end 5 → row 3 has no label
    expect(rows[3]).toEqual([0, 0, 1, 0]); // end 6 → row 4 → 2
    expect(rows[4]).toEqual([0, 0, 1, 0]); // end 7 → row 5 → 2
  });
  it("previous label never reads a label whose horizon has not elapsed", () => {
    // Labels that change every row: with horizon 3 the prediction at t must equal label[t-3].
    const rowLabels = Int8Array.from([0, 1, 2, 3, 0, 1, 2, 3, 0, 1]);
    const ends = Int32Array.from([3, 4, 5, 6, 7, 8, 9]);
    const p = previousLabelBaseline(rowLabels, ends, 3);
    for (let i = 0; i < ends.length; i++) expect(p[i * 4 + rowLabels[ends[i] - 3]]).toBe(1);
    expect(() => previousLabelBaseline(rowLabels, ends, 0)).toThrow();
  });
  it("allBaselines bundles the three with the prior as the previous-label fallback", () => {
    const b = allBaselines(train, Int8Array.from([-1, 3, 0]), Int32Array.from([1, 2]), 1);
    expect(Object.keys(b)).toEqual(["majority", "class_prior", "previous_label"]);
    expect(Array.from(b.previous_label.subarray(0, 4))).toEqual(
      Array.from(Float32Array.from([0.125, 0.25, 0.375, 0.25])),
    );
    expect(Array.from(b.previous_label.subarray(4, 8))).toEqual([0, 0, 0, 1]);
  });
});
