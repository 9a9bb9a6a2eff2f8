import { strToU8, zipSync, type Zippable } from "fflate";
import { CLASS_NAMES } from "@/lib/core/classes";
import type { Dataset } from "@/lib/core/dataset";
import { hasSyntheticAlt } from "@/lib/core/features/alt-series";
import type { ForestModel } from "@/lib/models/forest/types";
import type { ModelArtifactsData } from "@/lib/models/types";
import type { DatasetFingerprint } from "../hash";
import { toFloat16Artifacts } from "../tfjs-weights";
import { forestToOnnx } from "../onnx/forest";
import { lstmToOnnx } from "../onnx/lstm";
import { transformerToOnnx } from "../onnx/transformer";
import { inspectTflite } from "../tflite/inspect";
import { lstmToTflite } from "../tflite/lstm";
import { transformerToTflite } from "../tflite/transformer";
import { FOREST_FORMAT_SCHEMA, serializeForest } from "@/lib/models/forest/serialize";
import { goldenFile, type GoldenCase } from "./golden";
import { bundleReadme, type ReadmeFile } from "./readme";
import {
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  type BundleEnsemble,
  type BundleManifest,
  type BundleMetrics,
  type BundleModelEntry,
  type BundleParams,
} from "./manifest";

/** What the dataset contributes to a bundle (no raw matrix is written: only its fingerprint). */
export type BundleDataset = Pick<
  Dataset,
  | "symbol"
  | "symbols"
  | "symbolNormalization"
  | "synthetic"
  | "altOrigin"
  | "baseInterval"
  | "timeframes"
  | "features"
  | "fallbackFeatures"
  | "labelSpec"
  | "window"
  | "rows"
  | "matrix"
  | "labels"
  | "normalization"
>;

export interface BundleInput {
  dataset: BundleDataset;
  /** The dataset's fingerprint (lib/export/hash.ts datasetFingerprint; async, so computed by the caller). */
  fingerprint: DatasetFingerprint;
  transformer?: { artifacts: ModelArtifactsData; params: BundleParams };
  lstm?: { artifacts: ModelArtifactsData; params: BundleParams };
  forest?: { model: ForestModel; params?: BundleParams };
  ensemble: BundleEnsemble;
  /** Test metrics by model id (and "ensemble"). */
  metrics: Record<string, BundleMetrics>;
  golden: GoldenCase[];
  /** Store tfjs weights as float16 (half the bytes; tfjs dequantises on load). Default false. */
  float16?: boolean;
  /**
   * Also write onnx/<model>.onnx for each model (transformer/lstm take "window" [N, W, F]; the
   * forest takes the window too when it has a view, else its input vector). Default false.
   */
  onnx?: boolean;
  /**
   * Also write tflite/transformer_model.tflite and tflite/lstm_model.tflite (the names the
   * MyTradeMate app loads), float16 weights when `float16`. Default false.
   */
  tflite?: boolean;
  /** UTC ms; default Date.now(). */
  createdAt?: number;
  producerVersion?: string;
}

/** model.json in the tfjs layers-model format, weights in `weights.bin` beside it. */
function tfjsModelJson(a: ModelArtifactsData): object {
  return {
    format: a.format ?? "layers-model",
    generatedBy: a.generatedBy ?? "TensorFlow.js",
    convertedBy: a.convertedBy ?? null,
    modelTopology: a.modelTopology,
    weightsManifest: [{ paths: ["weights.bin"], weights: a.weightSpecs }],
  };
}

const json = (v: unknown) => strToU8(JSON.stringify(v));

/** The file name the MyTradeMate app loads for a neural model (assets/ml/<name>). */
export const tfliteFileName = (id: "transformer" | "lstm") => `${id}_model.tflite`;

/**
 * Builds the model bundle ZIP:
 *   manifest.json                 BundleManifest
 *   transformer/model.json + weights.bin, lstm/model.json + weights.bin   (tfjs layers format)
 *   forest/forest.bin, forest/schema.json, forest/inputs.json
 *   golden.json                   GoldenFile
 *   onnx/<model>.onnx             (option `onnx`)
 *   tflite/<model>_model.tflite   (option `tflite`: transformer and lstm)
 *   README.md                     what an app feeds the models and gets back (bundleReadme)
 * Pure: bytes out, no I/O. Throws when the inputs disagree (feature counts, window).
 */
