import type { io } from "@tensorflow/tfjs";
import { CLASS_NAMES } from "@/lib/core/classes";
import { formatBytes } from "@/lib/core/format";
import type { ForestModel } from "@/lib/models/forest/types";
import type { ModelArtifactsData } from "@/lib/models/types";
import { datasetFingerprint, type FingerprintedDataset } from "../hash";
import { parseWith } from "@/lib/core/schema";
import { decodeArtifactWeights } from "../tfjs-weights";
import { deserializeForest } from "@/lib/models/forest/serialize";
import { inflateEntry, readZipDirectory, ZipError, type ZipEntry } from "../zip/bounded-unzip";
import { BundleError, damaged } from "./errors";
import { goldenSchema, type GoldenFile } from "./golden";
import { BUNDLE_LIMITS } from "./limits";
import { BUNDLE_FORMAT, BUNDLE_VERSION, parseManifest, type BundleManifest } from "./manifest";
import { checkTopology } from "./topology";
import { checkWeightSpecs, weightSpecBytes } from "./weight-specs";

/** Everything needed to evaluate a bundle again. */
export interface ReadBundle {
  manifest: BundleManifest;
  /** tfjs artifacts (load with modelFromArtifacts in lib/models/serialize). */
  transformer?: ModelArtifactsData;
  lstm?: ModelArtifactsData;
  forest?: ForestModel;
  golden: GoldenFile;
}

/**
 * `cause` "refused": the file is not a sound bundle (a BundleError's message, for the user);
 * "unexpected": the reader itself failed on it, a bug in the studio (the fuzz suite counts these).
 */
export type ReadBundleResult =
  { ok: true; bundle: ReadBundle } | { ok: false; error: string; cause: "refused" | "unexpected" };

/** The entries of a bundle's ZIP; only the ones asked for are ever inflated. */
class BundleFiles {
  constructor(
    private readonly zip: Uint8Array,
    private readonly dir: Map<string, ZipEntry>,
  ) {}

  has(path: string): boolean {
    return this.dir.has(path);
  }

  bytes(path: string): Uint8Array {
    const entry = this.dir.get(path);
    if (!entry) throw damaged(`${path} is missing`);
    try {
      return inflateEntry(this.zip, entry);
    } catch (e) {
      if (e instanceof ZipError) throw damaged(e.message);
      throw e;
    }
  }

  json(path: string): unknown {
    const entry = this.dir.get(path);
    if (entry && entry.size > BUNDLE_LIMITS.maxJsonBytes)
      throw new BundleError(
        `The bundle is not one this studio reads: ${path} is too large (${formatBytes(entry.size)}; the limit for a JSON entry is ${formatBytes(BUNDLE_LIMITS.maxJsonBytes)}).`,
      );
    const bytes = this.bytes(path);
    try {
      return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    } catch {
      throw damaged(`${path} is not valid JSON`);
    }
  }
}

/** The ZIP's directory, every size checked against BUNDLE_LIMITS before anything is inflated. */
function openZip(bytes: Uint8Array): BundleFiles {
  if (bytes.length > BUNDLE_LIMITS.maxFileBytes) throw fileTooLarge(bytes.length);
  try {
    return new BundleFiles(bytes, readZipDirectory(bytes, BUNDLE_LIMITS));
  } catch (e) {
    if (!(e instanceof ZipError)) throw e;
    if (e.kind === "not-zip")
      throw new BundleError(`This file is not a readable ZIP (corrupt or not a model bundle): ${e.message}.`);
    if (e.kind === "limit") throw new BundleError(`This file is too large to be a model bundle: ${e.message}.`);
    if (e.kind === "unsupported") throw new BundleError(`The bundle cannot be read: ${e.message}.`);
    throw damaged(e.message);
  }
}

/** The error for a file over BUNDLE_LIMITS.maxFileBytes (checked on `file.size` before reading, too). */
export function fileTooLarge(size: number): BundleError {
  return new BundleError(
    `This file is too large to be a model bundle (${formatBytes(size)}; the limit is ${formatBytes(BUNDLE_LIMITS.maxFileBytes)}).`,
  );
}

