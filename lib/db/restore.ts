/**
 * restore(): everything read back from IndexedDB passes here (excalidraw's habit). A record from
 * an older format is migrated to the current one; a corrupt record is rejected with a
 * RestoreError instead of flowing into feature code as NaNs or undefined.
 */
import { CANDLE_FIELDS, type Gap } from "../core/candles";
import type { Dataset } from "../core/dataset";
import type { QualityReport } from "../core/quality";
import { isInterval, type Interval } from "../core/intervals";
import type {
  StoredDatasetReport,
  ChunkRecord,
  CheckpointRecord,
  DatasetRecord,
  DatasetSummary,
  JobRecord,
  ModelRecord,
  RunRecord,
  SeriesRecord,
} from "./records";
import type { TimeRange } from "./ranges";

export class RestoreError extends Error {
  constructor(what: string, why: string) {
    super(`Stored ${what} is corrupt: ${why}`);
    this.name = "RestoreError";
  }
}

type Obj = Record<string, unknown>;

function obj(what: string, raw: unknown): Obj {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new RestoreError(what, "not an object");
  return raw as Obj;
}

/**
 * Applies migrations up to `current`. `migrations[n]` turns a version-n record into n+1.
 * Records without `v` are version 0.
 */
function migrate(what: string, raw: Obj, current: number, migrations: Record<number, (r: Obj) => Obj> = {}): Obj {
  let r = raw;
  let v = typeof r.v === "number" ? r.v : 0;
  while (v < current) {
    const step = migrations[v];
    if (!step) throw new RestoreError(what, `unknown format version ${v}`);
    r = step(r);
    v++;
    r = { ...r, v };
  }
  if (v !== current) throw new RestoreError(what, `format version ${v} is newer than this app (${current})`);
  return r;
}

function str(what: string, r: Obj, k: string): string {
  if (typeof r[k] !== "string") throw new RestoreError(what, `${k} is not a string`);
  return r[k] as string;
}

function num(what: string, r: Obj, k: string, opts: { int?: boolean; min?: number; nan?: boolean } = {}): number {
  const x = r[k];
  if (typeof x !== "number") throw new RestoreError(what, `${k} is not a number`);
  if (Number.isNaN(x) && opts.nan) return x;
  if (!Number.isFinite(x)) throw new RestoreError(what, `${k} is not finite`);
  if (opts.int && !Number.isInteger(x)) throw new RestoreError(what, `${k} is not an integer`);
  if (opts.min !== undefined && x < opts.min) throw new RestoreError(what, `${k} < ${opts.min}`);
  return x;
}

function interval(what: string, r: Obj, k: string): Interval {
  const x = r[k];
  if (typeof x !== "string" || !isInterval(x)) throw new RestoreError(what, `${k} is not a known interval`);
  return x;
}

function ranges(what: string, x: unknown, k: string): TimeRange[] {
  if (!Array.isArray(x)) throw new RestoreError(what, `${k} is not a list`);
  let prev = -Infinity;
  return x.map((item) => {
    const r = obj(what, item);
    const from = num(what, r, "from");
    const to = num(what, r, "to");
    if (to < from || from <= prev) throw new RestoreError(what, `${k} is not sorted and disjoint`);
    prev = to;
    return { from, to };
  });
}

function plainObject(what: string, r: Obj, k: string): Obj {
  return obj(`${what}.${k}`, r[k]);
}

function typed<T extends ArrayBufferView>(
  what: string,
  r: Obj,
  k: string,
  ctor: new (...a: never[]) => T,
  length?: number,
): T {
  const x = r[k];
  if (!(x instanceof ctor)) throw new RestoreError(what, `${k} is not a ${ctor.name}`);
  const len = (x as unknown as { length: number }).length;
  if (length !== undefined && len !== length)
    throw new RestoreError(what, `${k} has length ${len}, expected ${length}`);
  return x;
}

function buffer(what: string, x: unknown, k: string): ArrayBuffer {
  if (!(x instanceof ArrayBuffer)) throw new RestoreError(what, `${k} is not an ArrayBuffer`);
  return x;
}

function weights(what: string, x: unknown, k: string): { weightSpecs: unknown[]; weightData: ArrayBuffer } {
  const r = obj(`${what}.${k}`, x);
  if (!Array.isArray(r.weightSpecs)) throw new RestoreError(what, `${k}.weightSpecs is not a list`);
  return { weightSpecs: r.weightSpecs, weightData: buffer(what, r.weightData, `${k}.weightData`) };
}

/**
 * Validates a chunk: packed length matches count, open times strictly increasing and inside
 * [chunkStart, chunkStart + span). `spanMs` = CHUNK_CANDLES * intervalMs when known.
 */
