/**
 * Test helpers for lib/run: the bundle predictors run in-process (the app runs them in its
 * workers, lib/jobs/export/bundle-predictors.ts), and a finished run stored in IndexedDB
 * (import "fake-indexeddb/auto" first in Node).
 */
import * as tf from "@tensorflow/tfjs";
import { buildDataset } from "@/lib/core/build-dataset";
import type { Dataset } from "@/lib/core/dataset";
import { normalizedSource } from "@/lib/core/normalize";
import { mulberry32 } from "@/lib/core/random";
import { fixtureMarket } from "@/test/market";
import { getStudioDb, saveDataset, saveEvaluation, saveOutcome } from "@/lib/db";
import { randomForest } from "@/test/random-forest";
import { datasetFingerprint } from "@/lib/export/hash";
import { buildModel } from "@/lib/models/build";
import { defaultConfig } from "@/lib/models/config";
import { predictProbaView } from "@/lib/models/forest";
import { predictProba } from "@/lib/models/predict";
import { modelFromArtifacts, modelToArtifacts } from "@/lib/models/serialize";
import type { BundlePredictors } from "../lib/jobs/export/import-bundle";
import { summarizeRun } from "../lib/run/summarize";
import type { ModelOutcome, RunEvaluation } from "../lib/run/types";

export const inProcessPredictors: BundlePredictors = {
  tfjs: async (artifacts, source, sets) => {
    const model = await modelFromArtifacts(artifacts);
    try {
      const out: Record<string, Float32Array> = {};
      for (const [k, ends] of Object.entries(sets)) out[k] = await predictProba(model, source, ends);
      return out;
    } finally {
      model.dispose();
    }
  },
  forest: async (model, source, sets) =>
    Object.fromEntries(Object.entries(sets).map(([k, ends]) => [k, predictProbaView(model, source, ends)])),
};

/**
 * A finished run `runId` in the studio's IndexedDB: a dataset from the test market (window 24),
 * a small Transformer and LSTM (seeded, untrained: the tests are about plumbing, not skill), a
 * random forest, their test predictions and the evaluation. Selects the CPU backend.
 */
export async function storeRunFixture(
  runId: string,
  /** A dataset already stored (default: one built here from the test market and stored). */
  stored?: Dataset,
): Promise<{ dataset: Dataset; evaluation: RunEvaluation; outcomes: ModelOutcome[] }> {
  await tf.setBackend("cpu");
  const dataset =
    stored ??
    buildDataset({
      candles: fixtureMarket(4 * 24 * 40, 3).candles,
      symbol: "T",
      window: 24,
      createdAt: 0,
    });
  const W = dataset.window;
  const F = dataset.features.length;
  const db = getStudioDb();
  if (!stored) await saveDataset(db, dataset);
  const source = normalizedSource(dataset);
  const sets = { val: dataset.split.val, test: dataset.split.test };
  const transformer = buildModel(
    "transformer",
    { ...defaultConfig("transformer"), dModel: 8, heads: 2, blocks: 1, ff: 8, patch: 4 },
    W,
    F,
  );
  const lstm = buildModel("lstm", { ...defaultConfig("lstm"), units: 6, layers: 1, patch: 4 }, W, F);
  const forest = {
    ...randomForest(mulberry32(2), { trees: 6, depth: 5, features: W * F, classes: 4 }),
    view: { kind: "flat" as const, window: W, features: F },
  };
  const outcomes: ModelOutcome[] = [];
  for (const [id, model] of [
    ["transformer", transformer],
    ["lstm", lstm],
  ] as const) {
    const outcome: ModelOutcome = {
      id,
      params: {},
      valProbs: await predictProba(model, source, sets.val),
      testProbs: await predictProba(model, source, sets.test),
      seconds: 1,
    };
    await saveOutcome(db, runId, outcome, { tfjs: await modelToArtifacts(model) }, { createdAt: 0 });
    outcomes.push(outcome);
    model.dispose();
  }
  const forestOutcome: ModelOutcome = {
    id: "forest",
    params: {},
    valProbs: predictProbaView(forest, source, sets.val),
    testProbs: predictProbaView(forest, source, sets.test),
    seconds: 1,
  };
  await saveOutcome(db, runId, forestOutcome, { forest }, { createdAt: 0 });
  outcomes.push(forestOutcome);
  const evaluation = summarizeRun(dataset, outcomes, {
    title: "fixture run",
    fingerprint: (await datasetFingerprint(dataset)).value,
    createdAt: 1,
  });
  await saveEvaluation(
    db,
    {
      id: runId,
      name: "fixture run",
      datasetId: dataset.id,
      status: "done",
      createdAt: 1,
      config: { datasetId: dataset.id, backend: "cpu" },
    },
    evaluation,
  );
  return { dataset, evaluation, outcomes };
}
