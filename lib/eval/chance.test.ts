import { describe, expect, it } from "vitest";
import { againstChance, chanceLevel, combinedChanceVerdict } from "./chance";
import { confusionMatrix } from "./confusion";
import { classificationMetrics } from "./metrics";
import { mulberry32 } from "./random";

/** Draws `n` classes from the mix `p` (cumulative inversion). */
function draw(p: number[], n: number, rnd: () => number): Uint8Array {
  return Uint8Array.from({ length: n }, () => {
    let u = rnd();
    for (let c = 0; c < p.length - 1; c++) if ((u -= p[c]) < 0) return c;
    return p.length - 1;
  });
}

const oneHot = (cls: Uint8Array) => {
  const probs = new Float32Array(cls.length * 4);
  cls.forEach((c, i) => (probs[i * 4 + c] = 1));
  return probs;
};

describe("chanceLevel", () => {
  it("is Σ p_pred·p_true and the mean predicted share over the classes present", () => {
    // 10 samples: true mix 5/3/2/0, predicted mix 4/4/1/1.
    const cm = [
      [2, 2, 1, 0],
      [1, 1, 0, 1],
      [1, 1, 0, 0],
      [0, 0, 0, 0],
    ];
    const c = chanceLevel(cm);
    expect(c.accuracy).toBeCloseTo(0.4 * 0.5 + 0.4 * 0.3 + 0.1 * 0.2 + 0.1 * 0, 12);
    // Class 3 is absent from the truth: the mean over classes 0..2 of the predicted shares.
    expect(c.balancedAccuracy).toBeCloseTo((0.4 + 0.4 + 0.1) / 3, 12);
    expect(
      Number.isNaN(
        chanceLevel([
          [0, 0],
          [0, 0],
        ]).accuracy,
      ),
    ).toBe(true);
  });

  it("depends on the prediction mix: the majority scores max p, the class mix Σ p²", () => {
    const p = [0.5, 0.3, 0.15, 0.05];
    const truth = draw(p, 4000, mulberry32(3));
    const shares = [0, 1, 2, 3].map((c) => truth.filter((y) => y === c).length / truth.length);
    const majority = chanceLevel(confusionMatrix(truth, new Uint8Array(truth.length)));
    expect(majority.accuracy).toBeCloseTo(shares[0], 12);
    expect(majority.balancedAccuracy).toBeCloseTo(0.25, 12);
    const mix = draw(p, truth.length, mulberry32(4));
    const predictedShares = [0, 1, 2, 3].map((c) => mix.filter((y) => y === c).length / mix.length);
    expect(chanceLevel(confusionMatrix(truth, mix)).accuracy).toBeCloseTo(
      predictedShares.reduce((a, q, c) => a + q * shares[c], 0),
      12,
    );
  });

  it("is what a predictor independent of the labels scores, on average over many draws", () => {
    // The prediction mix differs from the true mix, so the majority share would be the wrong yardstick.
    const p = [0.1, 0.4, 0.4, 0.1];
    const q = [0.25, 0.25, 0.25, 0.25];
    const rnd = mulberry32(9);
    let acc = 0;
    let bal = 0;
    let chanceAcc = 0;
    let chanceBal = 0;
    const draws = 200;
    for (let d = 0; d < draws; d++) {
      const truth = draw(p, 500, rnd);
      const pred = draw(q, 500, rnd);
      const m = classificationMetrics(truth, oneHot(pred));
      const c = chanceLevel(m.confusion);
      acc += m.accuracy / draws;
      bal += m.balancedAccuracy / draws;
      chanceAcc += c.accuracy / draws;
      chanceBal += c.balancedAccuracy / draws;
    }
    // Each draw's accuracy has a standard error of about 0.02; 200 draws: about 0.0015.
    expect(Math.abs(acc - chanceAcc)).toBeLessThan(0.005);
    expect(Math.abs(bal - chanceBal)).toBeLessThan(0.005);
    expect(chanceAcc).toBeCloseTo(0.25, 1);
    // Far from the majority share (0.4): the yardstick the control used to be compared with.
    expect(Math.abs(chanceAcc - 0.4)).toBeGreaterThan(0.1);
  });
});

describe("againstChance", () => {
  it("says where the interval lies", () => {
    expect(againstChance([0.2, 0.3], 0.25)).toBe("consistent");
    expect(againstChance([0.26, 0.3], 0.25)).toBe("above");
    expect(againstChance([0.2, 0.24], 0.25)).toBe("below");
    expect(againstChance(null, 0.25)).toBe("unknown");
    expect(againstChance([NaN, 0.3], 0.25)).toBe("unknown");
    expect(againstChance([0.2, 0.3], NaN)).toBe("unknown");
  });
  it("combines: a leak in either figure flags the result", () => {
    expect(combinedChanceVerdict(["consistent", "above"])).toBe("above");
    expect(combinedChanceVerdict(["below", "unknown"])).toBe("below");
    expect(combinedChanceVerdict(["consistent", "unknown"])).toBe("unknown");
    expect(combinedChanceVerdict(["consistent", "consistent"])).toBe("consistent");
  });
});
