/**
 * Models for TFLite tests and the export benchmark: the studio's Transformer / LSTM at a given
 * size with seeded random weights everywhere (biases, norms and embeddings too, so every term of
 * the exported graph matters), random inputs and the studio's own probabilities for them
 * (tfjs predict). Call after selecting a tfjs backend.
 */
import * as tf from "@tensorflow/tfjs";
import { buildModel } from "@/lib/models/build";
import { defaultConfig, type LstmConfig, type NeuralModelKind, type TransformerConfig } from "@/lib/models/config";
import { modelToArtifacts } from "@/lib/models/serialize";
import type { ModelArtifactsData } from "@/lib/models/types";
import { mulberry32 } from "@/lib/core/random";

export const WINDOW = 120;
export const FEATURES = 42;

/**
 * Sizes: "small" (fast tests), "default" (the studio's defaults, lib/models/config.ts, which the
 * bundle check builds as the guide-sized models), "unpatched" (defaults with patch 1: one token /
 * one LSTM step per candle, as the guide's models read windows), "largest" (the widest settings
 * the forms allow: d_model 256 with 6 blocks, a 3-layer LSTM of 256 units).
 */
export type FixtureSize = "small" | "default" | "unpatched" | "largest";

const SIZES: Record<FixtureSize, { transformer: Partial<TransformerConfig>; lstm: Partial<LstmConfig> }> = {
  small: {
    transformer: { dModel: 16, heads: 4, blocks: 2, ff: 24, patch: 8 },
    lstm: { units: 12, layers: 2, patch: 4 },
  },
  default: { transformer: {}, lstm: {} },
  unpatched: { transformer: { patch: 1 }, lstm: { patch: 1 } },
  largest: { transformer: { dModel: 256, heads: 8, blocks: 6, ff: 1024 }, lstm: { units: 256, layers: 3 } },
};

export interface NeuralFixture {
  kind: NeuralModelKind;
  size: FixtureSize;
  artifacts: ModelArtifactsData;
  /** `cases` windows [cases, WINDOW, FEATURES], one after another. */
  inputs: Float32Array;
  cases: number;
  /** The studio's probabilities [cases, 4]. */
  expected: Float32Array;
}

export async function neuralFixture(
  kind: NeuralModelKind,
  size: FixtureSize,
  cases = 4,
  seed = 3,
): Promise<NeuralFixture> {
  const config = { ...defaultConfig(kind), ...SIZES[size][kind] } as TransformerConfig & LstmConfig;
  const model = buildModel(kind, config, WINDOW, FEATURES);
  const rnd = mulberry32(seed);
  // Scaled to each weight's fan-in so deep/wide models stay out of saturation and softmax stays informative.
  model.setWeights(
    model.getWeights().map((w) => {
      const scale = w.shape.length === 2 ? 1.5 / Math.sqrt(w.shape[0]) : 0.3;
      return tf.tensor(
        Float32Array.from({ length: w.size }, () => (rnd() - 0.5) * 2 * scale),
        w.shape,
      );
    }),
  );
  const inputs = Float32Array.from({ length: cases * WINDOW * FEATURES }, () => (rnd() - 0.5) * 4);
  const expected = tf.tidy(() =>
    (model.predict(tf.tensor3d(inputs, [cases, WINDOW, FEATURES])) as tf.Tensor).dataSync(),
  ) as Float32Array;
  const artifacts = await modelToArtifacts(model);
  model.dispose();
  return { kind, size, artifacts, inputs, cases, expected };
}
