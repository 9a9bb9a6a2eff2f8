/**
 * Writes model bundles for the independent consumer check (check_bundle.py): a dataset built from
 * the test market, the guide-sized Transformer and LSTM (seeded initial weights: the check is
 * about computing the same function, not about skill), and a trained forest, once with the
 * flattened-window view and once with the compact view. Goes through the studio's own export
 * path (lib/jobs/export/export-run runBundle over an in-memory IndexedDB).
 *
 *   npx tsx scripts/bundle-check/make-bundle.ts OUT_DIR
 */
import "fake-indexeddb/auto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { buildDataset } from "@/lib/core/build-dataset";
import { normalizedSource } from "@/lib/core/normalize";
import { fixtureMarket } from "@/test/market";
import { sampleSet } from "@/lib/core/windows";
import { getStudioDb, saveDataset, saveOutcome } from "@/lib/db";
import { datasetFingerprint } from "@/lib/export/hash";
import { buildModel } from "@/lib/models/build";
import { defaultConfig } from "@/lib/models/config";
import { predictProbaView, trainForest, windowTrainingSet } from "@/lib/models/forest";
import { predictProba } from "@/lib/models/predict";
import { modelToArtifacts } from "@/lib/models/serialize";
import { runBundle } from "@/lib/jobs/export/export-run";
import { summarizeRun } from "@/lib/run/summarize";
import type { ModelOutcome } from "@/lib/run/types";

async function main(): Promise<void> {
  const out = process.argv[2] ?? "bundle-check";
  mkdirSync(out, { recursive: true });
  await tf.setBackend("cpu");
  const ds = buildDataset({
    candles: fixtureMarket(4 * 24 * 120, 11).candles,
    symbol: "BTCUSDT",
    window: 120,
    createdAt: 0,
  });
  const db = getStudioDb();
  await saveDataset(db, ds);
  const source = normalizedSource(ds);
  const names = ds.features.map((f) => f.name);
  const sets = { val: ds.split.val, test: ds.split.test };
  const neural: ModelOutcome[] = [];
  for (const id of ["transformer", "lstm"] as const) {
    const model = buildModel(id, defaultConfig(id), ds.window, ds.features.length);
    const outcome: ModelOutcome = {
      id,
      params: {},
      valProbs: await predictProba(model, source, sets.val),
      testProbs: await predictProba(model, source, sets.test),
      seconds: 0,
    };
    neural.push(outcome);
    for (const view of ["flat", "compact"])
      await saveOutcome(db, view, outcome, { tfjs: await modelToArtifacts(model) }, { createdAt: 0 });
    model.dispose();
  }
  for (const view of ["flat", "compact"] as const) {
    const forest = trainForest(windowTrainingSet(source, names, sampleSet(ds.split.train, ds.labels), view, 4), {
      trees: 40,
      maxDepth: 12,
      seed: 3,
    });
    const outcome: ModelOutcome = {
      id: "forest",
      params: { view },
      valProbs: predictProbaView(forest, source, sets.val),
      testProbs: predictProbaView(forest, source, sets.test),
      seconds: 0,
    };
    await saveOutcome(db, view, outcome, { forest }, { createdAt: 0 });
    const evaluation = summarizeRun(ds, [...neural, outcome], {
      title: view,
      fingerprint: (await datasetFingerprint(ds)).value,
    });
    for (const float16 of [false, true]) {
      const bytes = await runBundle(view, ds.id, evaluation, { float16, onnx: true, tflite: true });
      const file = path.join(out, `bundle-${view}${float16 ? "-float16" : ""}.zip`);
      writeFileSync(file, bytes);
      console.log(JSON.stringify({ file, bytes: bytes.length, view, float16, testWindows: ds.split.test.length }));
    }
  }
}

void main();
