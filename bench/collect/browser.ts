/**
 * Collect benchmark (headless Chromium via bench/run.ts; node.ts starts the mock Binance).
 *
 * Cases, each printed as one JSON row:
 * - mock-2y-15m / mock-2y-1h / mock-2y-4h: 2 years (2022-01-01 .. 2024-01-01) of BTCUSDT from
 *   the mock through the studio's real path: lib/jobs/collect/client → a Web Worker
 *   running lib/jobs/collect/api (collectSeries + the Binance client) → lib/db chunks in
 *   IndexedDB. Then verified from the page (count, order, duplicates, close checksum, gaps
 *   against the mock's own data) and collected a second time, which must send no kline request.
 * - naive-rows-1h: reference in the same run: the same Binance client walk for 1h, stored one
 *   IndexedDB record per candle (Dexie bulkPut), in its own worker and database.
 * - import-csv-1h: ../shared/data/binance/BTCUSDT-1h.csv through the studio's file import
 *   (collect worker importFiles → importCandleFiles + importSeries), imported twice.
 *
 * Each case runs `reps` times (default 3; the series is deleted between runs) and wall_s is the
 * median (wall_s_runs lists all). idb_bytes is the navigator.storage.estimate() usage delta
 * around the first run, into a fresh database (IndexedDB usage when usageDetails has it);
 * series_bytes is the stored series' packed size from lib/db listSeries.
 * Params: reps (3); mock, expected come from node.ts; shared=0 skips the CSV case.
 */
import * as Comlink from "comlink";
import { seriesId, type CandleColumns, type SeriesKey } from "@/lib/core/candles";
import { intervalMs, type Interval } from "@/lib/core/intervals";
import { deleteSeries, deleteStudioDb, getStudioDb, listSeries, readSeries } from "@/lib/db";
import { importCandleFiles } from "@/lib/sources/files";
import { createCollectClient } from "@/lib/jobs/collect/client";
import type { BenchCollectWorkerApi } from "./collect.worker";
import type { NaiveWorkerApi } from "./naive.worker";
import { closeChecksum, INTERVALS, NAIVE_DB_NAME, RANGE_END, RANGE_FROM, SYMBOL, type Expected } from "./shared";

const params = new URLSearchParams(location.search);
const MOCK = params.get("mock") ?? "";
const EXPECTED = JSON.parse(params.get("expected") ?? "{}") as Record<string, Expected>;
const LOAD_AVG = params.has("load_avg") ? Number(params.get("load_avg")) : undefined;
const REPS = Math.max(1, Number(params.get("reps") ?? 3));

// load_avg: the 1-minute load average in node.ts before the page ran (the machine may be shared).
const report = (row: Record<string, unknown>) =>
  console.log("BENCH " + JSON.stringify({ bench: "collect", ...row, load_avg: LOAD_AVG }));
const r3 = (x: number) => +x.toFixed(3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** IndexedDB usage of this origin (bytes); the total usage when the browser gives no breakdown. */
async function idbUsage(): Promise<{ bytes: number; source: string }> {
  const e = (await navigator.storage.estimate()) as StorageEstimate & { usageDetails?: Record<string, number> };
  // Chromium leaves a zero entry out of usageDetails, so a missing indexedDB key there means 0.
  if (e.usageDetails)
    return { bytes: e.usageDetails.indexedDB ?? 0, source: "storage.estimate().usageDetails.indexedDB" };
  return { bytes: e.usage ?? NaN, source: "storage.estimate().usage" };
}

let IDB_SOURCE = "";

/** Kline requests the mock has answered so far (its /__stats, any status). */
async function klineRequests(): Promise<number> {
  const s = (await (await fetch(`${MOCK}/__stats`)).json()) as { byPath: Record<string, number> };
  return s.byPath["/api/v3/klines"] ?? 0;
}

function deleteRawDb(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
  });
}

/** Order, duplicate and gap facts of candles read back. */
function shapeOf(
  c: CandleColumns,
  step: number,
): { strictlyIncreasing: boolean; gaps: { from: number; to: number; missing: number }[] } {
  let strictlyIncreasing = true;
  const gaps: { from: number; to: number; missing: number }[] = [];
  for (let i = 1; i < c.openTime.length; i++) {
    const d = c.openTime[i] - c.openTime[i - 1];
    if (d <= 0) strictlyIncreasing = false;
    else if (d !== step) gaps.push({ from: c.openTime[i - 1] + step, to: c.openTime[i] - step, missing: d / step - 1 });
  }
  return { strictlyIncreasing, gaps };
}

