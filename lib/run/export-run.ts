/**
 * Exports of a finished run, read from storage: the model bundle (tfjs + forest + manifest +
 * golden vectors, optionally ONNX, TFLite and float16), single ONNX and TFLite files, and the
 * text downloads.
 */
import type { Dataset } from "@/lib/core/dataset";
import { getStudioDb, listModels, loadDataset, type ModelRecord } from "@/lib/db";
import { buildBundle } from "@/lib/export/bundle/build";
import { makeGoldenCases, pickGoldenEnds } from "@/lib/export/bundle/golden";
import { forestToOnnx } from "@/lib/export/onnx/forest";
import { lstmToOnnx } from "@/lib/export/onnx/lstm";
import { transformerToOnnx } from "@/lib/export/onnx/transformer";
import { lstmToTflite } from "@/lib/export/tflite/lstm";
import { transformerToTflite } from "@/lib/export/tflite/transformer";
import type { SharedMetrics } from "@/lib/export/share/types";
import { featureImportanceCsv } from "@/lib/models/forest";
import type { ModelArtifactsData } from "@/lib/models/types";
import type { ModelOutcome, RunEvaluation } from "./types";

interface RunModels {
  dataset: Dataset;
  models: ModelRecord[];
}

async function runModels(datasetId: string, runId: string): Promise<RunModels> {
  const db = getStudioDb();
  const dataset = await loadDataset(db, datasetId);
  if (!dataset)
    throw new Error(
      "The run's dataset is no longer stored in this browser: models can't be exported with their golden vectors.",
    );
  return { dataset, models: await listModels(db, runId) };
}

const outcomeOf = (m: ModelRecord) => (m.meta as { outcome?: ModelOutcome } | undefined)?.outcome;
const artifactsOf = (m: ModelRecord) => m.tfjs as unknown as ModelArtifactsData;

/** The model bundle ZIP of a run. */
export async function runBundle(
  runId: string,
  datasetId: string,
  evaluation: RunEvaluation,
  opts: { float16: boolean; onnx: boolean; tflite?: boolean },
): Promise<Uint8Array> {
  const { dataset, models } = await runModels(datasetId, runId);
  const byId = Object.fromEntries(models.map((m) => [m.name, m]));
  // Golden cases: test windows spread over the period, with each model's real probabilities.
  const testEnds = Array.from(dataset.split.test);
  const ends = pickGoldenEnds(testEnds, 32);
  const index = new Map(testEnds.map((t, i) => [t, i]));
  const probabilities: Record<string, Float32Array> = {};
  for (const m of models) {
    const o = outcomeOf(m);
    if (!o) continue;
    const p = new Float32Array(ends.length * 4);
    ends.forEach((t, k) => p.set(o.testProbs.subarray(index.get(t)! * 4, index.get(t)! * 4 + 4), k * 4));
    probabilities[m.name] = p;
  }
  const weights = Object.fromEntries(evaluation.summary.ensemble.weights.map((w) => [w.model, w.weight]));
  const metrics: Record<string, SharedMetrics> = Object.fromEntries(
    evaluation.summary.results.filter((r) => r.kind !== "baseline").map((r) => [r.id, r.metrics]),
  );
  const params = (id: string) => (outcomeOf(byId[id])?.params ?? {}) as Record<string, number | string | boolean>;
  return buildBundle({
    dataset,
    transformer: byId.transformer?.tfjs
      ? { artifacts: artifactsOf(byId.transformer), params: params("transformer") }
      : undefined,
    lstm: byId.lstm?.tfjs ? { artifacts: artifactsOf(byId.lstm), params: params("lstm") } : undefined,
    forest: byId.forest?.forest ? { model: byId.forest.forest, params: params("forest") } : undefined,
    ensemble: evaluation.summary.ensemble,
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
  const m = models.find((x) => x.name === modelId);
  if (!m) throw new Error(`No stored ${modelId} model in this run.`);
  if (m.forest) return forestToOnnx(m.forest, { windowInput: true });
  if (modelId === "transformer") return transformerToOnnx(artifactsOf(m));
  return lstmToOnnx(artifactsOf(m));
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
  const m = models.find((x) => x.name === modelId);
  if (!m?.tfjs) throw new Error(`No stored ${modelId} model in this run.`);
  return (modelId === "transformer" ? transformerToTflite : lstmToTflite)(artifactsOf(m), { float16 });
}

/** feature_importance.csv of the run's forest (the guide's names and layout). */
export async function runImportanceCsv(runId: string, datasetId: string): Promise<string> {
  const { models } = await runModels(datasetId, runId);
  const forest = models.find((m) => m.forest)?.forest;
  if (!forest) throw new Error("This run has no Random Forest: impurity importances come from the forest.");
  return featureImportanceCsv(forest);
}
