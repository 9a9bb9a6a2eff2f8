import { CLASS_NAMES } from "@/lib/core/classes";
import type { ResultSummary, RunSummary } from "../lib/run/types";
import { guideEstimate, legacyVerdict } from "../lib/run/verdict";

import { mulberry32 } from "@/lib/core/random";

const INDICATORS = [
  "rsi",
  "macd",
  "macd_signal",
  "atr",
  "adx",
  "bb_width",
  "ema_ratio",
  "obv_slope",
  "stoch_k",
  "volume_z",
];

/**
 * A realistic run summary for tests and size measurements: 3 models with 100-epoch histories
 * (already down-sampled to 60), the ensemble, learned ensemble and 3 baselines, 50 importances, a
 * 200-point backtest, 95% intervals on every figure and a verdict shaped as the paired
 * bootstrap's (gaps from its results; intervals, levels and p-values invented). Values are noisy
 * (random), the worst case for compression.
 */
export function realisticRun(seed = 1): RunSummary {
  const rnd = mulberry32(seed);
  const confusion = () => CLASS_NAMES.map(() => CLASS_NAMES.map(() => Math.floor(rnd() * 900)));
  const around = (x: number, w: number): [number, number] => [x - w * (0.5 + rnd()), x + w * (0.5 + rnd())];
  const metrics = () => {
    const accuracy = 0.4 + rnd() * 0.3;
    const balancedAccuracy = 0.3 + rnd() * 0.3;
    const logLoss = 0.8 + rnd() * 0.6;
    return {
      accuracy,
      balancedAccuracy,
      macroF1: 0.3 + rnd() * 0.3,
      logLoss,
      precision: CLASS_NAMES.map(() => rnd()),
      recall: CLASS_NAMES.map(() => rnd()),
      ci95: {
        accuracy: around(accuracy, 0.02),
        balancedAccuracy: around(balancedAccuracy, 0.02),
        logLoss: around(logLoss, 0.05),
      },
    };
  };
  const curve = (epochs: number) => {
    const idx = Array.from({ length: Math.min(epochs, 60) }, (_, i) =>
      Math.round((i * (epochs - 1)) / (Math.min(epochs, 60) - 1)),
    );
    return {
      epoch: idx.map((i) => i + 1),
      loss: idx.map((i) => 1.38 * Math.exp(-i / 40) + 0.1 * rnd()),
      acc: idx.map((i) => 0.25 + 0.4 * (1 - Math.exp(-i / 30)) + 0.02 * rnd()),
      valLoss: idx.map((i) => 1.35 * Math.exp(-i / 50) + 0.15 * rnd()),
      valAcc: idx.map((i) => 0.25 + 0.3 * (1 - Math.exp(-i / 30)) + 0.03 * rnd()),
      bestEpoch: Math.floor(epochs * 0.7),
    };
  };
  const model = (id: string, label: string, epochs?: number): ResultSummary => ({
    id,
    label,
    kind: "model",
    metrics: metrics(),
    confusion: confusion(),
    ...(epochs ? { curve: curve(epochs) } : {}),
  });
  const results: ResultSummary[] = [
    model("transformer", "Transformer", 100),
    model("lstm", "LSTM", 100),
    model("forest", "Random Forest"),
    { ...model("ensemble", "Ensemble 50/30/20"), kind: "ensemble" },
    { ...model("ensemble-learned", "Ensemble (learned weights)"), kind: "ensemble" },
    {
      ...model("majority", "Majority class"),
      kind: "baseline",
      metrics: {
        ...metrics(),
        logLoss: null,
        ci95: { accuracy: [0.4, 0.45], balancedAccuracy: [0.25, 0.25], logLoss: null },
      },
    },
    { ...model("prior", "Class prior"), kind: "baseline" },
    {
      ...model("previous", "Previous label"),
      kind: "baseline",
      metrics: {
        ...metrics(),
        logLoss: null,
        ci95: { accuracy: [0.36, 0.41], balancedAccuracy: [0.25, 0.3], logLoss: null },
      },
    },
  ];
  const names: string[] = [];
  for (const tf of ["15m", "1h", "4h"])
    for (const ind of INDICATORS) names.push(`feat_${tf}_${ind}_t${100 + Math.floor(rnd() * 20)}`);
  while (names.length < 50) names.push(`feat_alt_sentiment_${names.length}_t119`);
  let v = 0.06;
  const importances = names.map((name) => ({ name, value: (v *= 0.93 + rnd() * 0.05) }));
  let eq = 1;
  let bh = 1;
  const equity: number[] = [];
  const buyHold: number[] = [];
  for (let i = 0; i < 200; i++) {
    eq *= 1 + (rnd() - 0.48) * 0.02;
    bh *= 1 + (rnd() - 0.49) * 0.03;
    equity.push(eq);
    buyHold.push(bh);
  }
  const start = Date.UTC(2022, 0, 1);
  const weights = [
    { model: "transformer", weight: 0.5 },
    { model: "lstm", weight: 0.3 },
    { model: "forest", weight: 0.2 },
  ];
  return {
    createdAt: Date.UTC(2026, 10, 25, 12, 0, 0),
    title: "BTCUSDT 1h, 2022-2024, default preset",
    synthetic: false,
    fingerprint: "0123456789abcdef",
    config: {
      symbol: "BTCUSDT",
      baseInterval: "1h",
      timeframes: ["15m", "1h", "4h"],
      start,
      end: Date.UTC(2024, 0, 1),
      window: 120,
      numFeatures: 42,
      samples: { train: 11_088, val: 2_376, test: 2_376 },
      labelSpec: { horizon: 4, strong: 0.015, weak: 0.005, weakZone: "sign", atrScaled: false },
      splitSpec: { train: 0.7, val: 0.15, test: 0.15, purge: 4, embargo: 120 },
      models: [
        {
          id: "transformer",
          params: {
            dModel: 64,
            heads: 4,
            layers: 2,
            ffDim: 128,
            dropout: 0.1,
            learningRate: 0.001,
            batchSize: 32,
            epochs: 100,
            patience: 10,
            seed: 42,
            classWeights: true,
          },
        },
        {
          id: "lstm",
          params: {
            units1: 128,
            units2: 64,
            dropout: 0.2,
            learningRate: 0.001,
            batchSize: 32,
            epochs: 100,
            patience: 10,
            seed: 42,
          },
        },
        {
          id: "forest",
          params: { trees: 200, maxDepth: 20, minSamplesLeaf: 5, maxFeatures: "sqrt", lastSteps: 1, seed: 42 },
        },
      ],
    },
    results,
    importances,
    importanceSource: "forest-impurity",
    backtest: {
      model: "ensemble",
      totalReturn: eq - 1,
      buyHoldReturn: bh - 1,
      sharpe: 1.23456,
      winRate: 0.53,
      maxDrawdown: 0.1834,
      profitFactor: 1.31,
      trades: 412,
      feeBps: 10,
      equity,
      buyHold,
      start: Date.UTC(2023, 8, 1),
      end: Date.UTC(2024, 0, 1),
      ci95: { totalReturn: around(eq - 1, 0.1), sharpe: around(1.23456, 0.9) },
      probabilisticSharpe: 0.871234,
    },
    ensemble: {
      weights,
      estimatedAccuracy: guideEstimate(results, weights),
      learned: [
        { model: "transformer", weight: 0.41 },
        { model: "lstm", weight: 0.22 },
        { model: "forest", weight: 0.37 },
      ],
    },
    verdict: legacyVerdict(results).map(({ noise: _noise, ...v }) => ({
      ...v,
      method: "paired-block-bootstrap" as const,
      blockLength: 61,
      resamples: 2000,
      rows: v.rows.map((r, i) => ({
        ...r,
        interval: around(r.gap, 0.03),
        level: 1 - 0.05 / (5 - i),
        pAdjusted: rnd(),
      })),
    })),
    uncertainty: { method: "stationary-block-bootstrap", blockLength: 61, resamples: 2000, seed: 12, alpha: 0.05 },
  };
}
