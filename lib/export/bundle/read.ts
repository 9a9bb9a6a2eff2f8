import { strFromU8, unzipSync } from "fflate";
import type { ForestModel } from "@/lib/models/forest/types";
import type { ModelArtifactsData } from "@/lib/models/types";
import { dataFingerprint } from "../hash";
import { decodeArtifactWeights } from "../tfjs-weights";
import { deserializeForest } from "@/lib/models/forest/serialize";
import type { GoldenFile } from "./golden";
import { BUNDLE_FORMAT, BUNDLE_VERSION, parseManifest, type BundleManifest } from "./manifest";

/** Everything needed to evaluate a bundle again. */
export interface ReadBundle {
  manifest: BundleManifest;
  /** tfjs artifacts (load with modelFromArtifacts in lib/models/serialize). */
  transformer?: ModelArtifactsData;
  lstm?: ModelArtifactsData;
  forest?: ForestModel;
  golden: GoldenFile;
}

export type ReadBundleResult = { ok: true; bundle: ReadBundle } | { ok: false; error: string };

/** Largest single file we inflate (a bundle is a few MB; this only stops zip bombs). */
const MAX_FILE_BYTES = 512 * 1024 * 1024;

class BundleError extends Error {}

function parseJson(files: Record<string, Uint8Array>, path: string): unknown {
  const bytes = files[path];
  if (!bytes) throw new BundleError(`${path} is missing`);
  try {
    return JSON.parse(strFromU8(bytes));
  } catch {
    throw new BundleError(`${path} is not valid JSON`);
  }
}

function readTfjs(files: Record<string, Uint8Array>, id: string): ModelArtifactsData {
  const mj = parseJson(files, `${id}/model.json`) as {
    modelTopology?: unknown;
    weightsManifest?: { paths?: unknown; weights?: unknown }[];
    format?: unknown;
    generatedBy?: unknown;
    convertedBy?: unknown;
  };
  if (!mj || typeof mj !== "object" || !mj.modelTopology || typeof mj.modelTopology !== "object")
    throw new BundleError(`${id}/model.json has no modelTopology`);
  const group = Array.isArray(mj.weightsManifest) ? mj.weightsManifest[0] : undefined;
  if (!group || !Array.isArray(group.weights)) throw new BundleError(`${id}/model.json has no weightsManifest`);
  const paths = Array.isArray(group.paths) ? group.paths : [];
  if (paths.length !== 1 || paths[0] !== "weights.bin")
    throw new BundleError(`${id}/model.json must point at weights.bin`);
  const bin = files[`${id}/weights.bin`];
  if (!bin) throw new BundleError(`${id}/weights.bin is missing`);
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
  const artifacts: ModelArtifactsData = {
    modelTopology: mj.modelTopology,
    weightSpecs: group.weights as ModelArtifactsData["weightSpecs"],
    weightData,
    format: typeof mj.format === "string" ? mj.format : undefined,
    generatedBy: typeof mj.generatedBy === "string" ? mj.generatedBy : undefined,
  };
  try {
    // Checks shapes/dtypes against the byte count and that every float decodes.
    decodeArtifactWeights(artifacts.weightSpecs, weightData);
  } catch (e) {
    throw new BundleError(`${id}: ${(e as Error).message}`);
  }
  return artifacts;
}

/**
 * Opens a bundle made by buildBundle: unzips (refusing oversized entries), validates manifest.json
 * (format, version, every field's type and range), then each model's files (tfjs weights against
 * their specs, forest.bin structure) and golden.json's shape. Never throws: a corrupt or foreign
 * file gives {ok: false, error} with a message for the user.
 */
