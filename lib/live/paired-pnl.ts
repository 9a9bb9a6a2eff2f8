/**
 * Paired P&L of challenger and champion on the same candles: the mean per-signal P&L gap
 * (challenger − champion, after fees, per unit of base size) with a stationary block bootstrap
 * interval. McNemar (paired-test.ts) decides the ramp on correctness; this says what the gap is
 * worth in money. Consecutive signals overlap by horizon − 1 candles, so their P&L is serially
 * dependent: blocks are never shorter than the horizon (the same rule as the Results page's
 * intervals, lib/eval/bootstrap.ts), and the resampling is seeded so a summary reads the same
 * each time.
 */
import { mulberry32 } from "../core/random";
import { blockLengthFor, bootstrapPValue, percentileInterval, stationaryBlocks } from "../eval/bootstrap";

export interface PairedPnl {
  /** Candles both models have an outcome for. */
  n: number;
  /** Mean of challenger − champion P&L per signal. */
  meanGap: number;
  /** 95% stationary block bootstrap interval of the mean gap ([NaN, NaN] under 2 candles). */
  interval: [number, number];
  /** Two-sided bootstrap p-value of "no gap". */
  p: number;
  /** Mean block length used (candles). */
  block: number;
}

/**
 * @param gaps challenger − champion P&L per paired candle, in candle order
 * @param horizon label horizon in candles (the shortest block)
 */
export function pairedPnl(gaps: readonly number[], horizon: number, replicates = 2000, seed = 7): PairedPnl {
  const n = gaps.length;
  const meanGap = n ? gaps.reduce((a, b) => a + b, 0) / n : NaN;
  if (n < 2) return { n, meanGap, interval: [NaN, NaN], p: 1, block: 1 };
  const block = blockLengthFor([gaps], horizon);
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + gaps[i];
  const rand = mulberry32(seed);
  const means = new Float64Array(replicates);
  for (let r = 0; r < replicates; r++) {
    let sum = 0;
    stationaryBlocks(n, block, rand, (from, to) => (sum += prefix[to] - prefix[from]));
    means[r] = sum / n;
  }
  // The same p as the Results page's paired gaps: twice the smaller share on either side of zero.
  const p = bootstrapPValue(means);
  return { n, meanGap, interval: percentileInterval(means), p, block };
}
