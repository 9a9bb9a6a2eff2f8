/**
 * Is a backtest's Sharpe ratio real? Bailey & López de Prado:
 * - Probabilistic Sharpe ratio (2012): the probability that the true Sharpe exceeds a benchmark
 *   SR*, given the observed per-period Sharpe SR over T returns with skewness γ3 and kurtosis γ4
 *   (not excess): PSR(SR*) = Φ((SR − SR*)√(T − 1) / √(1 − γ3·SR + (γ4 − 1)/4·SR²)).
 * - Deflated Sharpe ratio (2014): the PSR against the Sharpe the best of N skill-less trials
 *   would show by luck, SR0 = √V · ((1 − γ)Φ⁻¹(1 − 1/N) + γΦ⁻¹(1 − 1/(N e))), V the variance of
 *   the trials' Sharpes, γ the Euler–Mascheroni constant.
 * Every Sharpe here is per period (not annualised): divide an annualised one by √(periods per
 * year) first (annualSharpeToPerPeriod), and its variance by the periods per year.
 */
import { normalCdf, normalQuantile } from "./normal";

const EULER_MASCHERONI = 0.5772156649015329;

/** Moments of a return series: sample mean and standard deviation, skewness and kurtosis (not excess; normal = 3). */
export interface ReturnMoments {
  n: number;
  mean: number;
  sd: number;
  /** Per-period Sharpe: mean / sd (0 when sd is 0). */
  sharpe: number;
  skewness: number;
  kurtosis: number;
}

/** Moments of `returns` [n]: sd with n − 1; skewness and kurtosis as the paper's (population) moment ratios. */
export function returnMoments(returns: ArrayLike<number>): ReturnMoments {
  const n = returns.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += returns[i];
  mean = n > 0 ? mean / n : NaN;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = returns[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const sd = n > 1 ? Math.sqrt(m2 / (n - 1)) : NaN;
  const pop2 = m2 / n;
  const flat = !(pop2 > 1e-30);
  return {
    n,
    mean,
    sd,
    sharpe: flat || !(sd > 0) ? 0 : mean / sd,
    skewness: flat ? 0 : m3 / n / pop2 ** 1.5,
    kurtosis: flat ? 3 : m4 / n / (pop2 * pop2),
  };
}

/** An annualised Sharpe as a per-period one. */
export function annualSharpeToPerPeriod(annualSharpe: number, periodsPerYear: number): number {
  return annualSharpe / Math.sqrt(periodsPerYear);
}

/**
 * PSR(SR*): probability (0..1) that the true per-period Sharpe exceeds `benchmark`.
 * @param sharpe observed per-period Sharpe of `n` returns
 * @param kurtosis not excess (3 for normal returns)
 * @returns NaN when n < 2 or the variance term is not positive (e.g. extreme skew with a large SR)
 */
export function probabilisticSharpeRatio(
  sharpe: number,
  benchmark: number,
  n: number,
  skewness = 0,
  kurtosis = 3,
): number {
  const v = 1 - skewness * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe;
  if (!(n >= 2) || !(v > 0)) return NaN;
  return normalCdf(((sharpe - benchmark) * Math.sqrt(n - 1)) / Math.sqrt(v));
}

/**
 * Expected maximum Sharpe of `trials` independent skill-less trials whose Sharpes have
 * variance `variance` (and mean `mean`, 0 under no skill). One trial: the mean itself.
 */
export function expectedMaxSharpe(trials: number, variance: number, mean = 0): number {
  if (!(trials >= 1) || !(variance >= 0)) return NaN;
  if (trials === 1) return mean;
  const z =
    (1 - EULER_MASCHERONI) * normalQuantile(1 - 1 / trials) +
    EULER_MASCHERONI * normalQuantile(1 - 1 / (trials * Math.E));
  return mean + Math.sqrt(variance) * z;
}

export interface DeflatedSharpeInput {
  /** Per-period Sharpe of the chosen configuration. */
  sharpe: number;
  /** Returns it was measured on. */
  n: number;
  skewness: number;
  /** Not excess. */
  kurtosis: number;
  /** Configurations evaluated on the same span (the trial count). */
  trials: number;
  /** Variance of the trials' per-period Sharpes. */
  trialSharpeVariance: number;
}

/** DSR (0..1): the PSR against the expected maximum Sharpe of the trials; also returns that benchmark SR0. */
export function deflatedSharpeRatio(x: DeflatedSharpeInput): { dsr: number; benchmark: number } {
  const benchmark = expectedMaxSharpe(x.trials, x.trialSharpeVariance);
  return { dsr: probabilisticSharpeRatio(x.sharpe, benchmark, x.n, x.skewness, x.kurtosis), benchmark };
}