export function restoreChunk(raw: unknown, spanMs?: number): ChunkRecord {
  const w = "chunk";
  const r = migrate(w, obj(w, raw), 1);
  const seriesId = str(w, r, "seriesId");
  const chunkStart = num(w, r, "chunkStart");
  const count = num(w, r, "count", { int: true, min: 0 });
  const cols = typed(w, r, "cols", Float64Array, CANDLE_FIELDS.length * count);
  // openTime is the first field of the packed layout.
  for (let i = 0; i < count; i++) {
    const t = cols[i];
    if (!Number.isFinite(t) || t < chunkStart || (spanMs !== undefined && t >= chunkStart + spanMs)) {
      throw new RestoreError(w, `open time ${t} outside its chunk ${chunkStart}`);
    }
    if (i > 0 && t <= cols[i - 1]) throw new RestoreError(w, "open times not strictly increasing");
  }
  return { v: 1, seriesId, chunkStart, count, cols };
}

export function restoreSeries(raw: unknown): SeriesRecord {
  const w = "series";
  const r = migrate(w, obj(w, raw), 1);
  const source = str(w, r, "source");
  if (source !== "binance" && source !== "file" && source !== "synthetic") throw new RestoreError(w, "unknown source");
  const runs = ranges(w, r.runs, "runs");
  const covered = ranges(w, r.covered, "covered");
  if (!Array.isArray(r.gaps)) throw new RestoreError(w, "gaps is not a list");
  const gaps: Gap[] = r.gaps.map((g) => {
    const o = obj(w, g);
    return { from: num(w, o, "from"), to: num(w, o, "to"), missing: num(w, o, "missing", { int: true, min: 1 }) };
  });
  const count = num(w, r, "count", { int: true, min: 0 });
  return {
    v: 1,
    id: str(w, r, "id"),
    source,
    symbol: str(w, r, "symbol"),
    interval: interval(w, r, "interval"),
    synthetic: r.synthetic === true,
    first: num(w, r, "first", { nan: count === 0 }),
    last: num(w, r, "last", { nan: count === 0 }),
    count,
    runs,
    covered,
    gaps,
    chunks: num(w, r, "chunks", { int: true, min: 0 }),
    bytes: num(w, r, "bytes", { min: 0 }),
    updatedAt: num(w, r, "updatedAt"),
  };
}

export function restoreJob(raw: unknown): JobRecord {
  const w = "job";
  const r = migrate(w, obj(w, raw), 1);
  const state = str(w, r, "state");
  if (state !== "running" && state !== "cancelled" && state !== "error" && state !== "done") {
    throw new RestoreError(w, "unknown state");
  }
  const key = plainObject(w, r, "key");
  const source = str(w, key, "source");
  if (source !== "binance" && source !== "file" && source !== "synthetic") throw new RestoreError(w, "unknown source");
  const range = plainObject(w, r, "range");
  const p = plainObject(w, r, "progress");
  const n = (k: string) => num(w, p, k, { min: 0 });
  return {
    v: 1,
    id: str(w, r, "id"),
    seriesId: str(w, r, "seriesId"),
    key: { source, symbol: str(w, key, "symbol"), interval: interval(w, key, "interval") },
    range: { from: num(w, range, "from"), to: num(w, range, "to") },
    state,
    progress: {
      expected: n("expected"),
      covered: n("covered"),
      stored: n("stored"),
      added: n("added"),
      duplicates: n("duplicates"),
      requests: n("requests"),
      rejected: p.rejected === undefined ? 0 : n("rejected"),
    },
    error: typeof r.error === "string" ? r.error : undefined,
    createdAt: num(w, r, "createdAt"),
    updatedAt: num(w, r, "updatedAt"),
  };
}

/** Validates a stored Dataset: array lengths agree with rows × features. */
export function restoreDataset(raw: unknown): DatasetRecord {
  const w = "dataset";
  const r = migrate(w, obj(w, raw), 1);
  const d = plainObject(w, r, "dataset");
  if (d.version !== 1) throw new RestoreError(w, "unknown Dataset version");
  const rows = num(w, d, "rows", { int: true, min: 0 });
  if (!Array.isArray(d.features)) throw new RestoreError(w, "features is not a list");
  const f = d.features.length;
  typed(w, d, "times", Float64Array, rows);
  typed(w, d, "closes", Float64Array, rows);
  typed(w, d, "matrix", Float32Array, rows * f);
  typed(w, d, "labels", Int8Array, rows);
  typed(w, d, "forwardReturns", Float32Array, rows);
  const split = plainObject(w, d, "split");
  for (const part of ["train", "val", "test"]) {
    const idx = typed(w, split, part, Int32Array);
    for (let i = 0; i < idx.length; i++) {
      if (idx[i] < 0 || idx[i] >= rows) throw new RestoreError(w, `split.${part} index out of range`);
    }
  }
  const norm = plainObject(w, d, "normalization");
  typed(w, norm, "mean", Float32Array, f);
  typed(w, norm, "std", Float32Array, f);
  str(w, d, "id");
  str(w, d, "name");
  interval(w, d, "baseInterval");
  num(w, d, "window", { int: true, min: 1 });
  return { v: 1, dataset: d as unknown as Dataset, report: restoreDatasetReport(r.report) };
}

