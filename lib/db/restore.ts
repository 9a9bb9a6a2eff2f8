/**
 * restore(): everything read back from IndexedDB passes here (excalidraw's habit). A record from
 * an older format is migrated to the current one, then checked by its schema (records.ts) as
 * strictly as a share link is: a corrupt record is rejected with a RestoreError naming the field,
 * instead of flowing into feature code as NaNs or undefined. Writes of run data pass the same
 * schemas (`checkedRecord`), so nothing is stored that could not be read back.
 */
import * as v from "valibot";
import { parseWith, type Schema } from "../core/schema";
import {
  backtestSummarySchema,
  evaluationMetricsSchema,
  resultSummarySchema,
  type BacktestSummary,
} from "../run/schema";
import { seedEntry } from "../run/seeds";
import { reconstructedTrials, rulesOf, withTrialReport } from "../run/trials";
import { completeLegacySummary } from "../run/verdict";
import {
  altSeriesRecordSchema,
  checkpointRecordSchema,
  chunkRecordSchema,
  datasetRecordSchema,
  datasetSummarySchema,
  jobRecordSchema,
  modelRecordSchema,
  runRecordSchema,
  RUN_RECORD_VERSION,
  seriesRecordSchema,
  type AltSeriesRecord,
  type CheckpointRecord,
  type ChunkRecord,
  type DatasetRecord,
  type DatasetSummary,
  type JobRecord,
  type ModelRecord,
  type RunRecord,
  type SeriesRecord,
} from "./records";

export class RestoreError extends Error {
  constructor(what: string, why: string) {
    super(`Stored ${what} is corrupt: ${why}`);
    this.name = "RestoreError";
  }
}

type Obj = Record<string, unknown>;
type Migrations = Record<number, (r: Obj) => Obj>;

