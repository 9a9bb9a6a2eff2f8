import type { SampleSet, WindowSource } from "@/lib/core/dataset";
import { mulberry32 } from "../lib/models/forest/rng";

/**
 * A learnable synthetic window source for tests and benches (not market data): F smooth AR(1)
 * series and 4 classes from a hidden rule on a few of them, some at lags, plus label noise.
 * Informative features: 0 and 5 at the last step, 10 at lag 10, 20 at lag 30.
 */
export interface SyntheticWindows {
  source: WindowSource;
  featureNames: string[];
  /** [T] class per row, -1 where the rule needs rows before the start. */
  labels: Int8Array;
  /** Indices of the features the rule reads. */
  informative: number[];
}

const INDICATORS = [
  "rsi",
  "macd",
  "macd_signal",
  "bb_position",
  "atr",
  "adx",
  "ema_ratio",
  "volume_ratio",
  "stoch_k",
  "obv_slope",
];

/** The guide-like 42 names: 10 indicators x (15m, 1h, 4h), 4 regimes, 8 alternative features. */
export function guideLikeFeatureNames(): string[] {
  const out: string[] = [];
  for (const tf of ["15m", "1h", "4h"]) for (const ind of INDICATORS) out.push(`${tf}_${ind}`);
  out.push("regime_trend_up", "regime_trend_down", "regime_range", "regime_volatile");
  out.push(
    "alt_funding_rate",
    "alt_fear_greed",
    "alt_sentiment_score",
    "alt_open_interest",
    "alt_long_short",
    "alt_exchange_flow",
    "alt_active_addresses",
    "alt_social_volume",
  );
  return out;
}

function gauss(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/**
 * @param rows T
 * @param features F (>= 21; names are guide-like for F = 42, generic otherwise)
 * @param noise label noise relative to the rule's spread (fraction of the rule's spread)
 */
export function syntheticWindows(rows: number, features = 42, window = 120, seed = 1, noise = 0.3): SyntheticWindows {
  if (features < 21) throw new Error("syntheticWindows: needs at least 21 features");
  const rng = mulberry32(seed);
  const matrix = new Float32Array(rows * features);
  for (let f = 0; f < features; f++) {
    const phi = 0.8 + (0.19 * ((f * 7) % 10)) / 10;
    const s = Math.sqrt(1 - phi * phi);
    let v = gauss(rng);
    for (let t = 0; t < rows; t++) {
      v = phi * v + s * gauss(rng);
      matrix[t * features + f] = v;
    }
  }
  const x = (t: number, f: number) => matrix[t * features + f];
  const score = new Float64Array(rows).fill(NaN);
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (let t = 30; t < rows; t++) {
    const r = 1.2 * x(t, 0) + 0.8 * x(t, 5) + 0.6 * x(t - 10, 10) + 0.5 * x(t - 30, 20);
    score[t] = r;
    sum += r;
    sq += r * r;
    n++;
  }
  const sd = Math.sqrt(sq / n - (sum / n) ** 2);
  const labels = new Int8Array(rows).fill(-1);
  for (let t = 30; t < rows; t++) {
    const z = score[t] / sd + noise * gauss(rng);
    labels[t] = z < -1 ? 0 : z < 0 ? 1 : z < 1 ? 2 : 3;
  }
  const featureNames = features === 42 ? guideLikeFeatureNames() : Array.from({ length: features }, (_, f) => `f${f}`);
  return { source: { matrix, rows, features, window }, featureNames, labels, informative: [0, 5, 10, 20] };
}

/**
 * Chronological train/test windows: ends in the first `trainFraction` of rows train, the rest
 * (after a gap of `window` rows so no test window overlaps a training one) test.
 */
export function splitWindowsAt(sw: SyntheticWindows, trainFraction = 0.7): { train: SampleSet; test: SampleSet } {
  const { rows, window } = sw.source;
  const cut = Math.floor(rows * trainFraction);
  const pick = (lo: number, hi: number): SampleSet => {
    const ends: number[] = [];
    for (let t = Math.max(lo, window - 1); t < hi; t++) if (sw.labels[t] >= 0) ends.push(t);
    return { ends: Int32Array.from(ends), labels: Uint8Array.from(ends, (t) => sw.labels[t]) };
  };
  return { train: pick(0, cut), test: pick(cut + window, rows) };
}
