import * as v from "valibot";
import { INTERVALS } from "@/lib/core/intervals";
import { arrayOf, finite, parseWith, safeId, safeRecord, safeText, SAFE_ID, type Parsed } from "@/lib/core/schema";

export const BUNDLE_FORMAT = "trademate-model-bundle";
/**
 * 2: forest/forest.bin in the compact preorder layout (lib/models/forest/serialize.ts).
 * 3: the fingerprint is SHA-256 and covers the split, window, label spec and normalisation.
 */
export const BUNDLE_VERSION = 3;

const frac = finite({ min: 0, max: 1 });
const id = safeId(40);
const interval = v.picklist(INTERVALS, `expected one of ${INTERVALS.join(", ")}`);
/** A relative path inside the ZIP: segments that do not start with a dot (no "..", no "/x", no "a//b"). */
const path = safeText({ min: 1, max: 120, pattern: /^[A-Za-z0-9_-][A-Za-z0-9_.-]*(\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$/ });
const int = (min: number, max: number) => finite({ min, max, int: true });

const paramValue = v.union(
  [finite({ min: -1e15, max: 1e15 }), v.boolean(), safeText({ max: 200 })],
  "expected a number, a boolean or a short text",
);
/** A model's or a feature's parameters (e.g. {dModel: 64}, {period: 14}). */
const params = safeRecord(paramValue, { maxKeys: 100, maxKeyLength: 60 });
export type BundleParams = v.InferOutput<typeof params>;

const weights = arrayOf(v.object({ model: id, weight: frac }), { min: 1, max: 16 });
const ensemble = v.object({ weights, learned: v.optional(weights) });
/** The ensemble's fixed weights (and those learned on validation). */
export type BundleEnsemble = v.InferOutput<typeof ensemble>;

const metrics = v.object({
  accuracy: frac,
  balancedAccuracy: frac,
  macroF1: frac,
  logLoss: v.nullable(finite({ min: 0, max: 1000 })),
  precision: arrayOf(frac, { min: 2, max: 64 }),
  recall: arrayOf(frac, { min: 2, max: 64 }),
});
/** Test-part metrics of one model (or the ensemble). */
export type BundleMetrics = v.InferOutput<typeof metrics>;

/** One input feature with the normalisation the models expect: input = (raw - mean) / std. */
const feature = v.object({
  name: safeText({ min: 1, max: 80, pattern: SAFE_ID }),
  timeframe: v.nullable(interval),
  indicator: safeText({ min: 1, max: 60, pattern: SAFE_ID }),
  params,
  mean: finite({ min: -1e30, max: 1e30 }),
  std: finite({ min: 0, max: 1e30 }),
  /** True when the feature used its documented neutral fallback (source missing). */
  fallback: v.boolean(),
});
export type BundleFeature = v.InferOutput<typeof feature>;

export const BUNDLE_MODEL_IDS = ["transformer", "lstm", "forest"] as const;
export type BundleModelId = (typeof BUNDLE_MODEL_IDS)[number];

const modelEntry = v.object({
  id: v.picklist(BUNDLE_MODEL_IDS, "expected one of transformer, lstm, forest"),
  /** Paths inside the ZIP. */
  files: arrayOf(path, { min: 1, max: 16 }),
  /** The model's configuration (hyper-parameters). */
  params,
  /** Storage of the weights: tfjs models "float32" or "float16"; forest always "float32". */
  dtype: v.picklist(["float32", "float16"], "expected one of float32, float16"),
  /** Bytes of weights.bin / forest.bin. */
  bytes: int(0, 2 ** 40),
  /** Forest only: how its inputs are laid out from a normalised window (absent: plain vectors). */
  view: v.optional(
    v.object({
      kind: v.picklist(["flat", "compact"], "expected one of flat, compact"),
      window: int(1, 100_000),
      features: int(1, 100_000),
    }),
  ),
});
export type BundleModelEntry = v.InferOutput<typeof modelEntry>;

/**
 * Schema of manifest.json. Unknown fields are dropped when reading (newer writers may add some);
 * every named field is checked for type, range and length.
 */
export const manifestSchema = v.object({
  format: v.literal(BUNDLE_FORMAT, `expected "${BUNDLE_FORMAT}"`),
  formatVersion: v.literal(BUNDLE_VERSION, `expected ${BUNDLE_VERSION}`),
  /** UTC ms. */
  createdAt: int(0, 4_102_444_800_000),
  producer: safeText({ max: 80 }),
  symbols: arrayOf(safeText({ min: 1, max: 20, pattern: /^[A-Z0-9._-]+$/ }), { min: 1, max: 50 }),
  baseInterval: interval,
  timeframes: arrayOf(interval, { min: 1, max: INTERVALS.length }),
  synthetic: v.boolean(),
  /** True when real candles were paired with synthetic alternative data. */
  syntheticAlt: v.optional(v.boolean()),
  /** Time steps per input window. */
  window: int(1, 100_000),
  classNames: arrayOf(safeText({ min: 1, max: 40, pattern: SAFE_ID }), { min: 2, max: 64 }),
  labelSpec: v.object({
    horizon: int(1, 100_000),
    strong: finite({ min: 0, max: 10 }),
    weak: finite({ min: 0, max: 10 }),
    weakZone: v.picklist(["sign", "exclude"], "expected one of sign, exclude"),
    atrScaled: v.boolean(),
  }),
  features: arrayOf(feature, { min: 1, max: 10_000 }),
  models: arrayOf(modelEntry, { max: 3 }),
  ensemble,
  /** Test-part metrics per model id (and "ensemble"). */
  metrics: safeRecord(metrics, { maxKeys: 32, maxKeyLength: 40 }),
  /**
   * Fingerprint of what the models were trained and tested on (lib/export/hash.ts): `data` the
   * matrix and labels, `value` those plus split, window, label spec and normalisation.
   */
  fingerprint: v.object({
    algorithm: v.literal("sha256", 'expected "sha256"'),
    value: safeText({ min: 64, max: 64, pattern: /^[0-9a-f]+$/ }),
    data: safeText({ min: 64, max: 64, pattern: /^[0-9a-f]+$/ }),
    rows: int(0, 1e9),
    features: int(1, 100_000),
  }),
  golden: v.object({ path, cases: int(0, 100_000) }),
});
export type BundleManifest = v.InferOutput<typeof manifestSchema>;

/** manifest.json's parsed JSON checked by the schema: the manifest, or the path and problem. */
export function parseManifest(raw: unknown): Parsed<BundleManifest> {
  return parseWith(manifestSchema, raw);
}