function isObj(x: unknown): x is Obj {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/**
 * Applies migrations up to `current`. `migrations[n]` turns a version-n record into n+1.
 * Records without `v` are version 0.
 */
function migrate(what: string, raw: Obj, current: number, migrations: Migrations = {}): Obj {
  let r = raw;
  let v = typeof r.v === "number" ? r.v : 0;
  while (v < current) {
    const step = migrations[v];
    if (!step) throw new RestoreError(what, `unknown format version ${v}`);
    try {
      r = step(r);
    } catch (e) {
      throw new RestoreError(what, `format version ${v} cannot be migrated (${(e as Error).message})`);
    }
    v++;
    r = { ...r, v };
  }
  if (v !== current) throw new RestoreError(what, `format version ${v} is newer than this app (${current})`);
  return r;
}

/** `raw` migrated to format `current` and checked by `schema`; a RestoreError otherwise. */
export function restore<T>(what: string, raw: unknown, schema: Schema<T>, current: number, migrations?: Migrations): T {
  if (!isObj(raw)) throw new RestoreError(what, "not an object");
  const parsed = parseWith(schema, migrate(what, raw, current, migrations));
  if (!parsed.ok) throw new RestoreError(what, parsed.error);
  return parsed.value;
}

/** `record` checked by `schema` before it is written: a programming error is reported, not stored. */
export function checkedRecord<T>(what: string, schema: Schema<T>, record: T): T {
  const parsed = parseWith(schema, record);
  if (!parsed.ok) throw new Error(`Cannot store the ${what}: ${parsed.error}`);
  return parsed.value;
}

/**
 * Validates a chunk: packed length matches count, open times strictly increasing and inside
 * [chunkStart, chunkStart + span). `spanMs` = CHUNK_CANDLES * intervalMs when known.
 */
export function restoreChunk(raw: unknown, spanMs?: number): ChunkRecord {
  const w = "chunk";
  const c = restore(w, raw, chunkRecordSchema, 1);
  const { cols, chunkStart } = c;
  // openTime is the first field of the packed layout.
  for (let i = 0; i < c.count; i++) {
    const t = cols[i];
    if (!Number.isFinite(t) || t < chunkStart || (spanMs !== undefined && t >= chunkStart + spanMs)) {
      throw new RestoreError(w, `open time ${t} outside its chunk ${chunkStart}`);
    }
    if (i > 0 && t <= cols[i - 1]) throw new RestoreError(w, "open times not strictly increasing");
  }
  return c;
}

export function restoreSeries(raw: unknown): SeriesRecord {
  return restore("series", raw, seriesRecordSchema, 1);
}

export function restoreAltSeries(raw: unknown): AltSeriesRecord {
  return restore("alternative series", raw, altSeriesRecordSchema, 1);
}

export function restoreJob(raw: unknown): JobRecord {
  return restore("job", raw, jobRecordSchema, 1);
}

/** Validates a stored Dataset: array lengths agree with rows × features, split indices inside the rows. */
export function restoreDataset(raw: unknown): DatasetRecord {
  return restore("dataset", raw, datasetRecordSchema, 1);
}

export function restoreDatasetSummary(raw: unknown): DatasetSummary {
  return restore("dataset summary", raw, datasetSummarySchema, 1);
}

/**
 * Run records of format 1 kept, as their evaluation's summary, the share link's version of it
 * (a `v` of its own, no verdict, no ensemble estimate): the summary is completed as the
 * dashboard completed it then.
 */
function runV1toV2(r: Obj): Obj {
  const metrics = isObj(r.metrics) ? r.metrics : {};
  const evaluation = metrics.evaluation;
  if (!isObj(evaluation) || !isObj(evaluation.summary)) return r;
  const { v: _shareVersion, ...summary } = evaluation.summary;
  const results = parseWith(v.array(resultSummarySchema), summary.results);
  if (!results.ok) throw new Error(`metrics.evaluation.summary.results${results.error.replace(/^\(root\)/, "")}`);
  const ensemble = isObj(summary.ensemble) ? summary.ensemble : {};
  const weights = Array.isArray(ensemble.weights) ? ensemble.weights.filter(isWeight) : [];
  const completed = completeLegacySummary({ results: results.value, ensemble: { weights } });
  return {
    ...r,
    metrics: {
      ...metrics,
      evaluation: {
        ...evaluation,
        summary: { ...summary, ensemble: { ...ensemble, ...completed.ensemble }, verdict: completed.verdict },
      },
    },
  };
}

/**
 * Run records of format 2 had no trial list (issue 12): the evaluation gets the one trial it
 * shows, rebuilt from its backtest and each result's evaluation_metrics.json
 * (lib/run/trials.ts reconstructedTrials), and the summary and reports say where its rules came
 * from. A run whose rules were changed on the Results page (a stored `config.backtest`) is
 * marked as chosen after the test result was seen.
 */
function runV2toV3(r: Obj): Obj {
  const metrics = isObj(r.metrics) ? r.metrics : {};
  const evaluation = metrics.evaluation;
  if (!isObj(evaluation) || !isObj(evaluation.summary) || "trials" in evaluation) return r;
  const parsedBacktest =
    evaluation.summary.backtest === undefined
      ? undefined
      : parseWith(backtestSummarySchema, evaluation.summary.backtest);
  if (parsedBacktest && !parsedBacktest.ok)
    throw new Error(fieldError("metrics.evaluation.summary.backtest", parsedBacktest.error));
  const reports = parseWith(v.record(v.string(), evaluationMetricsSchema), evaluation.metrics);
  if (!reports.ok) throw new Error(fieldError("metrics.evaluation.metrics", reports.error));
  const backtest: BacktestSummary | undefined = parsedBacktest?.value;
  const retraded = isObj(r.config) && r.config.backtest !== undefined;
  const at = typeof r.updatedAt === "number" ? r.updatedAt : 0;
  const trials = reconstructedTrials(backtest, reports.value, retraded, at);
  const stored = evaluation.summary.backtest;
  const summary = isObj(stored)
    ? { ...evaluation.summary, backtest: { ...stored, rules: rulesOf(trials) } }
    : evaluation.summary;
  return {
    ...r,
    metrics: {
      ...metrics,
      evaluation: { ...evaluation, summary, metrics: withTrialReport(reports.value, trials), trials },
    },
  };
}

/**
 * Run records of format 3 kept one seed's results only, as their summary and reports: the
 * evaluation gets that seed as its list of seeds (offset 0, the run's own models).
 */
function runV3toV4(r: Obj): Obj {
  const metrics = isObj(r.metrics) ? r.metrics : {};
  const evaluation = metrics.evaluation;
  if (!isObj(evaluation) || !isObj(evaluation.summary) || "seeds" in evaluation) return r;
  const results = parseWith(v.array(resultSummarySchema), evaluation.summary.results);
  if (!results.ok) throw new Error(fieldError("metrics.evaluation.summary.results", results.error));
  const reports = parseWith(v.record(v.string(), evaluationMetricsSchema), evaluation.metrics);
  if (!reports.ok) throw new Error(fieldError("metrics.evaluation.metrics", reports.error));
  const seeds = [seedEntry(0, { summary: { results: results.value }, metrics: reports.value })];
  return { ...r, metrics: { ...metrics, evaluation: { ...evaluation, seeds } } };
}

/** A parse error of the value at `path`, named from the record's root. */
function fieldError(path: string, error: string): string {
  return error.startsWith("(root)") ? `${path}${error.slice("(root)".length)}` : `${path}.${error}`;
}

function isWeight(w: unknown): w is { model: string; weight: number } {
  return isObj(w) && typeof w.model === "string" && typeof w.weight === "number";
}

export function restoreRun(raw: unknown): RunRecord {
  return restore("run", raw, runRecordSchema, RUN_RECORD_VERSION, { 1: runV1toV2, 2: runV2toV3, 3: runV3toV4 });
}

/** Models stored before the forest had one name everywhere were of kind "random-forest". */
function renameLegacyForestKind(raw: unknown): unknown {
  if (!isObj(raw) || raw.kind !== "random-forest") return raw;
  const forest =
    isObj(raw.forest) && raw.forest.kind === "random-forest" ? { ...raw.forest, kind: "forest" } : raw.forest;
  return { ...raw, kind: "forest", forest };
}

export function restoreModel(raw: unknown): ModelRecord {
  return restore("model", renameLegacyForestKind(raw), modelRecordSchema, 1);
}

export function restoreCheckpoint(raw: unknown): CheckpointRecord {
  return restore("checkpoint", raw, checkpointRecordSchema, 1);
}
