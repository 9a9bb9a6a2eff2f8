/**
 * Shapes of the records stored in IndexedDB. Every record carries `v` (its format version) so
 * restore() can migrate old records. Typed arrays are stored as-is (IndexedDB clones them).
 */
import type { QualityReport } from "../core/quality";
import type { Gap, SeriesKey } from "../core/candles";
import type { Dataset } from "../core/dataset";
import type { Interval } from "../core/intervals";
import type { ForestModel } from "../models/forest/types";
import type { TimeRange } from "./ranges";

/** One time-aligned chunk of candles. Primary key [seriesId+chunkStart]. */
export interface ChunkRecord {
  v: 1;
  seriesId: string;
  /** ms, multiple of CHUNK_CANDLES * intervalMs. */
  chunkStart: number;
  count: number;
  /** Packed columns, field-major [CANDLE_FIELDS.length * count] (see chunk-layout). */
  cols: Float64Array;
}

/** Metadata of one stored series, recomputed in the same transaction as each chunk write. */
export interface SeriesRecord {
  v: 1;
  /** seriesId(key), e.g. "binance:BTCUSDT:1h". */
  id: string;
  source: SeriesKey["source"];
  symbol: string;
  interval: Interval;
  synthetic: boolean;
  /** Open time of the first / last stored candle (NaN when empty). */
  first: number;
  last: number;
  count: number;
  /** Runs of consecutive stored candles, sorted and merged. */
  runs: TimeRange[];
  /** Ranges the source has walked through (stored candles plus confirmed holes). Never refetched. */
  covered: TimeRange[];
  /** Holes between stored candles inside covered ranges: real gaps of the source. */
  gaps: Gap[];
  chunks: number;
  bytes: number;
  updatedAt: number;
}

export type JobState = "running" | "cancelled" | "error" | "done";

export interface JobProgress {
  /** Candle slots in the requested range (an upper bound: real gaps stay empty). */
  expected: number;
  /** Slots of the requested range already walked (stored candles and confirmed holes). */
  covered: number;
  /** Candles of the requested range stored (before this job and by it). */
  stored: number;
  /** Candles this job added. */
  added: number;
  /** Candles received that were already stored (skipped). */
  duplicates: number;
  /** Pages (requests) received by this job. */
  requests: number;
  /** Rows received but not stored (open time off the interval grid); absent in older records. */
  rejected?: number;
}

/** A collection job, kept so a reloaded tab can offer "resume". */
export interface JobRecord {
  v: 1;
  id: string;
  seriesId: string;
  key: SeriesKey;
  range: TimeRange;
  state: JobState;
  progress: JobProgress;
  error?: string;
  createdAt: number;
  updatedAt: number;
}

/** What listDatasets returns: a dataset without its arrays. */
export interface DatasetSummary {
  v: 1;
  id: string;
  name: string;
  createdAt: number;
  symbol: string;
  synthetic: boolean;
  baseInterval: Interval;
  timeframes: Interval[];
  rows: number;
  featureCount: number;
  window: number;
  samples: { train: number; val: number; test: number };
  bytes: number;
}

/** A stored dataset: the Dataset itself plus the record version. */
export interface DatasetRecord {
  v: 1;
  dataset: Dataset;
  /** The report made when the dataset was built (absent on datasets built before it was stored). */
  report?: StoredDatasetReport;
}

/**
 * What the user saw when the dataset was built, kept with it so reopening it shows the same:
 * the quality report (gaps and dropped rows of the series it was really built from, whatever
 * their source) and the build notes.
 */
export interface StoredDatasetReport {
  quality: QualityReport;
  notes: string[];
}

export type RunStatus = "pending" | "running" | "paused" | "done" | "failed" | "cancelled";

/**
 * A training run. `config`, `history` and `metrics` belong to the training code; the store only
 * checks they are plain objects.
 */
export interface RunRecord {
  v: 1;
  id: string;
  name: string;
  datasetId: string;
  status: RunStatus;
  createdAt: number;
  updatedAt: number;
  config: Record<string, unknown>;
  /** Per model, per epoch logs (e.g. { transformer: [{epoch, loss, valLoss, ...}] }). */
  history: Record<string, Record<string, number>[]>;
  metrics: Record<string, unknown>;
  error?: string;
}

/** tfjs `ModelArtifacts` in the structural subset we store (lib/db does not import tfjs). */
export interface TfjsArtifacts {
  modelTopology: unknown;
  weightSpecs: unknown[];
  weightData: ArrayBuffer;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: unknown;
}

export type ModelKind = "transformer" | "lstm" | "forest";

/** A trained model of a run. Primary key [runId+name]. */
export interface ModelRecord {
  v: 1;
  runId: string;
  /** Model name within the run, e.g. "transformer". */
  name: string;
  kind: ModelKind;
  createdAt: number;
  tfjs?: TfjsArtifacts;
  forest?: ForestModel;
  meta?: Record<string, unknown>;
}

/** Last epoch state of one model of a run, to resume training. Primary key [runId+model]. */
export interface CheckpointRecord {
  v: 1;
  runId: string;
  model: string;
  epoch: number;
  savedAt: number;
  /** Current weights (tfjs weightSpecs + weightData). */
  weights: { weightSpecs: unknown[]; weightData: ArrayBuffer };
  /** Best weights so far (early stopping restores them), when different from `weights`. */
  bestWeights?: { weightSpecs: unknown[]; weightData: ArrayBuffer };
  /** Optimizer variables (tfjs optimizer.getWeights() serialised the same way). */
  optimizer?: { weightSpecs: unknown[]; weightData: ArrayBuffer };
  /** Trainer state: best val loss, patience counter, RNG state, ... */
  state: Record<string, unknown>;
}

/** One setting. Stays on this device (API keys included). */
export interface SettingRecord {
  key: string;
  value: unknown;
}