export function buildBundle(input: BundleInput): Uint8Array {
  const d = input.dataset;
  const F = d.features.length;
  if (d.normalization.mean.length !== F || d.normalization.std.length !== F)
    throw new Error("bundle: normalisation stats do not match the feature count");
  // The manifest holds one mean/std per feature: models trained on per-symbol statistics would
  // be fed wrongly scaled inputs by any app reading it.
  if (d.symbolNormalization)
    throw new Error(
      `bundle: dataset ${d.symbol} is normalised per symbol (${(d.symbols ?? []).join(", ")}); a bundle carries one normalisation per feature. Rebuild it with pooled normalisation to export.`,
    );
  const files: Zippable = {};
  const models: BundleModelEntry[] = [];
  const tfliteOperators: Record<string, string[]> = {};
  for (const id of ["transformer", "lstm"] as const) {
    const m = input[id];
    if (!m) continue;
    const artifacts = input.float16 ? toFloat16Artifacts(m.artifacts) : m.artifacts;
    // Weights are mostly incompressible floats: store them (level 0) and spare the CPU.
    files[`${id}/model.json`] = json(tfjsModelJson(artifacts));
    files[`${id}/weights.bin`] = [new Uint8Array(artifacts.weightData), { level: 0 }];
    const paths = [`${id}/model.json`, `${id}/weights.bin`];
    if (input.onnx) {
      files[`onnx/${id}.onnx`] = (id === "transformer" ? transformerToOnnx : lstmToOnnx)(artifacts);
      paths.push(`onnx/${id}.onnx`);
    }
    if (input.tflite) {
      const path = `tflite/${tfliteFileName(id)}`;
      const bytes = (id === "transformer" ? transformerToTflite : lstmToTflite)(m.artifacts, {
        float16: input.float16,
      });
      files[path] = [bytes, { level: 0 }];
      paths.push(path);
      tfliteOperators[path] = Object.keys(inspectTflite(bytes).operators);
    }
    models.push({
      id,
      files: paths,
      params: m.params,
      dtype: input.float16 ? "float16" : "float32",
      bytes: artifacts.weightData.byteLength,
    });
  }
  if (input.forest) {
    const bin = serializeForest(input.forest.model);
    files["forest/forest.bin"] = bin;
    files["forest/schema.json"] = json(FOREST_FORMAT_SCHEMA);
    files["forest/inputs.json"] = json(input.forest.model.featureNames);
    const paths = ["forest/forest.bin", "forest/schema.json", "forest/inputs.json"];
    if (input.onnx) {
      files["onnx/forest.onnx"] = forestToOnnx(input.forest.model, { windowInput: !!input.forest.model.view });
      paths.push("onnx/forest.onnx");
    }
    models.push({
      id: "forest",
      files: paths,
      params: input.forest.params ?? {},
      dtype: "float32",
      bytes: bin.length,
      ...(input.forest.model.view ? { view: input.forest.model.view } : {}),
    });
  }
  for (const c of input.golden) {
    if (c.features.length !== d.window || c.features.some((r) => r.length !== F))
      throw new Error(`bundle: golden case at row ${c.row} is not [${d.window}][${F}]`);
  }
  const fallbacks = new Set(d.fallbackFeatures);
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_VERSION,
    createdAt: input.createdAt ?? Date.now(),
    producer: `trademate-studio ${input.producerVersion ?? "1"}`,
    symbols: [d.symbol],
    baseInterval: d.baseInterval,
    timeframes: [...d.timeframes],
    synthetic: d.synthetic,
    ...(hasSyntheticAlt(d.synthetic, d.altOrigin) ? { syntheticAlt: true } : {}),
    window: d.window,
    classNames: [...CLASS_NAMES],
    labelSpec: { ...d.labelSpec },
    features: d.features.map((f, j) => ({
      name: f.name,
      timeframe: f.timeframe,
      indicator: f.indicator,
      params: { ...f.params },
      mean: d.normalization.mean[j],
      std: d.normalization.std[j],
      fallback: fallbacks.has(f.name),
    })),
    models,
    ensemble: input.ensemble,
    metrics: input.metrics,
    fingerprint: { ...input.fingerprint, rows: d.rows, features: F },
    golden: { path: "golden.json", cases: input.golden.length },
  };
  files["manifest.json"] = json(manifest);
  files["golden.json"] = json(
    goldenFile(
      d.features.map((f) => f.name),
      d.window,
      input.golden,
    ),
  );
  const listed: ReadmeFile[] = Object.entries(files).map(([path, f]) => ({
    path,
    bytes: f instanceof Uint8Array ? f.length : Array.isArray(f) && f[0] instanceof Uint8Array ? f[0].length : 0,
    ...(tfliteOperators[path] ? { operators: tfliteOperators[path] } : {}),
  }));
  files["README.md"] = strToU8(bundleReadme(manifest, listed));
  return zipSync(files, { level: 6, mtime: new Date(manifest.createdAt) });
}
