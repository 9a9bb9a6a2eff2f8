/**
 * Builds a dataset from what the studio stored: reads each timeframe's candles from IndexedDB
 * (aggregating from a finer stored interval when a coarser one was not collected), gets the
 * alternative data the user chose, runs the pure builder and saves the result. Runs in the
 * dataset worker; the page only sees summaries and reports.
 */
import { aggregateColumns } from "@/lib/core/aggregate";
import { buildDatasetDetailed } from "@/lib/core/build-dataset";
import {
  timeframeSources,
  validateBuildSpec,
  type BuildSpec,
  type TimeframeSource,
  type ValidBuildSpec,
} from "@/lib/core/build-spec";
import { buildMultiSymbolDataset } from "@/lib/core/multi-symbol";
import type { CandleColumns, SeriesKey } from "@/lib/core/candles";
import type { AltInputs } from "@/lib/core/features";
import { intervalMs, type Interval } from "@/lib/core/intervals";
import { qualityReport, type QualityReport } from "@/lib/core/quality";
import {
  getSeries,
  listSeries,
  loadDatasetWithReport,
  readSeries,
  saveDataset,
  type DatasetSummary,
  type SeriesRecord,
  type StudioDb,
} from "@/lib/db";
import { ALT_SOURCES, altSourceLabel, type AltOrigins } from "@/lib/core/features";
import { keyedSourceKeys, loadSettings } from "@/lib/db/settings";
import { fetchAltIntoStore, storedAltInputs } from "@/lib/jobs/collect/alt";
import { syntheticFearGreed, syntheticFundingRates } from "@/lib/sources/synthetic/alt";

/**
 * Where the alternative data of a build comes from:
 * - none: no alternative source (their features use the documented fallbacks);
 * - synthetic: generated funding and Fear & Greed (for the synthetic market);
 * - stored: what the Data page imported or fetched, nothing fetched now;
 * - fetch: the stored values, after fetching what the store lacks (a source that cannot be
 *   reached gives up within one request timeout, and its stored values are used).
 * Keys of keyed sources are never part of the mode: the worker reads them from this browser's settings.
 */
export type AltMode =
  | { mode: "none" }
  | { mode: "synthetic"; seed: number | string }
  | { mode: "stored" }
  | { mode: "fetch"; futuresBaseUrl: string; fearGreedBaseUrl: string };

export interface BuildFromStoreArgs extends BuildSpec {
  source: SeriesKey["source"];
  symbol: string;
  /**
   * Further symbols of the same source to pool with `symbol` into one multi-symbol dataset
   * (lib/core/multi-symbol: one split by time for all). Absent or empty: one symbol.
   */
  poolSymbols?: string[];
  /** Multi-symbol only: "pooled" (default) or "per-symbol" normalisation. */
  normalization?: "pooled" | "per-symbol";
  /** Multi-symbol only: append a one-hot column per symbol. */
  symbolOneHot?: boolean;
  name: string;
  alt: AltMode;
}

export interface BuildFromStoreResult {
  summary: DatasetSummary;
  quality: QualityReport;
  /** Notes for the user (e.g. an alternative source that could not be fetched and fell back). */
  notes: string[];
}

/**
 * Candles of `interval` from the stored series `plan` names (timeframeSources: its own series,
 * or aggregated from a finer one, from the base's when the user asked for that).
 */
async function candlesFor(
  db: StudioDb,
  source: SeriesKey["source"],
  symbol: string,
  interval: Interval,
  plan: TimeframeSource | null,
  stored: SeriesRecord[],
): Promise<{ candles: CandleColumns; from: Interval }> {
  const record =
    plan && stored.find((s) => s.source === source && s.symbol === symbol && s.interval === plan.from && s.count > 0);
  if (!plan || !record)
    throw new Error(
      `No ${interval} candles of ${symbol} (${source}) are stored, and no finer interval to build them from: collect ${interval} (or a finer interval) first.`,
    );
  const candles = await readSeries(db, record.id);
  return {
    candles: plan.from === interval ? candles : aggregateColumns(candles, plan.from, interval),
    from: plan.from,
  };
}