/**
 * The report stored with a dataset, or undefined when absent or unreadable: a damaged report
 * must not make the dataset unusable (the page then recomputes one and says so).
 */
function restoreDatasetReport(raw: unknown): StoredDatasetReport | undefined {
  if (raw === undefined) return undefined;
  try {
    const w = "dataset report";
    const r = obj(w, raw);
    const q = plainObject(w, r, "quality");
    for (const k of ["samples", "window", "features", "rows", "nanCount", "infCount"]) num(w, q, k, { min: 0 });
    str(w, q, "shape");
    for (const k of ["gaps", "constantFeatures", "fallbackFeatures", "signs"])
      if (!Array.isArray(q[k])) throw new RestoreError(w, `${k} is not a list`);
    plainObject(w, q, "classCounts");
    if (!Array.isArray(r.notes) || !r.notes.every((n) => typeof n === "string"))
      throw new RestoreError(w, "notes are not a list of text");
    return { quality: q as unknown as QualityReport, notes: r.notes as string[] };
  } catch {
    return undefined;
  }
}

export function restoreDatasetSummary(raw: unknown): DatasetSummary {
  const w = "dataset summary";
  const r = migrate(w, obj(w, raw), 1);
  str(w, r, "id");
  str(w, r, "name");
  num(w, r, "rows", { int: true, min: 0 });
  plainObject(w, r, "samples");
  return r as unknown as DatasetSummary;
}

export function restoreRun(raw: unknown): RunRecord {
  const w = "run";
  const r = migrate(w, obj(w, raw), 1);
  const status = str(w, r, "status");
  if (!["pending", "running", "paused", "done", "failed", "cancelled"].includes(status)) {
    throw new RestoreError(w, "unknown status");
  }
  str(w, r, "id");
  str(w, r, "datasetId");
  plainObject(w, r, "config");
  plainObject(w, r, "history");
  plainObject(w, r, "metrics");
  num(w, r, "createdAt");
  num(w, r, "updatedAt");
  return r as unknown as RunRecord;
}

/**
 * Models stored before the forest got one name ("forest" in ids and kinds) say "random-forest",
 * on the record and on its forest: read them as "forest" (nothing else about them changed).
 */
function renameLegacyForestKind(r: Obj): Obj {
  if (r.kind !== "random-forest") return r;
  const forest = r.forest as Obj | undefined;
  const renamed = forest && forest.kind === "random-forest" ? { ...forest, kind: "forest" } : forest;
  return { ...r, kind: "forest", forest: renamed };
}

export function restoreModel(raw: unknown): ModelRecord {
  const w = "model";
  const r = renameLegacyForestKind(migrate(w, obj(w, raw), 1));
  str(w, r, "runId");
  str(w, r, "name");
  const kind = str(w, r, "kind");
  if (kind !== "transformer" && kind !== "lstm" && kind !== "forest") throw new RestoreError(w, "unknown kind");
  if (kind === "forest") {
    const forest = plainObject(w, r, "forest");
    if (!Array.isArray(forest.trees)) throw new RestoreError(w, "forest.trees is not a list");
    for (const t of forest.trees) {
      const tree = obj(w, t);
      const n = typed(w, tree, "feature", Int32Array).length;
      typed(w, tree, "threshold", Float32Array, n);
      typed(w, tree, "left", Int32Array, n);
      typed(w, tree, "right", Int32Array, n);
      typed(w, tree, "value", Float32Array, n * num(w, forest, "numClasses", { int: true, min: 1 }));
    }
  } else {
    const a = plainObject(w, r, "tfjs");
    if (!Array.isArray(a.weightSpecs)) throw new RestoreError(w, "tfjs.weightSpecs is not a list");
    buffer(w, a.weightData, "tfjs.weightData");
  }
  return r as unknown as ModelRecord;
}

export function restoreCheckpoint(raw: unknown): CheckpointRecord {
  const w = "checkpoint";
  const r = migrate(w, obj(w, raw), 1);
  str(w, r, "runId");
  str(w, r, "model");
  num(w, r, "epoch", { int: true, min: 0 });
  weights(w, r.weights, "weights");
  if (r.bestWeights !== undefined) weights(w, r.bestWeights, "bestWeights");
  if (r.optimizer !== undefined) weights(w, r.optimizer, "optimizer");
  plainObject(w, r, "state");
  return r as unknown as CheckpointRecord;
}
