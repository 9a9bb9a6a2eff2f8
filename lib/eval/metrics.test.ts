import { describe, expect, it } from "vitest";
import { argmaxRows, confusionFromProbs, confusionMatrix, rowShares } from "./confusion";
import {
  accuracyFromConfusion,
  balancedAccuracy,
  classificationMetrics,
  logLoss,
  macroF1,
  perClassMetrics,
} from "./metrics";

// Hand-worked example used throughout:
// labels [0,0,1,1,2,2,3,3,3,2], predicted [0,1,1,1,2,3,3,3,0,2]
// cm rows: [1,1,0,0] [0,2,0,0] [0,0,2,1] [1,0,0,2]
const labels = Uint8Array.from([0, 0, 1, 1, 2, 2, 3, 3, 3, 2]);
const predicted = Uint8Array.from([0, 1, 1, 1, 2, 3, 3, 3, 0, 2]);

function oneHotish(pred: Uint8Array, p = 0.7): Float32Array {
  const out = new Float32Array(pred.length * 4).fill((1 - p) / 3);
  pred.forEach((c, i) => (out[i * 4 + c] = p));
  return out;
}

describe("confusion", () => {
  it("counts rows=true, cols=predicted", () => {
    expect(confusionMatrix(labels, predicted)).toEqual([
      [1, 1, 0, 0],
      [0, 2, 0, 0],
      [0, 0, 2, 1],
      [1, 0, 0, 2],
    ]);
  });
  it("argmax breaks ties to the lowest class and matches confusionFromProbs", () => {
    expect(Array.from(argmaxRows(Float32Array.from([0.25, 0.25, 0.25, 0.25, 0.1, 0.4, 0.4, 0.1])))).toEqual([0, 1]);
    expect(confusionFromProbs(labels, oneHotish(predicted))).toEqual(confusionMatrix(labels, predicted));
  });
  it("row shares sum to one and leave empty rows at zero", () => {
    const s = rowShares([
      [1, 3, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 2, 2],
      [5, 0, 0, 0],
    ]);
    expect(s[0]).toEqual([0.25, 0.75, 0, 0]);
    expect(s[1]).toEqual([0, 0, 0, 0]);
    expect(s[2]).toEqual([0, 0, 0.5, 0.5]);
  });
  it("rejects out-of-range classes", () => {
    expect(() => confusionMatrix([4], [0])).toThrow();
  });
});

describe("metrics from the confusion matrix", () => {
  const cm = confusionMatrix(labels, predicted);
  it("accuracy = 7/10", () => expect(accuracyFromConfusion(cm)).toBeCloseTo(0.7, 12));
  it("per-class precision/recall/F1/support", () => {
    const per = perClassMetrics(cm);
    expect(per.map((m) => m.className)).toEqual(["STRONG_SELL", "SELL", "BUY", "STRONG_BUY"]);
    const expected = [
      { precision: 1 / 2, recall: 1 / 2, f1: 1 / 2, support: 2 },
      { precision: 2 / 3, recall: 1, f1: 0.8, support: 2 },
      { precision: 1, recall: 2 / 3, f1: 0.8, support: 3 },
      { precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, support: 3 },
    ];
    per.forEach((m, i) => {
      expect(m.precision).toBeCloseTo(expected[i].precision, 12);
      expect(m.recall).toBeCloseTo(expected[i].recall, 12);
      expect(m.f1).toBeCloseTo(expected[i].f1, 12);
      expect(m.support).toBe(expected[i].support);
    });
  });
  it("balanced accuracy = mean recall = 17/24", () => expect(balancedAccuracy(cm)).toBeCloseTo(17 / 24, 12));
  it("macro F1 = 83/120", () => expect(macroF1(cm)).toBeCloseTo(83 / 120, 12));
  it("a class never predicted has precision 0 and absent classes are left out of the averages", () => {
    // Only classes 0 and 1 occur; everything predicted 0.
    const cm2 = confusionMatrix([0, 0, 1, 1], [0, 0, 0, 0]);
    const per = perClassMetrics(cm2);
    expect(per[1].precision).toBe(0);
    expect(per[0].precision).toBeCloseTo(0.5, 12);
    expect(balancedAccuracy(cm2)).toBeCloseTo(0.5, 12); // (1 + 0) / 2
    // F1 class0 = 2*.5*1/1.5 = 2/3, class1 = 0 → macro over 2 present classes = 1/3
    expect(macroF1(cm2)).toBeCloseTo(1 / 3, 12);
  });
});

describe("log loss", () => {
  it("is the mean of -ln p[true]", () => {
    const p = Float32Array.from([0.5, 0.2, 0.2, 0.1, 0.1, 0.1, 0.2, 0.6]);
    expect(logLoss([0, 2], p)).toBeCloseTo(-(Math.log(0.5) + Math.log(0.2)) / 2, 6);
  });
  it("clips zero probabilities and normalises rows", () => {
    expect(logLoss([1], Float32Array.from([1, 0, 0, 0]))).toBeCloseTo(-Math.log(1e-7), 6);
    expect(logLoss([0], Float32Array.from([1, 1, 1, 1]))).toBeCloseTo(Math.log(4), 6);
    expect(logLoss([0], Float32Array.from([1, 0, 0, 0]))).toBeCloseTo(-Math.log(1 - 1e-7), 12);
  });
  it("classificationMetrics bundles everything", () => {
    const m = classificationMetrics(labels, oneHotish(predicted));
    expect(m.samples).toBe(10);
    expect(m.accuracy).toBeCloseTo(0.7, 12);
    // 7 correct at p=0.7, 3 wrong at p=0.1 for the true class
    expect(m.logLoss).toBeCloseTo(-(7 * Math.log(0.7) + 3 * Math.log(0.1)) / 10, 5);
    expect(m.confusionShares[2]).toEqual([0, 0, 2 / 3, 1 / 3]);
  });
});
