/**
 * A small bundle input for tests (8-step windows of 5 features, tiny models with their real
 * golden probabilities). Call after selecting a tfjs backend.
 */
import * as tf from "@tensorflow/tfjs";
import type { FeatureSpec } from "@/lib/core/dataset";
import { defaultSplitSpec } from "@/lib/core/splits";
import { datasetFingerprint, type FingerprintedDataset } from "@/lib/export/hash";
import { buildModel } from "@/lib/models/build";
import { defaultConfig } from "@/lib/models/config";
import { modelToArtifacts } from "@/lib/models/serialize";
import { randomForest } from "./random-forest";
import { forestProba } from "../lib/export/forest-proba";
import { mulberry32 } from "../lib/core/random";
import type { BundleDataset, BundleInput } from "../lib/export/bundle/build";
import { makeGoldenCases, pickGoldenEnds } from "../lib/export/bundle/golden";

export const W = 8;
export const F = 5;
export const ROWS = 80;

export function dataset(): BundleDataset {
  const rnd = mulberry32(1);
  const matrix = Float32Array.from({ length: ROWS * F }, () => rnd() * 10 - 3);
  const mean = new Float32Array(F);
  const std = new Float32Array(F);
  for (let f = 0; f < F; f++) {
    let s = 0;
    let q = 0;
    for (let t = 0; t < ROWS; t++) {
      s += matrix[t * F + f];
      q += matrix[t * F + f] ** 2;
    }
    mean[f] = s / ROWS;
    std[f] = Math.sqrt(q / ROWS - (s / ROWS) ** 2);
  }
  const features: FeatureSpec[] = Array.from({ length: F }, (_, f) => ({
    name: `1h_f${f}`,
    timeframe: "1h",
    indicator: "rsi",
    params: { period: 14 + f },
  }));
  return {
    symbol: "BTCUSDT",
    synthetic: true,
    baseInterval: "1h",
    timeframes: ["15m", "1h", "4h"],
    features,
    fallbackFeatures: ["1h_f4"],
    labelSpec: { horizon: 4, strong: 0.015, weak: 0.005, weakZone: "sign", atrScaled: false },
    window: W,
    rows: ROWS,
    matrix,
    labels: Int8Array.from({ length: ROWS }, () => Math.floor(rnd() * 4)),
    normalization: { mean, std },
  };
}

/** The fixture's dataset as fingerprinted: it has no split of its own, so an empty one. */
export function withEmptySplit(d: BundleDataset): FingerprintedDataset {
  return {
    ...d,
    split: { train: new Int32Array(0), val: new Int32Array(0), test: new Int32Array(0) },
    splitSpec: defaultSplitSpec(d.labelSpec.horizon, W),
  };
}

export const metrics = {
  accuracy: 0.5,
  balancedAccuracy: 0.4,
  macroF1: 0.38,
  logLoss: 1.2,
  precision: [0.1, 0.2, 0.3, 0.4],
  recall: [0.4, 0.3, 0.2, 0.1],
};

export async function bundleFixture(): Promise<{
  input: BundleInput;
  transformer: tf.LayersModel;
  lstm: tf.LayersModel;
  times: Float64Array;
  closes: Float64Array;
}> {
  const times = Float64Array.from({ length: ROWS }, (_, t) => Date.UTC(2024, 0, 1) + t * 3_600_000);
  const closes = Float64Array.from({ length: ROWS }, (_, t) => 40_000 + t);
  const d = dataset();
  const transformer = buildModel(
    "transformer",
    { ...defaultConfig("transformer"), dModel: 8, heads: 2, blocks: 1, ff: 8, patch: 4 },
    W,
    F,
  );
  const lstm = buildModel("lstm", { ...defaultConfig("lstm"), units: 6, layers: 1, patch: 2 }, W, F);
  const forest = {
    ...randomForest(mulberry32(2), { trees: 7, depth: 5, features: W * F, classes: 4 }),
    view: { kind: "flat" as const, window: W, features: F },
  };
  const ends = pickGoldenEnds(
    Int32Array.from({ length: ROWS - W + 1 }, (_, i) => i + W - 1),
    12,
  );
  // Normalised windows exactly as the consumer will compute them from golden.json.
  const norm = new Float32Array(ends.length * W * F);
  ends.forEach((t, i) => {
    for (let s = 0; s < W; s++)
      for (let f = 0; f < F; f++)
        norm[i * W * F + s * F + f] =
          (d.matrix[(t - W + 1 + s) * F + f] - d.normalization.mean[f]) / d.normalization.std[f];
  });
  const x = tf.tensor3d(norm, [ends.length, W, F]);
  const probabilities = {
    transformer: (transformer.predict(x) as tf.Tensor).dataSync() as Float32Array,
    lstm: (lstm.predict(x) as tf.Tensor).dataSync() as Float32Array,
    forest: forestProba(forest, norm, ends.length),
  };
  const weights = { transformer: 0.5, lstm: 0.3, forest: 0.2 };
  const golden = makeGoldenCases({
    dataset: { ...d, features: d.features, times, closes },
    ends,
    probabilities,
    weights,
    candlesFor: (t) => ({
      "1h": {
        openTime: Float64Array.of(times[t]),
        open: Float64Array.of(1),
        high: Float64Array.of(2),
        low: Float64Array.of(0.5),
        close: Float64Array.of(closes[t]),
        volume: Float64Array.of(10),
        quoteVolume: Float64Array.of(0),
        trades: Float64Array.of(0),
        takerBuyBase: Float64Array.of(NaN),
      },
    }),
  });
  const input: BundleInput = {
    dataset: d,
    fingerprint: await datasetFingerprint(withEmptySplit(d)),
    transformer: { artifacts: await modelToArtifacts(transformer), params: { dModel: 8, heads: 2 } },
    lstm: { artifacts: await modelToArtifacts(lstm), params: { units: 6 } },
    forest: { model: forest, params: { trees: 7 } },
    ensemble: { weights: Object.entries(weights).map(([model, weight]) => ({ model, weight })) },
    metrics: { transformer: metrics, ensemble: metrics },
    golden,
    createdAt: Date.UTC(2026, 0, 1),
  };
  return { input, transformer, lstm, times, closes };
}