/** Rows in the series' chunk records (a candle stored twice in two chunks would show here). */
async function chunkRows(sid: string): Promise<{ rows: number; chunks: number }> {
  const db = getStudioDb();
  const raws = await db.chunks
    .where("[seriesId+chunkStart]")
    .between([sid, -Infinity], [sid, Infinity], true, true)
    .toArray();
  return { rows: raws.reduce((n, r) => n + r.count, 0), chunks: raws.length };
}

let worker: Worker | null = null;
const client = createCollectClient(() => {
  worker = new Worker("./collect.worker.js", { type: "module", name: "collect" });
  return worker;
});
let benchRemote: Comlink.Remote<BenchCollectWorkerApi> | null = null;
/** The bench-only extra of the collect worker (fetch timing); a second Comlink handle on the client's worker. */
function benchApi(): Comlink.Remote<BenchCollectWorkerApi> {
  if (!worker) throw new Error("collect worker not started");
  benchRemote ??= Comlink.wrap<BenchCollectWorkerApi>(worker);
  return benchRemote;
}

interface StudioMeasure {
  wallS: number;
  idbBytes: number;
  seriesBytes: number;
}

async function mockCase(interval: Interval): Promise<StudioMeasure> {
  const step = intervalMs(interval);
  const key: SeriesKey = { source: "binance", symbol: SYMBOL, interval };
  const range = { from: RANGE_FROM, to: RANGE_END - step };
  const exp = EXPECTED[interval];

  const db = getStudioDb();
  const walls: number[] = [];
  const fetches: number[] = [];
  let idbBytes = NaN;
  let requests = NaN;
  let progressEvents = 0;
  let res: Awaited<ReturnType<typeof client.collect>> | undefined;
  let q1 = NaN;
  for (let rep = 0; rep < REPS; rep++) {
    if (rep > 0) await deleteSeries(db, key);
    const u0 = await idbUsage();
    const q0 = await klineRequests();
    progressEvents = 0;
    const t0 = performance.now();
    res = await client.collect({ key, range, baseUrl: MOCK }, { onProgress: () => progressEvents++ });
    walls.push((performance.now() - t0) / 1000);
    q1 = await klineRequests();
    fetches.push((await benchApi().takeFetchStats()).fetchMs / 1000);
    if (rep === 0) {
      idbBytes = (await idbUsage()).bytes - u0.bytes;
      requests = q1 - q0;
    }
  }
  if (!res) throw new Error("no run");
  const wallS = median(walls);

  // Verification (not timed, after the last run): read back through lib/db, compare with the mock's own data.
  const series = (await listSeries(db)).find((s) => s.id === seriesId(key));
  const stored = await readSeries(db, key, range.from, range.to);
  const shape = shapeOf(stored, step);
  const rows = await chunkRows(seriesId(key));
  const storedSum = closeChecksum(stored.close);
  const seriesGaps = (series?.gaps ?? [])
    .filter((g) => g.to >= range.from && g.from <= range.to)
    .map((g) => ({ from: g.from, to: g.to, missing: g.missing }));
  const checks = {
    state_done: res.state === "done",
    count_matches_mock: stored.openTime.length === exp.count,
    series_count_matches: series?.count === exp.count,
    chunk_rows_match: rows.rows === exp.count,
    strictly_increasing: shape.strictlyIncreasing,
    close_checksum_matches: storedSum === exp.closeSum,
    gaps_match_mock: JSON.stringify(shape.gaps) === JSON.stringify(exp.gaps),
    series_gaps_recorded: JSON.stringify(seriesGaps) === JSON.stringify(exp.gaps),
  };

  // Incremental: the same range again must be answered from the stored coverage.
  const t2 = performance.now();
  const res2 = await client.collect({ key, range, baseUrl: MOCK });
  const secondS = (performance.now() - t2) / 1000;
  const q2 = await klineRequests();
  await benchApi().takeFetchStats();
  const secondRunRequests = q2 - q1;
  const after2 = await readSeries(db, key, range.from, range.to);
  const secondOk =
    secondRunRequests === 0 &&
    res2.fetched.length === 0 &&
    res2.progress.added === 0 &&
    after2.openTime.length === exp.count;

  const candles = stored.openTime.length;
  const fetchS = median(fetches);
  report({
    case: `mock-2y-${interval}`,
    path: "collect-client → Web Worker (lib/jobs/collect/api collectSeries + Binance client) → lib/db chunks (Dexie)",
    candles,
    expected_candles: exp.count,
    range_slots: res.progress.expected,
    wall_s: r3(wallS),
    wall_s_runs: walls.map(r3),
    candles_per_s: Math.round(candles / wallS),
    requests,
    lib_pages: res.progress.requests,
    fetch_s: r3(fetchS),
    store_and_rest_s: r3(wallS - fetchS),
    progress_events: progressEvents,
    idb_bytes: idbBytes,
    idb_bytes_source: IDB_SOURCE,
    series_bytes: series?.bytes ?? null,
    series_bytes_source: "lib/db listSeries().bytes (packed Float64 chunks)",
    bytes_per_candle: r3(idbBytes / candles),
    chunks: rows.chunks,
    gaps: seriesGaps.map((g) => ({
      from: new Date(g.from).toISOString(),
      to: new Date(g.to).toISOString(),
      missing: g.missing,
    })),
    second_run_requests: secondRunRequests,
    second_run_lib_pages: res2.progress.requests,
    second_run_wall_s: r3(secondS),
    correct: Object.values(checks).every(Boolean) && secondOk,
    checks: { ...checks, second_run_incremental: secondOk },
  });
  return { wallS, idbBytes, seriesBytes: series?.bytes ?? NaN };
}

