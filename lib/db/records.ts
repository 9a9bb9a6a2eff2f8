/**
 * Shapes of the records stored in IndexedDB, as valibot schemas; the record types come from
 * them. Every record carries `v` (its format version) so restore() can migrate old records, and
 * every read passes its schema (restore.ts): a record with a field of the wrong type, a field the
 * schema does not name or arrays that disagree is refused with the path of the problem. Typed
 * arrays are stored as-is (IndexedDB clones them).
 */
import * as v from "valibot";
import { CANDLE_FIELDS } from "../core/candles";
import type { QualityReport } from "../core/quality";
import { altOriginsSchema, datasetSchema, thresholdFitSchema } from "../core/dataset-schema";
import {
  count,
  figure,
  finite,
  intervalSchema,
  plainObject,
  refine,
  strictObj,
  text,
  textRecord,
  typedArray,
  type Schema,
} from "../core/schema";
import type { ForestModel } from "../models/forest/types";
import {
  checkpointStateSchema,
  epochRecordSchema,
  modelOutcomeSchema,
  runEvaluationSchema,
  storedRunConfigSchema,
  weightSpecSchema,
} from "../run/schema";

const time = finite();
const sourceSchema = v.picklist(["binance", "file", "synthetic"], "unknown source");

// ---------------------------------------------------------------- candles

/** One time-aligned chunk of candles. Primary key [seriesId+chunkStart]. */
export const chunkRecordSchema = v.pipe(
  strictObj({
    v: v.literal(1),
    seriesId: text(200, 1),
    /** ms, multiple of CHUNK_CANDLES * intervalMs. */
    chunkStart: time,
    count,
    /** Packed columns, field-major [CANDLE_FIELDS.length * count] (see chunk-layout). */
    cols: typedArray<Float64Array>(Float64Array, "Float64Array"),
  }),
  refine((c) => {
    const expected = CANDLE_FIELDS.length * c.count;
    return c.cols.length === expected ? null : `cols has length ${c.cols.length}, expected ${expected}`;
  }),
);
export type ChunkRecord = v.InferOutput<typeof chunkRecordSchema>;

const timeRange = strictObj({ from: time, to: time });
const gapSchema = strictObj({ from: time, to: time, missing: finite({ min: 1, int: true }) });
/** Sorted, disjoint ranges of open times (inclusive). */
const ranges = v.pipe(
  v.array(timeRange),
  refine((rs) => {
    let prev = -Infinity;
    for (const r of rs) {
      if (r.to < r.from || r.from <= prev) return "not sorted and disjoint";
      prev = r.to;
    }
    return null;
  }),
);

/** Metadata of one stored series, recomputed in the same transaction as each chunk write. */
export const seriesRecordSchema = v.pipe(
  strictObj({
    v: v.literal(1),
    /** seriesId(key), e.g. "binance:BTCUSDT:1h". */
    id: text(200, 1),
    source: sourceSchema,
    symbol: text(40, 1),
    interval: intervalSchema,
    synthetic: v.boolean(),
    /** Open time of the first / last stored candle (NaN when empty). */
    first: figure,
    last: figure,
    count,
    /** Runs of consecutive stored candles, sorted and merged. */
    runs: ranges,
    /** Ranges the source has walked through (stored candles plus confirmed holes). Never refetched. */
    covered: ranges,
    /** Holes between stored candles inside covered ranges: real gaps of the source. */
    gaps: v.array(gapSchema),
    chunks: count,
    bytes: finite({ min: 0 }),
    updatedAt: time,
  }),
  refine((s) =>
    s.count === 0 || (Number.isFinite(s.first) && Number.isFinite(s.last)) ? null : "first or last is not finite",
  ),
);
export type SeriesRecord = v.InferOutput<typeof seriesRecordSchema>;

// ---------------------------------------------------------------- alternative data

export const altSourceSchema = v.picklist(
  ["funding", "fearGreed", "onchain", "sentiment"],
  "unknown alternative source",
);
export const altOriginSchema = v.picklist(["file", "fetch"], "unknown origin");