function readTfjs(files: BundleFiles, id: string, manifestBytes: number): ModelArtifactsData {
  const path = `${id}/model.json`;
  const mj = files.json(path) as {
    modelTopology?: unknown;
    weightsManifest?: { paths?: unknown; weights?: unknown }[];
    format?: unknown;
    generatedBy?: unknown;
  } | null;
  if (!mj || typeof mj !== "object" || !mj.modelTopology || typeof mj.modelTopology !== "object")
    throw damaged(`${path} has no modelTopology`);
  checkTopology(mj.modelTopology, path);
  const group = Array.isArray(mj.weightsManifest) ? mj.weightsManifest[0] : undefined;
  if (!group || typeof group !== "object" || !Array.isArray(group.weights))
    throw damaged(`${path} has no weightsManifest`);
  const paths = Array.isArray(group.paths) ? group.paths : [];
  if (paths.length !== 1 || paths[0] !== "weights.bin") throw damaged(`${path} must point at weights.bin`);
  const specs: io.WeightsManifestEntry[] = checkWeightSpecs(group.weights, path);
  const bin = files.bytes(`${id}/weights.bin`);
  const need = weightSpecBytes(specs);
  if (bin.length !== need)
    throw damaged(
      `${id}: weights data too ${bin.length < need ? "short" : "long"} (${id}/weights.bin holds ${bin.length} bytes; the ${specs.length} weights in ${path} need ${need})`,
    );
  if (bin.length !== manifestBytes)
    throw damaged(`${id}/weights.bin holds ${bin.length} bytes; manifest.json says ${manifestBytes}`);
  const weightData = bin.buffer as ArrayBuffer;
  try {
    // Every float16 / float32 value decodes (the sizes were checked above).
    decodeArtifactWeights(specs, weightData);
  } catch (e) {
    throw damaged(`${id}/weights.bin: ${(e as Error).message}`);
  }
  return {
    modelTopology: mj.modelTopology,
    weightSpecs: specs,
    weightData,
    format: typeof mj.format === "string" ? mj.format : undefined,
    generatedBy: typeof mj.generatedBy === "string" ? mj.generatedBy : undefined,
  };
}

function readForest(files: BundleFiles, m: BundleManifest, entry: BundleManifest["models"][number]): ForestModel {
  const names = files.json("forest/inputs.json");
  if (!Array.isArray(names) || !names.every((n) => typeof n === "string"))
    throw damaged("forest/inputs.json is not a list of names");
  const bin = files.bytes("forest/forest.bin");
  let forest: ForestModel;
  try {
    forest = deserializeForest(bin, { classes: m.classNames.length });
  } catch (e) {
    throw damaged(`forest/forest.bin: ${(e as Error).message}`);
  }
  if (bin.length !== entry.bytes)
    throw damaged(`forest/forest.bin holds ${bin.length} bytes; manifest.json says ${entry.bytes}`);
  if (forest.featureNames.length !== names.length || forest.featureNames.some((n, i) => n !== names[i]))
    throw damaged("forest/inputs.json differs from the input names in forest/forest.bin");
  const v = forest.view;
  if (!v) throw damaged("forest/forest.bin has no input view, so it cannot be run on the bundle's windows");
  if (
    entry.view &&
    (entry.view.kind !== v.kind || entry.view.window !== v.window || entry.view.features !== v.features)
  )
    throw damaged("the manifest's forest view differs from forest/forest.bin's");
  if (v.window !== m.window || v.features !== m.features.length)
    throw damaged(
      `forest/forest.bin reads ${v.window}-step windows of ${v.features} features; the manifest's are ${m.window} × ${m.features.length}`,
    );
  return forest;
}

function readOrThrow(bytes: Uint8Array): ReadBundle {
  const files = openZip(bytes);
  if (!files.has("manifest.json")) throw new BundleError("Not a TradeMate model bundle: manifest.json is missing.");
  const raw = files.json("manifest.json") as { format?: unknown; formatVersion?: unknown } | null;
  if (!raw || typeof raw !== "object" || raw.format !== BUNDLE_FORMAT)
    throw new BundleError("Not a TradeMate model bundle (unknown manifest format).");
  if (typeof raw.formatVersion !== "number")
    throw new BundleError("The bundle is damaged: manifest.json has no formatVersion number.");
  if (raw.formatVersion === 2)
    throw new BundleError(
      "This bundle was made by an earlier version of the studio, whose data fingerprint did not cover the split and normalisation: export it again from its run.",
    );
  if (raw.formatVersion !== BUNDLE_VERSION)
    throw new BundleError(
      `Bundle format version ${raw.formatVersion} is not supported (this app reads version ${BUNDLE_VERSION}).`,
    );
  const checked = parseManifest(raw);
  if (!checked.ok) throw new BundleError(`The bundle is damaged: manifest.json is invalid: ${checked.error}.`);
  const manifest = checked.value;
  if (manifest.classNames.join() !== CLASS_NAMES.join())
    throw new BundleError(
      `The bundle is not one this studio reads: its classes are ${manifest.classNames.join(", ").slice(0, 200)}, this studio's are ${CLASS_NAMES.join(", ")}.`,
    );
  const ids = manifest.models.map((e) => e.id);
  if (new Set(ids).size !== ids.length) throw damaged("manifest.json lists a model twice");
  const bundle: ReadBundle = { manifest, golden: readGolden(files, manifest) };
  for (const entry of manifest.models) {
    // Listed files must exist; only the ones read below are inflated (ONNX copies and the
    // forest's schema.json are for other consumers).
    for (const f of entry.files) if (!files.has(f)) throw damaged(`${f} is missing`);
    if (entry.id === "forest") bundle.forest = readForest(files, manifest, entry);
    else {
      const a = readTfjs(files, entry.id, entry.bytes);
      const dtypes = new Set(a.weightSpecs.map((s) => (s.quantization?.dtype === "float16" ? "float16" : "float32")));
      if (!dtypes.has(entry.dtype))
        throw damaged(`${entry.id}: manifest says ${entry.dtype} but weights are ${[...dtypes].join("/")}`);
      bundle[entry.id] = a;
    }
  }
  return bundle;
}

