import type { Interval } from "@/lib/core/intervals";
import { INTERVALS } from "@/lib/core/intervals";
import type { LabelSpec } from "@/lib/core/dataset";
import type { ForestViewSpec } from "@/lib/models/forest/types";
import { SAFE_ID, arr, bool, lit, nullable, num, obj, record, str, type Check } from "../share/schema-kit";
import type { SharedEnsemble, SharedMetrics, SharedParams } from "../share/types";

export const BUNDLE_FORMAT = "trademate-model-bundle";
/** 2: forest/forest.bin in the compact preorder layout (lib/models/forest/serialize.ts). */
export const BUNDLE_VERSION = 2;

/** One input feature with the normalisation the models expect: input = (raw - mean) / std. */
export interface BundleFeature {
  name: string;
  timeframe: Interval | null;
  indicator: string;
  params: Record<string, number | string | boolean>;
  mean: number;
  std: number;
  /** True when the feature used its documented neutral fallback (source missing). */
  fallback: boolean;
}

export type BundleModelId = "transformer" | "lstm" | "forest";

export interface BundleModelEntry {
  id: BundleModelId;
  /** Paths inside the ZIP. */
  files: string[];
  /** The model's configuration (hyper-parameters). */
  params: SharedParams;
  /** Storage of the weights: tfjs models "float32" or "float16"; forest always "float32". */
  dtype: "float32" | "float16";
  /** Bytes of weights.bin / forest.bin. */
  bytes: number;
  /** Forest only: how its inputs are laid out from a normalised window (absent: plain vectors). */
  view?: ForestViewSpec;
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  formatVersion: typeof BUNDLE_VERSION;
  /** UTC ms. */
  createdAt: number;
  producer: string;
  symbols: string[];
  baseInterval: Interval;
  timeframes: Interval[];
  synthetic: boolean;
  /** Time steps per input window. */
  window: number;
  classNames: string[];
  labelSpec: LabelSpec;
  features: BundleFeature[];
  models: BundleModelEntry[];
  ensemble: SharedEnsemble;
  /** Test-part metrics per model id (and "ensemble"). */
  metrics: Record<string, SharedMetrics>;
  /** Fingerprint of the training data: matrix [T*F] float32 + labels int8 (lib/export/hash.ts). */
  fingerprint: { algorithm: "fnv1a-64x2"; value: string; rows: number; features: number };
  golden: { path: string; cases: number };
}

const frac = num({ min: 0, max: 1 });
const id = str({ min: 1, max: 40, pattern: SAFE_ID });
const interval = lit(...INTERVALS);
/** A relative path inside the ZIP: segments that do not start with a dot (no "..", no "/x", no "a//b"). */
const path = str({ min: 1, max: 120, pattern: /^[A-Za-z0-9_-][A-Za-z0-9_.-]*(\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$/ });
const paramValue: Check<number | string | boolean> = (v, p, m) => {
  if (typeof v === "number") return num({ min: -1e15, max: 1e15 })(v, p, m);
  if (typeof v === "boolean") return v;
  return str({ max: 200 })(v, p, m);
};
const params = record(paramValue, { maxKeys: 100, maxKeyLength: 60 });
const weights = arr(obj({ model: id, weight: frac }), { min: 1, max: 16 });

/** Schema of manifest.json (unknown fields are dropped when reading: newer writers may add some). */
export const manifestSchema: Check<BundleManifest> = obj({
  format: lit(BUNDLE_FORMAT),
  formatVersion: lit(BUNDLE_VERSION),
  createdAt: num({ min: 0, max: 4_102_444_800_000, int: true }),
  producer: str({ max: 80 }),
  symbols: arr(str({ min: 1, max: 20, pattern: /^[A-Z0-9._-]+$/ }), { min: 1, max: 50 }),
  baseInterval: interval,
  timeframes: arr(interval, { min: 1, max: INTERVALS.length }),
  synthetic: bool,
  window: num({ min: 1, max: 100_000, int: true }),
  classNames: arr(str({ min: 1, max: 40, pattern: SAFE_ID }), { min: 2, max: 64 }),
  labelSpec: obj({
    horizon: num({ min: 1, max: 100_000, int: true }),
    strong: num({ min: 0, max: 10 }),
    weak: num({ min: 0, max: 10 }),
    weakZone: lit("sign", "exclude"),
    atrScaled: bool,
  }),
  features: arr(
    obj({
      name: str({ min: 1, max: 80, pattern: SAFE_ID }),
      timeframe: nullable(interval),
      indicator: str({ min: 1, max: 60, pattern: SAFE_ID }),
      params,
      mean: num({ min: -1e30, max: 1e30 }),
      std: num({ min: 0, max: 1e30 }),
      fallback: bool,
    }),
    { min: 1, max: 10_000 },
  ),
  models: arr(
    obj(
      {
        id: lit("transformer", "lstm", "forest"),
        files: arr(path, { min: 1, max: 16 }),
        params,
        dtype: lit("float32", "float16"),
        bytes: num({ min: 0, max: 2 ** 40, int: true }),
      },
      {
        view: obj({
          kind: lit("flat", "compact"),
          window: num({ min: 1, max: 100_000, int: true }),
          features: num({ min: 1, max: 100_000, int: true }),
        }),
      },
    ),
    { max: 3 },
  ),
  ensemble: obj({ weights }, { learned: weights }),
  metrics: record(
    obj({
      accuracy: frac,
      balancedAccuracy: frac,
      macroF1: frac,
      logLoss: nullable(num({ min: 0, max: 1000 })),
      precision: arr(frac, { min: 2, max: 64 }),
      recall: arr(frac, { min: 2, max: 64 }),
    }),
    { maxKeys: 32, maxKeyLength: 40 },
  ),
  fingerprint: obj({
    algorithm: lit("fnv1a-64x2"),
    value: str({ min: 16, max: 16, pattern: /^[0-9a-f]+$/ }),
    rows: num({ min: 0, max: 1e9, int: true }),
    features: num({ min: 1, max: 100_000, int: true }),
  }),
  golden: obj({ path, cases: num({ min: 0, max: 100_000, int: true }) }),
});