async function naiveCase(interval: Interval, studio: StudioMeasure): Promise<void> {
  const step = intervalMs(interval);
  const w = new Worker("./naive.worker.js", { type: "module", name: "naive" });
  const naive = Comlink.wrap<NaiveWorkerApi>(w);
  try {
    const runs: Awaited<ReturnType<typeof naive.collect>>[] = [];
    let idbBytes = NaN;
    let requests = NaN;
    for (let rep = 0; rep < REPS; rep++) {
      if (rep > 0) await naive.clear();
      const u0 = await idbUsage();
      const q0 = await klineRequests();
      runs.push(
        await naive.collect({ baseUrl: MOCK, symbol: SYMBOL, interval, from: RANGE_FROM, to: RANGE_END - step }),
      );
      if (rep === 0) {
        requests = (await klineRequests()) - q0;
        idbBytes = (await idbUsage()).bytes - u0.bytes;
      }
    }
    const r = runs[runs.length - 1];
    const wallS = median(runs.map((x) => x.wallMs / 1000));
    report({
      case: `naive-rows-${interval}`,
      path: "reference: same Binance client walk in a worker, one IndexedDB record per candle (Dexie bulkPut per page)",
      candles: r.candles,
      stored_records: r.stored,
      correct: r.stored === EXPECTED[interval].count,
      wall_s: r3(wallS),
      wall_s_runs: runs.map((x) => r3(x.wallMs / 1000)),
      candles_per_s: Math.round(r.candles / wallS),
      requests,
      fetch_s: r3(median(runs.map((x) => x.fetchMs / 1000))),
      store_s: r3(median(runs.map((x) => x.storeMs / 1000))),
      idb_bytes: idbBytes,
      idb_bytes_source: IDB_SOURCE,
      bytes_per_candle: r3(idbBytes / r.candles),
      studio_wall_s: r3(studio.wallS),
      studio_idb_bytes: studio.idbBytes,
      ratio_wall_naive_over_studio: r3(wallS / studio.wallS),
      ratio_idb_bytes_naive_over_studio: r3(idbBytes / studio.idbBytes),
      second_run_note: "the naive store keeps no coverage: a second collect refetches everything",
    });
  } finally {
    w.terminate();
  }
}