/**
 * One stored alternative series: every value of (source, symbol), unique by stamp. Primary key
 * `id` = "source:symbol" (altSeriesId). Stamps are the source's own (see ALT_PUBLICATION_DELAY_MS
 * for when each becomes known); Fear & Greed is stored under the symbol "MARKET".
 */
export const altSeriesRecordSchema = v.pipe(
  strictObj({
    v: v.literal(1),
    id: text(200, 1),
    source: altSourceSchema,
    symbol: text(40, 1),
    /** Stamps, UTC ms, strictly increasing. [count] */
    time: typedArray<Float64Array>(Float64Array, "Float64Array"),
    /** Values as the source gives them (funding fraction per period, index 0..100, scores). [count] */
    value: typedArray<Float64Array>(Float64Array, "Float64Array"),
    /** Stamp ranges a file or a fetch has gone through: holes inside are gaps, and are not fetched again. */
    covered: ranges,
    /** Where the values came from (a file import, a fetch, or both). */
    origins: v.array(altOriginSchema),
    updatedAt: time,
  }),
  refine((r) => {
    if (r.time.length !== r.value.length) return `time has ${r.time.length} values, value ${r.value.length}`;
    for (let i = 1; i < r.time.length; i++) if (!(r.time[i] > r.time[i - 1])) return "stamps not strictly increasing";
    return null;
  }),
);
export type AltSeriesRecord = v.InferOutput<typeof altSeriesRecordSchema>;

// ---------------------------------------------------------------- collection jobs

export const jobStateSchema = v.picklist(["running", "cancelled", "error", "done"], "unknown state");
export type JobState = v.InferOutput<typeof jobStateSchema>;

const progressSchema = strictObj({
  /** Candle slots in the requested range (an upper bound: real gaps stay empty). */
  expected: finite({ min: 0 }),
  /** Slots of the requested range already walked (stored candles and confirmed holes). */
  covered: finite({ min: 0 }),
  /** Candles of the requested range stored (before this job and by it). */
  stored: finite({ min: 0 }),
  /** Candles this job added. */
  added: finite({ min: 0 }),
  /** Candles received that were already stored (skipped). */
  duplicates: finite({ min: 0 }),
  /** Pages (requests) received by this job. */
  requests: finite({ min: 0 }),
  /** Rows received but not stored (open time off the interval grid, or invalid); absent in older records. */
  rejected: v.optional(finite({ min: 0 })),
});
export type JobProgress = v.InferOutput<typeof progressSchema>;

/** A collection job, kept so a reloaded tab can offer "resume". */
export const jobRecordSchema = strictObj({
  v: v.literal(1),
  state: jobStateSchema,
  id: text(200, 1),
  seriesId: text(200, 1),
  key: strictObj({ source: sourceSchema, symbol: text(40, 1), interval: intervalSchema }),
  range: strictObj({ from: time, to: time }),
  progress: progressSchema,
  error: v.optional(text()),
  createdAt: time,
  updatedAt: time,
});
export type JobRecord = v.InferOutput<typeof jobRecordSchema>;

// ---------------------------------------------------------------- datasets

/** What listDatasets returns: a dataset without its arrays. */
export const datasetSummarySchema = strictObj({
  v: v.literal(1),
  id: text(200, 1),
  name: text(),
  createdAt: time,
  symbol: text(40),
  synthetic: v.boolean(),
  /** Where each alternative source's values came from (absent for datasets built before it was kept). */
  altOrigin: v.optional(altOriginsSchema),
  baseInterval: intervalSchema,
  timeframes: v.array(intervalSchema),
  rows: count,
  featureCount: count,
  window: finite({ min: 1, int: true }),
  samples: strictObj({ train: count, val: count, test: count }),
  bytes: finite({ min: 0 }),
});
export type DatasetSummary = v.InferOutput<typeof datasetSummarySchema>;