/** Every timeframe's candles of one symbol, as timeframeSources plans them; notes say what was aggregated. */
async function symbolCandles(
  db: StudioDb,
  source: SeriesKey["source"],
  symbol: string,
  spec: ValidBuildSpec,
  intervals: Interval[],
  stored: SeriesRecord[],
  notes: string[],
): Promise<Partial<Record<Interval, CandleColumns>>> {
  const candles: Partial<Record<Interval, CandleColumns>> = {};
  const needed = [...new Set([spec.baseInterval, ...spec.timeframes])];
  const plans = timeframeSources(spec.baseInterval, needed, intervals, spec.aggregateFromBase);
  for (const [k, tf] of needed.entries()) {
    const got = await candlesFor(db, source, symbol, tf, plans[k], stored);
    candles[tf] = got.candles;
    if (got.from !== tf)
      notes.push(`${tf} candles were aggregated from the stored ${got.from} series (only complete candles).`);
  }
  if (candles[spec.baseInterval]!.openTime.length === 0)
    throw new Error(`The ${spec.baseInterval} series of ${symbol} is empty.`);
  return candles;
}

/** Alternative data of a build and where each source's values came from. */
async function altInputs(
  db: StudioDb,
  alt: AltMode,
  symbol: string,
  start: number,
  end: number,
  notes: string[],
): Promise<{ inputs: AltInputs; origin: AltOrigins }> {
  const origin: AltOrigins = { funding: "fallback", fearGreed: "fallback", onchain: "fallback", sentiment: "fallback" };
  if (alt.mode === "none") return { inputs: {}, origin };
  if (alt.mode === "synthetic") {
    const opts = { seed: alt.seed, symbol, start, end };
    return {
      inputs: { funding: syntheticFundingRates(opts), fearGreed: syntheticFearGreed(opts) },
      origin: { ...origin, funding: "synthetic", fearGreed: "synthetic" },
    };
  }
  // A little before the start so the first rows have a published value to align to.
  const range = { from: start - 7 * 86_400_000, to: end };
  if (alt.mode === "fetch") {
    const settings = await loadSettings(db);
    const outcomes = await fetchAltIntoStore(db, {
      symbol,
      range,
      sources: ALT_SOURCES,
      futuresBaseUrl: alt.futuresBaseUrl,
      fearGreedBaseUrl: alt.fearGreedBaseUrl,
      glassnodeBaseUrl: settings.glassnodeBaseUrl,
      lunarCrushBaseUrl: settings.lunarCrushBaseUrl,
      keys: keyedSourceKeys(settings),
    });
    for (const o of outcomes) if (o.state === "failed") notes.push(`${o.message} The stored values are used.`);
  }
  const { inputs, counts } = await storedAltInputs(db, symbol, range);
  for (const source of ALT_SOURCES) {
    if (counts[source]) origin[source] = "real";
    else if (source === "funding" || source === "fearGreed")
      notes.push(`${altSourceLabel(source)}: nothing stored for this period; its features use the neutral fallback.`);
  }
  return { inputs, origin };
}

/**
 * Builds and saves a dataset from stored candles. Rejects, naming every problem, a spec that
 * validateBuildSpec does not pass as it is (the form shows the same lines before sending).
 */