/**
 * Opens a bundle made by buildBundle: reads the ZIP's directory (refusing it by declared sizes,
 * BUNDLE_LIMITS), inflates only the entries it reads, validates manifest.json (format, version,
 * every field's type and range), then each model's files (tfjs weight specs and sizes, forest.bin
 * structure) and golden.json. Never throws: a corrupt, foreign or oversized file gives
 * {ok: false, error, cause: "refused"} with a message for the user naming the entry.
 */
export function readBundle(bytes: Uint8Array): ReadBundleResult {
  try {
    return { ok: true, bundle: readOrThrow(bytes) };
  } catch (e) {
    if (e instanceof BundleError) return { ok: false, error: e.message, cause: "refused" };
    return {
      ok: false,
      error: `The bundle could not be read (${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}).`,
      cause: "unexpected",
    };
  }
}

/**
 * Reads a bundle from a File or Blob (in the export worker, so neither the bytes nor the inflating
 * ever touch the page's thread): `file.size` is checked against BUNDLE_LIMITS before a byte is read.
 */
export async function readBundleFile(file: Blob): Promise<ReadBundleResult> {
  if (file.size > BUNDLE_LIMITS.maxFileBytes)
    return { ok: false, error: fileTooLarge(file.size).message, cause: "refused" };
  return readBundle(new Uint8Array(await file.arrayBuffer()));
}

/** The bundle of a read result; a refusal throws its BundleError, a reader failure a plain Error. */
export function bundleOrThrow(read: ReadBundleResult): ReadBundle {
  if (read.ok) return read.bundle;
  throw read.cause === "refused" ? new BundleError(read.error) : new Error(read.error);
}

/** The ArrayBuffers of a read bundle (weights, forest arrays), to transfer rather than copy. */
export function bundleBuffers(bundle: ReadBundle): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const a of [bundle.transformer, bundle.lstm]) if (a) out.push(a.weightData);
  if (bundle.forest) out.push(bundle.forest.importances.buffer as ArrayBuffer);
  for (const t of bundle.forest?.trees ?? [])
    for (const arr of [t.feature, t.threshold, t.left, t.right, t.value]) out.push(arr.buffer as ArrayBuffer);
  return [...new Set(out)];
}

function readGolden(files: BundleFiles, m: BundleManifest): GoldenFile {
  const path = m.golden.path;
  const raw = files.json(path) as { version?: unknown; cases?: unknown } | null;
  if (!raw || typeof raw !== "object" || raw.version !== 1 || !Array.isArray(raw.cases))
    throw damaged(`${path} is not a golden-vector file`);
  if (raw.cases.length !== m.golden.cases)
    throw damaged(`${path} has ${raw.cases.length} cases, the manifest says ${m.golden.cases}`);
  const checked = parseWith(goldenSchema, raw);
  if (!checked.ok) throw damaged(`${path} is invalid: ${checked.error}`);
  const g = checked.value;
  const F = m.features.length;
  for (const c of g.cases) {
    if (c.features.length !== m.window || c.features.some((r) => r.length !== F))
      throw damaged(`${path}: a case is not [${m.window}][${F}] numbers with expected outputs`);
  }
  return g;
}

/**
 * How a stored dataset relates to the one the bundle was made from: "same" (data, split, window,
 * label spec and normalisation), "resplit" (the same matrix and labels, split or scaled another
 * way: re-evaluating there would test on other rows), or "other".
 */
export async function fingerprintMatch(
  manifest: BundleManifest,
  ds: FingerprintedDataset,
): Promise<"same" | "resplit" | "other"> {
  const fp = await datasetFingerprint(ds);
  if (fp.value === manifest.fingerprint.value) return "same";
  return fp.data === manifest.fingerprint.data ? "resplit" : "other";
}