export function readBundle(bytes: Uint8Array): ReadBundleResult {
  try {
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(bytes, { filter: (f) => f.originalSize <= MAX_FILE_BYTES });
    } catch {
      return { ok: false, error: "This file is not a readable ZIP (corrupt or not a model bundle)." };
    }
    if (!files["manifest.json"]) return { ok: false, error: "Not a TradeMate model bundle: manifest.json is missing." };
    const raw = parseJson(files, "manifest.json") as { format?: unknown; formatVersion?: unknown };
    if (!raw || raw.format !== BUNDLE_FORMAT)
      return { ok: false, error: "Not a TradeMate model bundle (unknown manifest format)." };
    if (raw.formatVersion !== BUNDLE_VERSION)
      return {
        ok: false,
        error: `Bundle format version ${String(raw.formatVersion)} is not supported (this app reads version ${BUNDLE_VERSION}).`,
      };
    const checked = parseManifest(raw);
    if (!checked.ok) return { ok: false, error: `manifest.json is invalid: ${checked.error}` };
    const manifest = checked.value;
    const bundle: ReadBundle = { manifest, golden: readGolden(files, manifest) };
    for (const entry of manifest.models) {
      for (const f of entry.files) if (!files[f]) throw new BundleError(`${f} is missing`);
      if (entry.id === "forest") {
        const names = parseJson(files, "forest/inputs.json");
        if (!Array.isArray(names) || !names.every((n) => typeof n === "string"))
          throw new BundleError("forest/inputs.json is not a list of names");
        try {
          bundle.forest = deserializeForest(files["forest/forest.bin"]);
        } catch (e) {
          throw new BundleError(`forest/forest.bin: ${(e as Error).message}`);
        }
        if (JSON.stringify(bundle.forest.featureNames) !== JSON.stringify(names))
          throw new BundleError("forest/inputs.json differs from the input names in forest/forest.bin");
        const v = bundle.forest.view;
        if (
          entry.view &&
          (entry.view.kind !== v?.kind || entry.view.window !== v.window || entry.view.features !== v.features)
        )
          throw new BundleError("the manifest's forest view differs from forest/forest.bin's");
      } else {
        const a = readTfjs(files, entry.id);
        const dtypes = new Set(a.weightSpecs.map((s) => (s.quantization?.dtype === "float16" ? "float16" : "float32")));
        if (!dtypes.has(entry.dtype))
          throw new BundleError(`${entry.id}: manifest says ${entry.dtype} but weights are ${[...dtypes].join("/")}`);
        bundle[entry.id] = a;
      }
    }
    return { ok: true, bundle };
  } catch (e) {
    if (e instanceof BundleError) return { ok: false, error: `The bundle is damaged: ${e.message}.` };
    return { ok: false, error: `The bundle could not be read (${e instanceof Error ? e.message : String(e)}).` };
  }
}

function readGolden(files: Record<string, Uint8Array>, m: BundleManifest): GoldenFile {
  const g = parseJson(files, m.golden.path) as Partial<GoldenFile>;
  if (!g || g.version !== 1 || !Array.isArray(g.cases))
    throw new BundleError(`${m.golden.path} is not a golden-vector file`);
  if (g.cases.length !== m.golden.cases)
    throw new BundleError(`${m.golden.path} has ${g.cases.length} cases, the manifest says ${m.golden.cases}`);
  const F = m.features.length;
  for (const c of g.cases) {
    const ok =
      c &&
      Array.isArray(c.features) &&
      c.features.length === m.window &&
      c.features.every((r) => Array.isArray(r) && r.length === F && r.every((v) => typeof v === "number")) &&
      c.expected &&
      typeof c.expected === "object";
    if (!ok) throw new BundleError(`${m.golden.path}: a case is not [${m.window}][${F}] numbers with expected outputs`);
  }
  return g as GoldenFile;
}

/** True when `matrix`/`labels` are the data the bundle was trained on (same fingerprint). */
export function matchesFingerprint(manifest: BundleManifest, matrix: Float32Array, labels: Int8Array): boolean {
  return dataFingerprint(matrix, labels) === manifest.fingerprint.value;
}