export async function buildDatasetFromStore(
  db: StudioDb,
  args: BuildFromStoreArgs,
  id: string,
  now = Date.now(),
): Promise<BuildFromStoreResult> {
  const stored = await listSeries(db);
  const symbols = [args.symbol, ...(args.poolSymbols ?? []).filter((s) => s !== args.symbol)];
  const notes: string[] = [];
  const inputs: { symbol: string; candles: Partial<Record<Interval, CandleColumns>>; alt: AltInputs }[] = [];
  let spec: ValidBuildSpec | undefined;
  const origins: AltOrigins[] = [];
  for (const symbol of symbols) {
    const intervals = stored
      .filter((s) => s.source === args.source && s.symbol === symbol && s.count > 0)
      .map((s) => s.interval);
    const checked = validateBuildSpec(args, intervals);
    if (checked.issues.length > 0) throw new Error(`Dataset settings of ${symbol}: ${checked.issues.join("; ")}.`);
    spec = checked.spec;
    // Notes name the symbol only when several are pooled (one symbol's notes read as before).
    const own: string[] = [];
    const candles = await symbolCandles(db, args.source, symbol, spec, intervals, stored, own);
    const base = candles[spec.baseInterval]!;
    const start = base.openTime[0];
    const end = base.openTime[base.openTime.length - 1] + intervalMs(spec.baseInterval);
    const alt = await altInputs(db, args.alt, symbol, start, end, own);
    notes.push(...(symbols.length > 1 ? own.map((n) => `${symbol}: ${n}`) : own));
    inputs.push({ symbol, candles, alt: alt.inputs });
    origins.push(alt.origin);
  }
  const synthetic = args.source === "synthetic";
  const common = {
    baseInterval: spec!.baseInterval,
    features: spec!.features,
    labelSpec: spec!.labelSpec,
    splitSpec: spec!.splitSpec,
    window: spec!.window,
    name: args.name,
    id,
    createdAt: now,
  };
  const { dataset, stats } =
    inputs.length === 1
      ? buildDatasetDetailed({ ...common, ...inputs[0], synthetic })
      : (() => {
          const multi = buildMultiSymbolDataset({
            ...common,
            symbols: inputs.map((x) => ({ ...x, synthetic })),
            normalization: args.normalization,
            symbolOneHot: args.symbolOneHot,
          });
          return { dataset: multi.dataset, stats: multi.stats.pooled };
        })();
  if (dataset.split.train.length === 0 || dataset.split.test.length === 0) {
    throw new Error(
      `Only ${dataset.rows} usable rows: too few for ${args.window}-step windows with a train/validation/test split. Collect a longer period.`,
    );
  }
  dataset.altOrigin = pooledOrigin(origins);
  if (args.alt.mode === "synthetic" && inputs.length === 1)
    dataset.syntheticAlt = { seed: String(args.alt.seed), start: inputs[0].candles[spec!.baseInterval]!.openTime[0] };
  const quality = qualityReport(dataset, stats);
  // Stored with the dataset, so reopening it shows the gaps and drops of the series it was
  // really built from (a file import's series too), not a lookup under another source.
  const summary = await saveDataset(db, dataset, { quality, notes });
  return { summary, quality, notes };
}

/**
 * Where a pooled dataset's alternative values came from, per source: what every symbol's came
 * from, or "fallback" where the symbols differ (some rows used the neutral value).
 */
function pooledOrigin(origins: readonly AltOrigins[]): AltOrigins {
  const first = origins[0];
  const out = { ...first };
  for (const k of Object.keys(first) as (keyof AltOrigins)[])
    if (origins.some((o) => o[k] !== first[k])) out[k] = "fallback";
  return out;
}

export const RECOMPUTED_REPORT_NOTE =
  "This dataset was built before the studio kept its report: the report below was recomputed now. Rows dropped while building are not known; gaps are those of the stored series that cover its period.";

/**
 * The report of a stored dataset: the one stored when it was built, or, for a dataset built
 * before reports were kept, one recomputed now with the gaps of the stored series (of any
 * source) that cover its period, and a note saying so.
 */
export async function storedReport(db: StudioDb, id: string): Promise<{ quality: QualityReport; notes: string[] }> {
  const found = await loadDatasetWithReport(db, id);
  if (!found) throw new Error(`Dataset ${id} is not in this browser's storage (deleted, or built in another browser).`);
  if (found.report) return found.report;
  const ds = found.dataset;
  const report = qualityReport(ds);
  const sources: SeriesKey["source"][] = ds.synthetic ? ["synthetic"] : ["binance", "file"];
  const first = ds.times[0];
  const last = ds.times[ds.rows - 1];
  const gaps: QualityReport["gaps"] = [];
  for (const tf of ds.timeframes) {
    for (const source of sources) {
      const s = await getSeries(db, { source, symbol: ds.symbol, interval: tf });
      if (!s || !(s.first <= first && s.last >= last)) continue;
      if (s.gaps.length > 0) gaps.push({ interval: tf, gaps: s.gaps });
      break;
    }
  }
  return { quality: { ...report, gaps }, notes: [RECOMPUTED_REPORT_NOTE] };
}
