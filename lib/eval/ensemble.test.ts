import { describe, expect, it } from "vitest";
import {
  effectiveWeights,
  ensembleProbs,
  estimatedEnsembleAccuracy,
  GUIDE_ENSEMBLE_WEIGHTS,
  learnEnsembleWeights,
  simplexGrid,
} from "./ensemble";
import { logLoss } from "./metrics";
import { mulberry32 } from "./random";

function randomProbs(n: number, seed: number): Float32Array {
  const r = mulberry32(seed);
  const p = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < 4; c++) s += p[i * 4 + c] = r() + 0.01;
    for (let c = 0; c < 4; c++) p[i * 4 + c] /= s;
  }
  return p;
}

describe("ensemble", () => {
  it("averages with the guide's 50/30/20 weights", () => {
    const t = Float32Array.from([1, 0, 0, 0]);
    const l = Float32Array.from([0, 1, 0, 0]);
    const f = Float32Array.from([0, 0, 0.5, 0.5]);
    const { probs, weights } = ensembleProbs({ transformer: t, lstm: l, forest: f });
    expect(weights).toEqual({ transformer: 0.5, lstm: 0.3, forest: 0.2 });
    [0.5, 0.3, 0.1, 0.1].forEach((v, c) => expect(probs[c]).toBeCloseTo(v, 6));
  });
  it("renormalises the weights over the models present", () => {
    const t = Float32Array.from([1, 0, 0, 0]);
    const f = Float32Array.from([0, 0, 0, 1]);
    const { probs, weights } = ensembleProbs({ transformer: t, lstm: null, forest: f });
    expect(weights.transformer).toBeCloseTo(5 / 7, 12);
    expect(weights.forest).toBeCloseTo(2 / 7, 12);
    expect("lstm" in weights).toBe(false);
    expect(probs[0]).toBeCloseTo(5 / 7, 6);
    expect(probs[3]).toBeCloseTo(2 / 7, 6);
    expect(effectiveWeights({ a: 0 }, ["a", "b"])).toEqual({ a: 0.5, b: 0.5 });
  });
  it("output rows sum to 1, even from unnormalised inputs", () => {
    const a = randomProbs(50, 1);
    const b = randomProbs(50, 2).map((v) => v * 3);
    const { probs } = ensembleProbs({ transformer: a, lstm: b }, { transformer: 0.7, lstm: 0.3 });
    for (let i = 0; i < 50; i++)
      expect(probs[i * 4] + probs[i * 4 + 1] + probs[i * 4 + 2] + probs[i * 4 + 3]).toBeCloseTo(1, 5);
  });
  it("simplex grid enumerates every composition", () => {
    expect(simplexGrid(3, 20)).toHaveLength(231);
    expect(simplexGrid(2, 2)).toEqual([
      [0, 1],
      [0.5, 0.5],
      [1, 0],
    ]);
  });
  it("learns weights on validation that favour the informative model", () => {
    const n = 400;
    const r = mulberry32(7);
    const labels = new Uint8Array(n).map(() => Math.floor(r() * 4));
    // "good" puts 0.7 on the truth; "noise" is random.
    const good = new Float32Array(n * 4).fill(0.1);
    labels.forEach((c, i) => (good[i * 4 + c] = 0.7));
    const noise = randomProbs(n, 9);
    const learned = learnEnsembleWeights(labels, { transformer: noise, lstm: good, forest: undefined });
    expect(Object.keys(learned.weights).sort()).toEqual(["lstm", "transformer"]);
    expect(learned.weights.lstm).toBeGreaterThan(0.8);
    expect(learned.weights.lstm + learned.weights.transformer).toBeCloseTo(1, 12);
    // The search result is the true optimum of the grid and is consistent with logLoss().
    const { probs } = ensembleProbs({ transformer: noise, lstm: good }, learned.weights);
    expect(logLoss(labels, probs)).toBeCloseTo(learned.valLogLoss, 5);
    expect(learned.valLogLoss).toBeLessThanOrEqual(learned.guideValLogLoss);
  });
  it("the naive estimate is the weighted average of accuracies", () => {
    // The guide's own inputs: 0.5*68.5 + 0.3*64.2 + 0.2*61.8 = 34.25 + 19.26 + 12.36 = 65.87
    // (the guide prints 66.1%, which its own formula does not give).
    expect(estimatedEnsembleAccuracy({ transformer: 0.685, lstm: 0.642, forest: 0.618 })).toBeCloseTo(0.6587, 10);
    expect(estimatedEnsembleAccuracy({ transformer: 0.6, forest: 0.5, lstm: null })).toBeCloseTo(
      (0.5 * 0.6 + 0.2 * 0.5) / 0.7,
      12,
    );
    expect(GUIDE_ENSEMBLE_WEIGHTS.transformer).toBe(0.5);
  });
});
