/**
 * Importing a model bundle (made on the Results page, maybe on another machine):
 * 1. the bundle's models must reproduce its golden vectors here (same probabilities from the
 *    same normalised windows), which proves the weights, the forest and the input layout survived;
 * 2. when the data the bundle was trained on is stored here too (same fingerprint: the same
 *    candles built with the same dataset settings, split, window and normalisation), the models
 *    are evaluated again on its test part and stored as a run, so the dashboard shows the figures
 *    next to the bundle's own. The same data split another way is refused: the models would be
 *    scored on rows they were trained on, or fed inputs scaled otherwise.
 */
import { NUM_CLASSES } from "@/lib/core/classes";
import { maxAbsDiff } from "@/lib/core/max-abs-diff";
import type { Dataset, WindowSource } from "@/lib/core/dataset";
import { normalizedSource } from "@/lib/core/normalize";
import { getStudioDb, listDatasets, loadDataset, saveEvaluationWithOutcomes } from "@/lib/db";
import { ensembleProbs } from "@/lib/eval/ensemble";
import { normalisedWindow } from "@/lib/export/bundle/golden";
import { BundleError } from "@/lib/export/bundle/errors";
import { bundleOrThrow, fingerprintMatch, readBundle, type ReadBundle } from "@/lib/export/bundle/read";
import type { ForestModel } from "@/lib/models/forest";
import type { ModelArtifactsData } from "@/lib/models/types";
import { summarizeRun } from "../../run/summarize";
import { newRunId } from "../train/train-run";
import type { ModelId, ModelOutcome, RunEvaluation } from "../../run/types";

/** Runs a tfjs model (in the training worker in the app; directly in tests). */
export type TfjsPredictor = (
  artifacts: ModelArtifactsData,
  source: WindowSource,
  sets: Record<string, Int32Array>,
) => Promise<Record<string, Float32Array>>;
/** Runs a forest (in a forest worker in the app; directly in tests). */
export type ForestPredictor = (
  model: ForestModel,
  source: WindowSource,
  sets: Record<string, Int32Array>,
) => Promise<Record<string, Float32Array>>;

/** Where the bundle's models run. */
export interface BundlePredictors {
  tfjs: TfjsPredictor;
  forest: ForestPredictor;
}

export interface GoldenCheck {
  /** Model id, or "ensemble". */
  model: string;
  cases: number;
  /** Largest |probability here − probability in golden.json| over all cases and classes. */
  maxAbsDiff: number;
}

export interface BundleImport {
  golden: GoldenCheck[];
  /** Every golden check within tolerance (the bundle is sound here). */
  reproduced: boolean;
  /** Stored run with the re-evaluation, when the training data is stored here. */
  runId?: string;
  /** Test accuracy in the bundle's manifest and measured again here, per model and "ensemble". */
  comparison?: { model: string; bundleAccuracy: number; accuracy: number }[];
  /** What happened, for the user. */
  message: string;
}

/** Golden cases as one window source: case k is the window ending at row (k+1)·W − 1. */
export function goldenSource(bundle: ReadBundle): { source: WindowSource; ends: Int32Array } {
  const m = bundle.manifest;
  const W = m.window;
  const F = m.features.length;
  const cases = bundle.golden.cases;
  const matrix = new Float32Array(cases.length * W * F);
  const mean = m.features.map((f) => f.mean);
  const std = m.features.map((f) => f.std);
  cases.forEach((c, k) => matrix.set(normalisedWindow(c, mean, std), k * W * F));
  return {
    source: { matrix, rows: cases.length * W, features: F, window: W },
    ends: Int32Array.from(cases, (_, k) => (k + 1) * W - 1),
  };
}

/** Errors JavaScript itself raises (by name: errors from a worker arrive as plain Errors). */
const JS_ERRORS = new Set(["TypeError", "RangeError", "SyntaxError", "ReferenceError"]);

/** Every model of the bundle on each named set of window ends of `source`. */
export async function predictBundle(
  bundle: ReadBundle,
  source: WindowSource,
  sets: Record<string, Int32Array>,
  run: BundlePredictors,
): Promise<Partial<Record<ModelId, Record<string, Float32Array>>>> {
  const out: Partial<Record<ModelId, Record<string, Float32Array>>> = {};
  for (const entry of bundle.manifest.models) {
    try {
      out[entry.id] =
        entry.id === "forest"
          ? await run.forest(bundle.forest!, source, sets)
          : await run.tfjs(bundle[entry.id]!, source, sets);
    } catch (e) {
      // A model.json that passes the reader's checks can still describe a model TensorFlow.js
      // cannot build (layer configs are only checked by tfjs): that is the bundle's fault. A
      // JavaScript error from inside tfjs (e.g. a TypeError) says nothing to the user: name the file.
      if (e instanceof Error && e.name === "AbortError") throw e;
      const name = e instanceof Error ? e.name : "";
      const why = JS_ERRORS.has(name)
        ? "TensorFlow.js cannot build or run the model it describes"
        : (e instanceof Error ? e.message : String(e)).replace(/\[object \w+\]/g, "an object").slice(0, 200);
      const file = entry.id === "forest" ? "forest/forest.bin" : `${entry.id}/model.json`;
      throw new BundleError(`The bundle's ${entry.id} model cannot be run here (${file}): ${why}`);
    }
  }
  return out;
}

