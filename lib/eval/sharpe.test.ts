import { describe, expect, it } from "vitest";
import {
  annualSharpeToPerPeriod,
  deflatedSharpeRatio,
  expectedMaxSharpe,
  probabilisticSharpeRatio,
  returnMoments,
} from "./sharpe";

describe("probabilistic and deflated Sharpe ratio (Bailey & López de Prado)", () => {
  it("PSR, hand-computed", () => {
    // Normal returns: z = 0.1·√100 / √(1 + (3−1)/4·0.01) = 0.99751 → Φ = 0.84074
    expect(probabilisticSharpeRatio(0.1, 0, 101)).toBeCloseTo(0.840741, 5);
    // Skew −1, kurtosis 6: z = 0.15·√50 / √(1 + 0.2 + 1.25·0.04) = 0.94868 → Φ = 0.82861
    expect(probabilisticSharpeRatio(0.2, 0.05, 51, -1, 6)).toBeCloseTo(0.828609, 5);
    // A Sharpe equal to its benchmark is a coin toss.
    expect(probabilisticSharpeRatio(0.3, 0.3, 500, 0.5, 8)).toBeCloseTo(0.5, 12);
    expect(probabilisticSharpeRatio(0.1, 0, 1)).toBeNaN();
  });

  it("expected maximum Sharpe of N skill-less trials", () => {
    // (1−γ)Φ⁻¹(0.9) + γΦ⁻¹(1 − 1/(10e)) = 1.574598 for N = 10, unit variance
    expect(expectedMaxSharpe(10, 1)).toBeCloseTo(1.574598, 5);
    expect(expectedMaxSharpe(10, 4)).toBeCloseTo(2 * 1.574598, 5);
    expect(expectedMaxSharpe(1, 1)).toBe(0);
    expect(expectedMaxSharpe(100, 1)).toBeGreaterThan(expectedMaxSharpe(10, 1));
  });

  it("DSR: the paper's worked example gives 0.9004", () => {
    // Bailey & López de Prado (2014), section 6: 100 trials whose annualised Sharpes have
    // variance 1/2, the best at an annualised 2.5 over 5 years of daily returns (T = 1,250,
    // 250 a year), skewness −3, kurtosis 10. SR0 = √(0.5/250)·2.5306 = 0.11317 per day.
    const { dsr, benchmark } = deflatedSharpeRatio({
      sharpe: annualSharpeToPerPeriod(2.5, 250),
      n: 1250,
      skewness: -3,
      kurtosis: 10,
      trials: 100,
      trialSharpeVariance: 0.5 / 250,
    });
    expect(benchmark).toBeCloseTo(0.113172, 5);
    expect(dsr).toBeCloseTo(0.9004, 4);
  });

  it("moments of a return series (kurtosis not excess)", () => {
    const m = returnMoments([0.01, -0.02, 0.03, 0.005, -0.01, 0.04, -0.03, 0.02]);
    expect(m.mean).toBeCloseTo(0.005625, 12);
    expect(m.sd).toBeCloseTo(0.0244127455, 9);
    expect(m.sharpe).toBeCloseTo(0.005625 / 0.0244127455, 8);
    expect(m.skewness).toBeCloseTo(-0.0808155106, 8); // scipy.stats.skew
    expect(m.kurtosis).toBeCloseTo(1.789806001, 8); // scipy.stats.kurtosis(fisher=False)
    expect(returnMoments([0.01, 0.01, 0.01])).toMatchObject({ sharpe: 0, skewness: 0, kurtosis: 3 });
  });
});
