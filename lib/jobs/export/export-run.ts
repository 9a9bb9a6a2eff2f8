/**
 * Exports of a finished run, read from storage: the model bundle (tfjs + forest + manifest +
 * golden vectors, optionally ONNX, TFLite and float16), single ONNX and TFLite files, the
 * per-sample predictions (CSV and .npz), and the text downloads.
 */
import type { Dataset } from "@/lib/core/dataset";
import { getStudioDb, listOutcomes, loadDataset, type SavedModel } from "@/lib/db";
import { buildBundle } from "@/lib/export/bundle/build";
import { datasetFingerprint } from "@/lib/export/hash";
import { tableCsv, tableNpzBytes } from "@/lib/export/columns";
import { predictionsTable } from "@/lib/export/predictions";
import { makeGoldenCases, pickGoldenEnds } from "@/lib/export/bundle/golden";
import { forestToOnnx } from "@/lib/export/onnx/forest";
import { lstmToOnnx } from "@/lib/export/onnx/lstm";
import { transformerToOnnx } from "@/lib/export/onnx/transformer";
import { lstmToTflite } from "@/lib/export/tflite/lstm";
import { transformerToTflite } from "@/lib/export/tflite/transformer";
import type { BundleMetrics } from "@/lib/export/bundle/manifest";
import { featureImportanceCsv } from "@/lib/models/forest";
import { storedReport } from "../dataset/build-from-store";
import type { RunEvaluation } from "../../run/types";

interface RunModels {
  dataset: Dataset;
  models: SavedModel[];
}

async function runModels(
  datasetId: string,
  runId: string,
  without = "models can't be exported with their golden vectors",
): Promise<RunModels> {
  const db = getStudioDb();
  const dataset = await loadDataset(db, datasetId);
  if (!dataset) throw new Error(`The run's dataset is no longer stored in this browser: ${without}.`);
  return { dataset, models: await listOutcomes(db, runId) };
}

/** The model bundle ZIP of a run. */
export async function runBundle(
  runId: string,
  datasetId: string,
  evaluation: RunEvaluation,
  opts: { float16: boolean; onnx: boolean; tflite?: boolean },
): Promise<Uint8Array> {
  const { dataset, models } = await runModels(datasetId, runId);
  const byId: Partial<Record<string, SavedModel>> = Object.fromEntries(models.map((m) => [m.outcome.id, m]));
  // Golden cases: test windows spread over the period, with each model's real probabilities.
  const testEnds = Array.from(dataset.split.test);
  const ends = pickGoldenEnds(testEnds, 32);
  const index = new Map(testEnds.map((t, i) => [t, i]));
  const probabilities: Record<string, Float32Array> = {};
  for (const { outcome: o } of models) {
    const p = new Float32Array(ends.length * 4);
    ends.forEach((t, k) => p.set(o.testProbs.subarray(index.get(t)! * 4, index.get(t)! * 4 + 4), k * 4));
    probabilities[o.id] = p;
  }
  const weights = Object.fromEntries(evaluation.summary.ensemble.weights.map((w) => [w.model, w.weight]));
  const metrics: Record<string, BundleMetrics> = Object.fromEntries(
    evaluation.summary.results.filter((r) => r.kind !== "baseline").map((r) => [r.id, r.metrics]),
  );
  const { transformer, lstm, forest } = byId;
  const { weights: fixed, learned } = evaluation.summary.ensemble;
  return buildBundle({
    dataset,
    fingerprint: await datasetFingerprint(dataset),
    transformer: transformer?.tfjs ? { artifacts: transformer.tfjs, params: transformer.outcome.params } : undefined,
    lstm: lstm?.tfjs ? { artifacts: lstm.tfjs, params: lstm.outcome.params } : undefined,
    forest: forest?.forest ? { model: forest.forest, params: forest.outcome.params } : undefined,
    ensemble: { weights: fixed, ...(learned ? { learned } : {}) },
    metrics,
    golden: makeGoldenCases({ dataset, ends, probabilities, weights }),
    float16: opts.float16,
    onnx: opts.onnx,
    tflite: opts.tflite,
  });
}

/** One model as ONNX (input: the normalised window [N, W, F]; output: probabilities [N, 4]). */
export async function runOnnx(runId: string, datasetId: string, modelId: string): Promise<Uint8Array> {
  const { models } = await runModels(datasetId, runId);
  const m = models.find((x) => x.outcome.id === modelId);
  if (!m) throw new Error(`No stored ${modelId} model in this run.`);
  if (m.forest) return forestToOnnx(m.forest, { windowInput: true });
  if (!m.tfjs) throw new Error(`The stored ${modelId} model has no weights.`);
  if (modelId === "transformer") return transformerToOnnx(m.tfjs);
  return lstmToOnnx(m.tfjs);
}

/**
 * One neural model as TFLite for the MyTradeMate app (input "window" [1, W, F] float32 of
 * normalised features, output "probabilities" [1, 4]), float16 weights when asked.
 */
export async function runTflite(
  runId: string,
  datasetId: string,
  modelId: "transformer" | "lstm",
  float16: boolean,
): Promise<Uint8Array> {
  const { models } = await runModels(datasetId, runId);
  const m = models.find((x) => x.outcome.id === modelId);
  if (!m?.tfjs) throw new Error(`No stored ${modelId} model in this run.`);
  return (modelId === "transformer" ? transformerToTflite : lstmToTflite)(m.tfjs, { float16 });
}

/** feature_importance.csv of the run's forest (the guide's names and layout). */
export async function runImportanceCsv(runId: string, datasetId: string): Promise<string> {
  const { models } = await runModels(datasetId, runId);
  const forest = models.find((m) => m.forest)?.forest;
  if (!forest) throw new Error("This run has no Random Forest: impurity importances come from the forest.");
  return featureImportanceCsv(forest);
}

/** The predictions table of a run (lib/export/predictions.ts), from its stored outcomes and shown summary. */
async function runPredictions(runId: string, datasetId: string, evaluation: RunEvaluation) {
  const { dataset, models } = await runModels(
    datasetId,
    runId,
    "its predictions need the samples' times, labels and prices",
  );
  if ((await datasetFingerprint(dataset)).value !== evaluation.summary.fingerprint)
    throw new Error(
      "The stored dataset is not the one this run was evaluated on (its fingerprint differs): its labels would not match the run's predictions.",
    );
  return predictionsTable(
    dataset,
    models.map((m) => m.outcome),
    evaluation.summary,
  );
}

/** predictions.csv: one line per validation and test sample and backtest bar (columns in lib/export/predictions.ts). */
export async function runPredictionsCsv(runId: string, datasetId: string, evaluation: RunEvaluation): Promise<string> {
  return tableCsv(await runPredictions(runId, datasetId, evaluation));
}

/** predictions.npz: the same columns as predictions.csv, one 1-D array each. */
export async function runPredictionsNpz(
  runId: string,
  datasetId: string,
  evaluation: RunEvaluation,
): Promise<Uint8Array> {
  return tableNpzBytes(await runPredictions(runId, datasetId, evaluation));
}

/** quality_report.json of the run's dataset: the report shown when it was built (or recomputed, saying so). */
export async function runQualityReportJson(datasetId: string): Promise<string> {
  const { quality, notes } = await storedReport(getStudioDb(), datasetId);
  return JSON.stringify({ datasetId, ...quality, notes }, null, 2) + "\n";
}