/** Compares probabilities computed here on the golden windows with golden.json's expectations. */
export function checkGolden(bundle: ReadBundle, probs: Partial<Record<ModelId, Float32Array>>): GoldenCheck[] {
  const cases = bundle.golden.cases;
  const expectedOf = (id: string) =>
    Float32Array.from(cases.flatMap((c) => c.expected[id] ?? new Array<number>(NUM_CLASSES).fill(NaN)));
  const checks: GoldenCheck[] = Object.entries(probs).map(([id, p]) => ({
    model: id,
    cases: cases.length,
    maxAbsDiff: maxAbsDiff(p!, expectedOf(id)),
  }));
  if (cases.some((c) => c.expected.ensemble) && Object.keys(probs).length > 0) {
    const weights = Object.fromEntries(bundle.manifest.ensemble.weights.map((w) => [w.model, w.weight]));
    checks.push({
      model: "ensemble",
      cases: cases.length,
      maxAbsDiff: maxAbsDiff(ensembleProbs(probs, weights).probs, expectedOf("ensemble")),
    });
  }
  return checks.map((c) => (Number.isNaN(c.maxAbsDiff) ? { ...c, maxAbsDiff: Infinity } : c));
}

/**
 * The stored dataset the bundle was made from (same fingerprint), if any; a dataset holding the
 * same matrix and labels but split or scaled another way is named in `resplit`.
 */
async function findTrainingData(bundle: ReadBundle): Promise<{ ds?: Dataset; resplit?: Dataset }> {
  const db = getStudioDb();
  const fp = bundle.manifest.fingerprint;
  let resplit: Dataset | undefined;
  for (const s of await listDatasets(db)) {
    if (s.rows !== fp.rows || s.featureCount !== fp.features) continue;
    const ds = await loadDataset(db, s.id);
    if (!ds) continue;
    const match = await fingerprintMatch(bundle.manifest, ds);
    if (match === "same") return { ds };
    if (match === "resplit") resplit ??= ds;
  }
  return { resplit };
}

/** What differs between a stored dataset and the bundle's, in the user's terms. */
function resplitMessage(bundle: ReadBundle, ds: Dataset): string {
  const m = bundle.manifest;
  const differs: string[] = [];
  if (ds.window !== m.window) differs.push(`window ${ds.window} here, ${m.window} in the bundle`);
  const mean = Array.from(ds.normalization.mean);
  if (m.features.some((f, j) => Math.fround(f.mean) !== Math.fround(mean[j])))
    differs.push("its normalisation statistics");
  const shares = (x: { train: number; val: number; test: number }) =>
    [x.train, x.val, x.test].map((v) => `${Math.round(v * 100)}`).join("/");
  differs.push(
    `the split here is ${shares(ds.splitSpec)} with purge ${ds.splitSpec.purge} and embargo ${ds.splitSpec.embargo} rows`,
  );
  return `Dataset "${ds.name}" holds the data this bundle was trained on, but was built with another split or normalisation (${differs.join("; ")}). Evaluating there would score the models on rows they may have been trained on, so it was not done: build the dataset again with the settings the models were trained with (the bundle's README.md lists them), then import again.`;
}

/** A bundle read from bytes, or the reader's clear message as a BundleError. */
export function openBundle(bytes: Uint8Array): ReadBundle {
  return bundleOrThrow(readBundle(bytes));
}

/** Every model of the bundle (and the ensemble) run on its golden windows and compared with golden.json. */
export async function goldenChecks(bundle: ReadBundle, run: BundlePredictors): Promise<GoldenCheck[]> {
  const g = goldenSource(bundle);
  const probs = await predictBundle(bundle, g.source, { golden: g.ends }, run);
  return checkGolden(bundle, Object.fromEntries(Object.entries(probs).map(([id, p]) => [id, p!.golden])));
}

/** Largest golden difference accepted: float32 round-off across backends (float16 bundles: 5e-3). */
export function goldenTolerance(bundle: ReadBundle): number {
  return bundle.manifest.models.some((m) => m.dtype === "float16") ? 5e-3 : 1e-4;
}