/** The quality report of a dataset as built (lib/core/quality). */
const qualityReportSchema: Schema<QualityReport> = strictObj({
  samples: count,
  window: count,
  features: count,
  shape: text(),
  rows: count,
  classCounts: strictObj({
    overall: v.array(count),
    train: v.array(count),
    val: v.array(count),
    test: v.array(count),
  }),
  nanCount: count,
  infCount: count,
  gaps: v.array(strictObj({ interval: intervalSchema, gaps: v.array(gapSchema) })),
  dropped: v.optional(strictObj({ warmup: count, unaligned: count, nonFinite: count })),
  constantFeatures: v.array(v.string()),
  fallbackFeatures: v.array(v.string()),
  thresholds: v.optional(
    strictObj({
      strong: finite({ min: 0 }),
      weak: finite({ min: 0 }),
      atrScaled: v.boolean(),
      fit: v.optional(thresholdFitSchema),
    }),
  ),
  perSymbol: v.optional(
    v.array(
      strictObj({
        symbol: text(40, 1),
        rows: count,
        samples: count,
        classCounts: strictObj({
          overall: v.array(count),
          train: v.array(count),
          val: v.array(count),
          test: v.array(count),
        }),
        worstClass: finite({ min: 0, max: 1 }),
        constantFeatures: v.array(v.string()),
      }),
    ),
  ),
  signs: v.array(
    strictObj({
      id: v.picklist(["samples", "all-classes", "worst-class", "dominant-class", "finite"]),
      label: text(),
      status: v.picklist(["good", "warn", "bad"]),
      detail: text(),
      remedy: v.optional(text()),
    }),
  ),
  ok: v.boolean(),
});

/**
 * What the user saw when the dataset was built, kept with it so reopening it shows the same:
 * the quality report (gaps and dropped rows of the series it was really built from, whatever
 * their source) and the build notes.
 */
export const storedDatasetReportSchema = strictObj({ quality: qualityReportSchema, notes: v.array(text()) });
export type StoredDatasetReport = v.InferOutput<typeof storedDatasetReportSchema>;

/** A stored dataset: the Dataset itself, keyed by its id, plus the record version. */
export const datasetRecordSchema = v.pipe(
  strictObj({
    v: v.literal(1),
    id: text(200, 1),
    dataset: datasetSchema,
    // Absent on datasets built before reports were kept; a damaged report reads as absent (the
    // page then recomputes one and says so) rather than making the dataset unusable.
    report: v.optional(v.fallback(v.optional(storedDatasetReportSchema), undefined)),
  }),
  refine((r) => (r.id === r.dataset.id ? null : `key ${r.id} differs from dataset.id ${r.dataset.id}`)),
);
export type DatasetRecord = v.InferOutput<typeof datasetRecordSchema>;

// ---------------------------------------------------------------- runs, models, checkpoints

export const runStatusSchema = v.picklist(
  ["pending", "running", "paused", "done", "failed", "cancelled"],
  "unknown status",
);
export type RunStatus = v.InferOutput<typeof runStatusSchema>;

/**
 * Current format of run records; restore.ts migrates older ones (1: summary was a share link's;
 * 2: the evaluation had no trial list; 3: nor every seed's results).
 */
export const RUN_RECORD_VERSION = 4 as const;

/** A training run: its configuration, per-model training curves and, once done, its evaluation. */
export const runRecordSchema = strictObj({
  v: v.literal(RUN_RECORD_VERSION),
  id: text(200, 1),
  name: text(),
  datasetId: text(200, 1),
  status: runStatusSchema,
  createdAt: time,
  updatedAt: time,
  config: storedRunConfigSchema,
  /** Per model, per epoch logs (e.g. { transformer: [{epoch, loss, valLoss, ...}] }). */
  history: textRecord(v.array(epochRecordSchema)),
  metrics: strictObj({ evaluation: v.optional(runEvaluationSchema) }),
  error: v.optional(text()),
});
export type RunRecord = v.InferOutput<typeof runRecordSchema>;

const buffer = typedArray<ArrayBuffer>(ArrayBuffer, "ArrayBuffer");

/** tfjs `ModelArtifacts` in the structural subset we store (lib/db does not import tfjs). */
export const tfjsArtifactsSchema = strictObj({
  /** model.json's "modelTopology" (tfjs checks it when it builds the model). */
  modelTopology: plainObject,
  weightSpecs: v.array(weightSpecSchema),
  weightData: buffer,
  format: v.optional(v.string()),
  generatedBy: v.optional(v.string()),
  convertedBy: v.optional(v.nullable(v.string())),
});
export type TfjsArtifacts = v.InferOutput<typeof tfjsArtifactsSchema>;

