/**
 * The studio's IndexedDB database (Dexie). This folder is the only place that imports Dexie.
 *
 * Versions: each schema change adds a `this.version(n).stores(...)` (with `.upgrade()` when
 * records must change) below the previous ones; never edit an old version. Record-level format
 * changes are handled on read by restore.ts.
 */
import { Dexie, type Table } from "dexie";
import type {
  AltSeriesRecord,
  ChunkRecord,
  CheckpointRecord,
  DatasetRecord,
  DatasetSummary,
  JobRecord,
  ModelRecord,
  RunRecord,
  SeriesRecord,
  SettingRecord,
} from "./records";
import type { DeploymentRecord, SignalRecord } from "./live-records";

export const DEFAULT_DB_NAME = "trademate-studio";

export class StudioDb extends Dexie {
  chunks!: Table<ChunkRecord, [string, number]>;
  series!: Table<SeriesRecord, string>;
  jobs!: Table<JobRecord, string>;
  datasets!: Table<DatasetRecord, string>;
  datasetSummaries!: Table<DatasetSummary, string>;
  runs!: Table<RunRecord, string>;
  models!: Table<ModelRecord, [string, string]>;
  checkpoints!: Table<CheckpointRecord, [string, string]>;
  settings!: Table<SettingRecord, string>;
  deployments!: Table<DeploymentRecord, string>;
  signals!: Table<SignalRecord, [string, number]>;
  altSeries!: Table<AltSeriesRecord, string>;

  constructor(name: string = DEFAULT_DB_NAME) {
    super(name);
    this.version(1).stores({
      chunks: "[seriesId+chunkStart]",
      series: "id, source, symbol, updatedAt",
      jobs: "id, seriesId, state, updatedAt",
      datasets: "id",
      datasetSummaries: "id, createdAt",
      runs: "id, datasetId, status, createdAt",
      models: "[runId+name], runId",
      checkpoints: "[runId+model], runId",
      settings: "key",
    });
    // Live loop (Signals page): one signal per (deployment, candle), so nothing is recorded twice.
    this.version(2).stores({
      deployments: "id, createdAt",
      signals: "[deploymentId+openTime], deploymentId",
    });
    // Alternative data (funding, Fear & Greed, keyed sources): one record per (source, symbol).
    this.version(3).stores({
      altSeries: "id, source, symbol",
    });
  }
}

const opened = new Map<string, StudioDb>();

/**
 * The shared database handle for `name` (one per name per JS realm: the page and each worker
 * open their own; IndexedDB keeps them consistent).
 */
export function getStudioDb(name: string = DEFAULT_DB_NAME): StudioDb {
  let db = opened.get(name);
  if (!db) {
    db = new StudioDb(name);
    opened.set(name, db);
  }
  return db;
}

/** Closes and forgets the handle (tests; "delete all data" in settings). */
export async function deleteStudioDb(name: string = DEFAULT_DB_NAME): Promise<void> {
  const db = opened.get(name) ?? new StudioDb(name);
  opened.delete(name);
  await db.delete();
}