async function importCase(): Promise<void> {
  if (params.get("shared") !== "1") {
    report({ case: "import-csv-1h", skipped: "../shared/data is absent (shared=0): no real BTCUSDT-1h.csv to import" });
    return;
  }
  const name = "BTCUSDT-1h.csv";
  const resp = await fetch(`/shared-data/binance/${name}`);
  if (!resp.ok) {
    report({ case: "import-csv-1h", skipped: `/shared-data/binance/${name}: HTTP ${resp.status}` });
    return;
  }
  const buf = await resp.arrayBuffer();
  const text = new TextDecoder().decode(buf);
  const dataLines = text.split(/\r?\n/).filter((l) => /^\d/.test(l)).length;

  const db = getStudioDb();
  const walls: number[] = [];
  let idbBytes = NaN;
  let res: Awaited<ReturnType<typeof client.importFiles>> | undefined;
  for (let rep = 0; rep < REPS; rep++) {
    if (res && rep > 0) await deleteSeries(db, res.series[0].stored.seriesId);
    const u0 = await idbUsage();
    const t0 = performance.now();
    res = await client.importFiles([{ name, data: buf.slice(0) }]);
    walls.push((performance.now() - t0) / 1000);
    if (rep === 0) idbBytes = (await idbUsage()).bytes - u0.bytes;
  }
  if (!res) throw new Error("no run");
  const wallS = median(walls);

  const key: SeriesKey = {
    source: "file",
    symbol: res.series[0].parsed.symbol ?? SYMBOL,
    interval: res.series[0].parsed.interval,
  };
  const series = (await listSeries(db)).find((s) => s.id === seriesId(key));
  const stored = await readSeries(db, key);
  const shape = shapeOf(stored, intervalMs(key.interval));
  const rows = await chunkRows(seriesId(key));
  const unique = res.series[0].parsed.rowsRead - res.series[0].parsed.duplicates - res.series[0].parsed.misaligned;

  const t2 = performance.now();
  const res2 = await client.importFiles([{ name, data: buf.slice(0) }]);
  const secondS = (performance.now() - t2) / 1000;
  const after2 = await readSeries(db, key);

  // Parse alone, on the page's thread with the same parser, to split the import's time.
  const tp = performance.now();
  importCandleFiles([{ name, data: new Uint8Array(buf) }]);
  const parseS = (performance.now() - tp) / 1000;

  const checks = {
    interval_1h: res.series[0].parsed.interval === "1h",
    rows_read_match_file: res.series[0].parsed.rowsRead === dataLines,
    added_equals_unique_rows: res.series[0].stored.added === unique,
    stored_count_matches: stored.openTime.length === unique && series?.count === unique,
    chunk_rows_match: rows.rows === unique,
    strictly_increasing: shape.strictlyIncreasing,
    gaps_match_parser:
      JSON.stringify(shape.gaps) ===
      JSON.stringify(res.series[0].parsed.gaps.map((g) => ({ from: g.from, to: g.to, missing: g.missing }))),
    second_import_idempotent:
      res2.series[0].stored.added === 0 &&
      res2.series[0].stored.duplicates === unique &&
      after2.openTime.length === unique,
  };
  const candles = stored.openTime.length;
  report({
    case: "import-csv-1h",
    path: "collect-client → Web Worker importFiles (lib/sources/files importCandleFiles + lib/jobs/collect importSeries) → lib/db",
    file: `../shared/data/binance/${name}`,
    file_bytes: buf.byteLength,
    candles,
    rows_read: res.series[0].parsed.rowsRead,
    wall_s: r3(wallS),
    wall_s_runs: walls.map(r3),
    candles_per_s: Math.round(candles / wallS),
    parse_only_s: r3(parseS),
    idb_bytes: idbBytes,
    idb_bytes_source: IDB_SOURCE,
    series_bytes: series?.bytes ?? null,
    bytes_per_candle: r3(idbBytes / candles),
    chunks: rows.chunks,
    gaps: res.series[0].parsed.gaps.length,
    gap_candles_missing: res.series[0].parsed.gaps.reduce((n, g) => n + g.missing, 0),
    first: new Date(stored.openTime[0]).toISOString(),
    last: new Date(stored.openTime[candles - 1]).toISOString(),
    second_run_added: res2.series[0].stored.added,
    second_run_duplicates: res2.series[0].stored.duplicates,
    second_run_wall_s: r3(secondS),
    correct: Object.values(checks).every(Boolean),
    checks,
  });
}

async function main(): Promise<void> {
  if (!MOCK) throw new Error("no mock URL: node.ts setup() did not run");
  await deleteStudioDb();
  await deleteRawDb(NAIVE_DB_NAME);
  IDB_SOURCE = `${(await idbUsage()).source} delta around the first run (fresh database)`;
  // Warm-up (not reported): starts the worker, opens the database, compiles the path.
  await client.collect({
    key: { source: "binance", symbol: SYMBOL, interval: "1d" },
    range: { from: RANGE_FROM, to: RANGE_FROM + 9 * 86_400_000 },
    baseUrl: MOCK,
  });
  await benchApi().takeFetchStats();

  const studio: Partial<Record<Interval, StudioMeasure>> = {};
  for (const interval of INTERVALS) studio[interval] = await mockCase(interval);
  await naiveCase("1h", studio["1h"]!);
  await importCase();
  const all = await listSeries(getStudioDb());
  report({
    case: "stored-series",
    note: "lib/db listSeries() at the end (binance:BTCUSDT:1d is the warm-up collect)",
    reps: REPS,
    series: all.map((s) => ({ id: s.id, count: s.count, bytes: s.bytes, chunks: s.chunks, gaps: s.gaps.length })),
  });
  client.terminate();
}

main()
  .catch((err) => report({ error: String(err instanceof Error ? (err.stack ?? err.message) : err) }))
  .finally(() => console.log("BENCH_DONE"));
