import { describe, expect, it } from "vitest";
import { majorityBaseline } from "./baselines";
import { permuteLabelsPerPart, permuteLabelsWithinPart } from "./control";
import { classificationMetrics } from "./metrics";
import { mulberry32 } from "./random";

/** A learnable synthetic task: the class is a noisy function of the last row's features. */
function syntheticTask(T: number, F: number, seed: number) {
  const r = mulberry32(seed);
  const matrix = new Float32Array(T * F).map(() => r() * 2 - 1);
  const labels = new Int8Array(T);
  for (let t = 0; t < T; t++) {
    const s = matrix[t * F] + 0.5 * matrix[t * F + 1] + 0.2 * (r() * 2 - 1);
    // Unbalanced classes: majority share about 40%.
    labels[t] = s < -0.9 ? 0 : s < -0.2 ? 1 : s < 0.6 ? 2 : 3;
  }
  return { matrix, labels };
}

/** Nearest-centroid classifier on the last step's features, written inline as the control model. */
function nearestCentroid(matrix: Float32Array, F: number, labels: ArrayLike<number>, train: Int32Array) {
  const cent = new Float64Array(4 * F);
  const cnt = new Float64Array(4);
  for (const t of train) {
    const c = labels[t];
    cnt[c]++;
    for (let f = 0; f < F; f++) cent[c * F + f] += matrix[t * F + f];
  }
  for (let c = 0; c < 4; c++) for (let f = 0; f < F; f++) cent[c * F + f] /= Math.max(1, cnt[c]);
  return (ends: Int32Array) => {
    const probs = new Float32Array(ends.length * 4);
    ends.forEach((t, i) => {
      const d = [0, 1, 2, 3].map((c) =>
        cnt[c] ? Math.hypot(...Array.from({ length: F }, (_, f) => matrix[t * F + f] - cent[c * F + f])) : Infinity,
      );
      const w = d.map((x) => Math.exp(-3 * x));
      const s = w.reduce((a, b) => a + b, 0);
      w.forEach((v, c) => (probs[i * 4 + c] = v / s));
    });
    return probs;
  };
}

describe("shuffled-label control", () => {
  it("permutes only the part's rows and keeps its class mix", () => {
    const labels = Int8Array.from([-1, 0, 1, 2, 3, 3, 3, -1, 2]);
    const ends = [1, 2, 3, 4, 5, 6];
    const out = permuteLabelsWithinPart(labels, ends, 42);
    expect(out).toBeInstanceOf(Int8Array);
    expect([out[0], out[7], out[8]]).toEqual([-1, -1, 2]);
    expect(ends.map((e) => out[e]).sort()).toEqual([0, 1, 2, 3, 3, 3]);
    expect(Array.from(labels)).toEqual([-1, 0, 1, 2, 3, 3, 3, -1, 2]); // input untouched
    expect(permuteLabelsWithinPart(labels, ends, 42)).toEqual(out); // seeded
  });

  it("a simple classifier learns real labels but scores only the majority baseline on shuffled ones", () => {
    const T = 3000;
    const F = 4;
    const { matrix, labels } = syntheticTask(T, F, 11);
    // Chronological parts with a purge gap, like the studio's split.
    const range = (a: number, b: number) => Int32Array.from({ length: b - a }, (_, i) => a + i);
    const split = { train: range(0, 2000), val: range(2010, 2400), test: range(2410, T) };
    const testLabels = Uint8Array.from(split.test, (t) => labels[t]);
    const trainLabels = Uint8Array.from(split.train, (t) => labels[t]);
    const majorityAcc = classificationMetrics(testLabels, majorityBaseline(trainLabels, testLabels.length)).accuracy;

    const real = classificationMetrics(testLabels, nearestCentroid(matrix, F, labels, split.train)(split.test));
    const shuffled = permuteLabelsPerPart(labels, split, 7);
    // The model trains on shuffled labels and is scored against the shuffled test labels.
    const shuffledTest = Uint8Array.from(split.test, (t) => shuffled[t]);
    const noise = classificationMetrics(shuffledTest, nearestCentroid(matrix, F, shuffled, split.train)(split.test));

    if (process.env.EVAL_VERBOSE)
      console.log({ majorityAcc, real: real.accuracy, noise: noise.accuracy, noiseBal: noise.balancedAccuracy });
    expect(majorityAcc).toBeGreaterThan(0.3);
    expect(majorityAcc).toBeLessThan(0.5);
    expect(real.accuracy).toBeGreaterThan(majorityAcc + 0.2);
    expect(noise.accuracy).toBeLessThan(majorityAcc + 0.05);
    expect(noise.balancedAccuracy).toBeLessThan(0.32); // chance is 0.25
  });
});