const i32 = typedArray<Int32Array>(Int32Array, "Int32Array");
const f32 = typedArray<Float32Array>(Float32Array, "Float32Array");

/** Why the trees' arrays disagree with each other or with the class count, or null. */
function forestProblem(f: ForestModel): string | null {
  if (f.importances.length !== f.numFeatures || f.featureNames.length !== f.numFeatures)
    return `${f.featureNames.length} names and ${f.importances.length} importances for ${f.numFeatures} inputs`;
  for (let i = 0; i < f.trees.length; i++) {
    const t = f.trees[i];
    const n = t.feature.length;
    for (const [k, a, len] of [
      ["threshold", t.threshold, n],
      ["left", t.left, n],
      ["right", t.right, n],
      ["value", t.value, n * f.numClasses],
    ] as const)
      if (a.length !== len) return `trees[${i}].${k} has length ${a.length}, expected ${len}`;
  }
  return null;
}

export const forestModelSchema: Schema<ForestModel> = v.pipe(
  strictObj({
    kind: v.literal("forest"),
    numClasses: finite({ min: 1, int: true }),
    numFeatures: finite({ min: 1, int: true }),
    featureNames: v.array(v.string()),
    trees: v.array(strictObj({ feature: i32, threshold: f32, left: i32, right: i32, value: f32 })),
    importances: f32,
    view: v.optional(
      strictObj({
        kind: v.picklist(["flat", "compact"], "unknown forest view"),
        window: finite({ min: 1, int: true }),
        features: finite({ min: 1, int: true }),
      }),
    ),
  }),
  refine(forestProblem),
);

export const modelKindSchema = v.picklist(["transformer", "lstm", "forest"], "unknown kind");
export type ModelKind = v.InferOutput<typeof modelKindSchema>;

/** A trained model of a run: its artifacts and what training it produced. Primary key [runId+name]. */
export const modelRecordSchema = v.pipe(
  strictObj({
    v: v.literal(1),
    runId: text(200, 1),
    /** Model name within the run, e.g. "transformer". */
    name: text(60, 1),
    kind: modelKindSchema,
    createdAt: time,
    tfjs: v.optional(tfjsArtifactsSchema),
    forest: v.optional(forestModelSchema),
    meta: v.optional(
      strictObj({
        outcome: v.optional(modelOutcomeSchema),
        /** True for models that came from an imported bundle. */
        imported: v.optional(v.boolean()),
      }),
    ),
  }),
  refine((m) =>
    m.kind === "forest"
      ? m.forest
        ? null
        : "a forest model without its forest"
      : m.tfjs
        ? null
        : `a ${m.kind} model without its tfjs artifacts`,
  ),
);
export type ModelRecord = v.InferOutput<typeof modelRecordSchema>;

/** Tensors as one buffer plus tfjs's weight manifest. */
export const storedWeightsSchema = strictObj({ weightSpecs: v.array(weightSpecSchema), weightData: buffer });
export type StoredWeights = v.InferOutput<typeof storedWeightsSchema>;

/** Last epoch state of one model of a run, to resume training. Primary key [runId+model]. */
export const checkpointRecordSchema = strictObj({
  v: v.literal(1),
  runId: text(200, 1),
  model: v.picklist(["transformer", "lstm"], "unknown model"),
  epoch: count,
  savedAt: time,
  /** Current weights. */
  weights: storedWeightsSchema,
  /** Best weights so far (early stopping restores them). */
  bestWeights: v.optional(storedWeightsSchema),
  /** Optimizer variables (tfjs optimizer.getWeights() serialised the same way). */
  optimizer: v.optional(storedWeightsSchema),
  /** Trainer state: best val loss, patience counter, history, ... */
  state: checkpointStateSchema,
});
export type CheckpointRecord = v.InferOutput<typeof checkpointRecordSchema>;

// ---------------------------------------------------------------- settings

/** One setting. Stays on this device (API keys included). */
export interface SettingRecord {
  key: string;
  value: unknown;
}