/** The bundle's models evaluated on the test part of `ds` (its own data), as a run evaluation. */
export async function evaluateBundle(
  bundle: ReadBundle,
  ds: Dataset,
  run: BundlePredictors,
  title: string,
): Promise<{ outcomes: ModelOutcome[]; evaluation: RunEvaluation }> {
  const probs = await predictBundle(bundle, normalizedSource(ds), { val: ds.split.val, test: ds.split.test }, run);
  const outcomes: ModelOutcome[] = bundle.manifest.models.map((entry) => ({
    id: entry.id,
    params: entry.params,
    valProbs: probs[entry.id]!.val,
    testProbs: probs[entry.id]!.test,
    seconds: 0,
    importances:
      entry.id === "forest" ? { names: bundle.forest!.featureNames, values: bundle.forest!.importances } : undefined,
  }));
  const weights = Object.fromEntries(bundle.manifest.ensemble.weights.map((w) => [w.model, w.weight]));
  return {
    outcomes,
    evaluation: summarizeRun(ds, outcomes, { title, fingerprint: bundle.manifest.fingerprint.value, weights }),
  };
}

/** Test accuracy of each model and of the ensemble in an evaluation. */
export function testAccuracies(evaluation: RunEvaluation): Record<string, number> {
  return Object.fromEntries(
    evaluation.summary.results.filter((r) => r.kind !== "baseline").map((r) => [r.id, r.metrics.accuracy]),
  );
}

/**
 * Reads, checks and (when its data is here) re-evaluates a bundle; see the module comment.
 * `input`: the bundle's bytes (read here), or a bundle already read (the app reads the file in
 * the export worker). A refused bundle rejects with a BundleError; nothing is stored then.
 */
export async function importBundle(
  input: Uint8Array | ReadBundle,
  run: BundlePredictors,
  fileName = "bundle",
): Promise<BundleImport> {
  const bundle = input instanceof Uint8Array ? openBundle(input) : input;
  if (bundle.manifest.models.length === 0) throw new BundleError("This bundle holds no model.");
  const golden = await goldenChecks(bundle, run);
  const tolerance = goldenTolerance(bundle);
  const failed = golden.filter((c) => !(c.maxAbsDiff <= tolerance));
  if (failed.length) {
    return {
      golden,
      reproduced: false,
      message: `The bundle's models do not reproduce their golden vectors here (${failed.map((c) => `${c.model}: max difference ${c.maxAbsDiff.toExponential(1)}`).join(", ")}); it was not imported.`,
    };
  }

  const { ds, resplit } = await findTrainingData(bundle);
  if (!ds && resplit) return { golden, reproduced: true, message: resplitMessage(bundle, resplit) };
  if (!ds) {
    return {
      golden,
      reproduced: true,
      message: `Golden vectors reproduced (${golden.length} checks, max difference ${Math.max(...golden.map((c) => c.maxAbsDiff)).toExponential(1)}). To evaluate the models again, build the dataset they were trained on (${bundle.manifest.symbols.join(", ")}, ${bundle.manifest.timeframes.join("/")}, ${bundle.manifest.fingerprint.rows.toLocaleString("en-US")} rows) with the same settings, then import again.`,
    };
  }

  const title = `Imported ${fileName}`;
  const { outcomes, evaluation } = await evaluateBundle(bundle, ds, run, title);
  const db = getStudioDb();
  const runId = newRunId();
  const createdAt = Date.now();
  await saveEvaluationWithOutcomes(
    db,
    {
      id: runId,
      name: title,
      datasetId: ds.id,
      status: "done",
      createdAt,
      config: { imported: { producer: bundle.manifest.producer, createdAt: bundle.manifest.createdAt } },
    },
    evaluation,
    outcomes.map((outcome) => ({
      outcome,
      artifacts: outcome.id === "forest" ? { forest: bundle.forest! } : { tfjs: bundle[outcome.id]! },
    })),
    { imported: true, createdAt },
  );
  const measured = testAccuracies(evaluation);
  const comparison = Object.entries(bundle.manifest.metrics)
    .filter(([id]) => id in measured)
    .map(([id, m]) => ({ model: id, bundleAccuracy: m.accuracy, accuracy: measured[id] }));
  const same = comparison.every((c) => Math.abs(c.bundleAccuracy - c.accuracy) < 1e-9);
  return {
    golden,
    reproduced: true,
    runId,
    comparison,
    message: same
      ? `Golden vectors reproduced and the models evaluated again on "${ds.name}": every test accuracy equals the bundle's.`
      : `Golden vectors reproduced; evaluated again on "${ds.name}": test accuracies differ from the bundle's (see the table; float16 weights round).`,
  };
}
