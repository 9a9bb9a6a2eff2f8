/**
 * Paired comparison of two models on the same candles: the exact McNemar test on correctness.
 * Only discordant candles carry information (one model right, the other wrong); under "equally
 * good" each discordant candle is a fair coin, so the count won by the challenger is
 * Binomial(b + c, 1/2). Exact rather than chi-squared because a stage's record is small (a
 * hundred outcomes may hold only a dozen discordant pairs, where the chi-squared approximation
 * is poor).
 */

export interface PairedCounts {
  /** Candles where the challenger was right and the champion wrong. */
  challengerOnly: number;
  /** Candles where the champion was right and the challenger wrong. */
  championOnly: number;
  /** Candles both got right. */
  bothRight: number;
  /** Candles both got wrong. */
  bothWrong: number;
}

export interface McNemarResult extends PairedCounts {
  /** Paired candles (all four cells). */
  n: number;
  /** One-sided exact p-value for "the challenger is better" (P[X >= challengerOnly]). */
  pChallengerBetter: number;
  /** One-sided exact p-value for "the challenger is worse" (P[X <= challengerOnly]). */
  pChallengerWorse: number;
}

/** Counts of the 2x2 paired table from per-candle correctness (same candles, same order). */
export function pairedCounts(championCorrect: readonly boolean[], challengerCorrect: readonly boolean[]): PairedCounts {
  if (championCorrect.length !== challengerCorrect.length)
    throw new Error(
      `paired test needs the same candles: champion has ${championCorrect.length}, challenger ${challengerCorrect.length}`,
    );
  const out: PairedCounts = { challengerOnly: 0, championOnly: 0, bothRight: 0, bothWrong: 0 };
  for (let i = 0; i < championCorrect.length; i++) {
    const a = championCorrect[i];
    const b = challengerCorrect[i];
    if (a && b) out.bothRight++;
    else if (b) out.challengerOnly++;
    else if (a) out.championOnly++;
    else out.bothWrong++;
  }
  return out;
}

/** P[X >= x] for X ~ Binomial(n, 1/2), summed in log space so n in the thousands stays exact enough. */
export function binomialHalfUpperTail(x: number, n: number): number {
  if (x <= 0) return 1;
  if (x > n) return 0;
  // log C(n, k) accumulated from k = n downwards; terms are added relative to the largest.
  const logs: number[] = [];
  let logC = 0; // log C(n, n)
  for (let k = n; k >= x; k--) {
    logs.push(logC - n * Math.LN2);
    logC += Math.log(k) - Math.log(n - k + 1); // C(n, k-1) = C(n, k) * k / (n - k + 1)
  }
  const m = Math.max(...logs);
  let s = 0;
  for (const l of logs) s += Math.exp(l - m);
  return Math.min(1, Math.exp(m) * s);
}

/** Exact one-sided McNemar p-values in both directions from the paired table. */
export function mcnemarExact(counts: PairedCounts): McNemarResult {
  const d = counts.challengerOnly + counts.championOnly;
  return {
    ...counts,
    n: counts.challengerOnly + counts.championOnly + counts.bothRight + counts.bothWrong,
    pChallengerBetter: binomialHalfUpperTail(counts.challengerOnly, d),
    pChallengerWorse: binomialHalfUpperTail(counts.championOnly, d),
  };
}
