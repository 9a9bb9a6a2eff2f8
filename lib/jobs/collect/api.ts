/**
 * The collect worker's API as a plain object (testable in Node): collection with cancel by
 * token, file import and synthetic generation, all writing through lib/db. workers/collect.worker.ts
 * only exposes it with Comlink. Arguments and results are structured-clonable.
 */
import type { SeriesKey } from "../../core/candles";
import { aggregateColumns } from "../../core/aggregate";
import type { Interval } from "../../core/intervals";
import { getStudioDb, type StudioDb } from "../../db/schema";
import { ALT_SOURCES, type AltSourceName } from "../../core/features/alt-series";
import { keyedSourceKeys, loadSettings } from "../../db/settings";
import { fetchAltIntoStore, importAltFiles, type AltFetchOutcome, type AltImportResult } from "./alt";
import type { TimeRange } from "../../db/ranges";
import type { RetryInfo } from "../../sources/binance/http";
import { checkInputSize, importCandleSeries, type ImportedSeries, type InputFile } from "../../sources/files/import";
import { FileImportError } from "../../sources/files/errors";
import { generateSyntheticMarket } from "../../sources/synthetic/market";
import { binancePageFetcher } from "./binance-fetcher";
import { collectSeries } from "./collect";
import { importSeries, storeSyntheticSeries, type ImportSeriesResult } from "./import";
import type { LockManagerLike } from "./lock";
import type { CollectProgress, CollectResult, PageFetcher } from "./types";

export interface CollectArgs {
  key: SeriesKey;
  /** Open times of the first and last wanted candle (UTC ms, inclusive). */
  range: TimeRange;
  /** Resume this job (from listResumableJobs). */
  jobId?: string;
  /** Binance REST base URL (from settings). */
  baseUrl: string;
}

/** A retry notice for the progress UI ("retrying in 3 s"). */
export interface RetryNotice {
  attempt: number;
  delayMs: number;
  message: string;
}

/** A file for import: a File (from drag and drop) or bytes with a name. */
export type ImportInput = File | { name: string; data: ArrayBuffer | Uint8Array };

export interface ImportFilesArgs {
  /** Symbol for files whose names do not tell it (a file naming another symbol is refused). */
  symbol?: string;
  interval?: Interval;
  /** Store as "file" (default) or into the "binance" series (Binance dumps are the same data). */
  source?: "file" | "binance";
}

/** One series of an import. */
export interface ImportedSeriesResult {
  /** What the parser found (candles left out: they are in the database now). */
  parsed: Omit<ImportedSeries, "candles">;
  stored: ImportSeriesResult;
}

export interface ImportFilesResult {
  /** One per series the files hold (a ZIP may hold several pairs or intervals), in file order. */
  series: ImportedSeriesResult[];
}

export interface SyntheticArgs {
  seed: number | string;
  /** Label, e.g. "BTCUSDT" (stored as source "synthetic"). */
  symbol: string;
  /** UTC ms. */
  start: number;
  /** UTC ms, exclusive. */
  end: number;
  /** Intervals to store (15m or coarser), default ["15m", "1h", "4h"]. */
  intervals?: Interval[];
}

export interface FetchAltDataArgs {
  /** The pair (Fear & Greed is market-wide). */
  symbol: string;
  range: TimeRange;
  /** Default: every source (the keyed ones only when their key is set). */
  sources?: AltSourceName[];
  futuresBaseUrl: string;
  fearGreedBaseUrl: string;
}

export interface CollectApiDeps {
  dbName?: string;
  /** Fetcher for a base URL (default: the Binance client). */
  fetcherFor?: (baseUrl: string, onRetry: (info: RetryInfo) => void) => PageFetcher;
  now?: () => number;
  locks?: LockManagerLike | null;
}

async function toInputFile(f: ImportInput): Promise<InputFile> {
  checkInputSize(f.name, "data" in f ? f.data.byteLength : f.size); // before reading it into memory
  if ("data" in f) return { name: f.name, data: f.data instanceof Uint8Array ? f.data : new Uint8Array(f.data) };
  return { name: f.name, data: new Uint8Array(await f.arrayBuffer()) };
}

/** Builds the API object; `dbName` lets tests use their own database. */
export function createCollectApi(deps: CollectApiDeps = {}) {
  const controllers = new Map<string, AbortController>();
  const db = (): StudioDb => getStudioDb(deps.dbName);
  const fetcherFor = deps.fetcherFor ?? ((baseUrl, onRetry) => binancePageFetcher({ baseUrl, onRetry }));

  function controllerFor(token: string): AbortController {
    const c = new AbortController();
    controllers.set(token, c);
    return c;
  }

  return {
    /**
     * Collects a series (see collectSeries). `token` names the call for cancel(token).
     * Progress arrives through `onProgress` (pass a Comlink.proxy from the page).
     */
    async collect(
      token: string,
      args: CollectArgs,
      onProgress?: (p: CollectProgress) => void,
      onRetry?: (n: RetryNotice) => void,
    ): Promise<CollectResult> {
      const ctrl = controllerFor(token);
      try {
        const fetcher = fetcherFor(args.baseUrl, (info) =>
          onRetry?.({ attempt: info.attempt, delayMs: info.delayMs, message: info.error.message }),
        );
        return await collectSeries({
          db: db(),
          key: args.key,
          range: args.range,
          jobId: args.jobId,
          fetcher,
          signal: ctrl.signal,
          onProgress,
          now: deps.now,
          locks: deps.locks,
        });
      } finally {
        controllers.delete(token);
      }
    },

    /** Cancels the call started with `token` (collect or importFiles); no-op when finished. */
    cancel(token: string): void {
      controllers.get(token)?.abort();
    },

    /**
     * Parses CSV/ZIP files and stores each series they hold (duplicates skipped and counted).
     * Every file is parsed before anything is stored, so a refused file stores nothing.
     */
    async importFiles(
      token: string,
      files: ImportInput[],
      args: ImportFilesArgs = {},
      onProgress?: (p: { done: number; total: number }) => void,
    ): Promise<ImportFilesResult> {
      const ctrl = controllerFor(token);
      try {
        const inputs = await Promise.all(files.map(toInputFile));
        const all = importCandleSeries(inputs, { symbol: args.symbol, interval: args.interval });
        const unnamed = all.find((p) => !p.symbol);
        if (unnamed) {
          throw new FileImportError(
            Object.keys(unnamed.layouts)[0] ?? inputs[0]?.name ?? "(no file)",
            null,
            "the symbol could not be read from the file name; please enter it.",
          );
        }
        const total = all.reduce((n, p) => n + p.candles.openTime.length, 0);
        let before = 0;
        const series: ImportedSeriesResult[] = [];
        for (const parsed of all) {
          const key: SeriesKey = { source: args.source ?? "file", symbol: parsed.symbol!, interval: parsed.interval };
          const stored = await importSeries({
            db: db(),
            key,
            candles: parsed.candles,
            onProgress: onProgress && ((p) => onProgress({ done: before + p.done, total })),
            signal: ctrl.signal,
          });
          before += parsed.candles.openTime.length;
          const { candles: _candles, ...rest } = parsed;
          series.push({ parsed: rest, stored });
        }
        return { series };
      } finally {
        controllers.delete(token);
      }
    },

    /**
     * Imports funding-rate and Fear & Greed CSVs into the alternative-data store (all parsed
     * before any is stored; duplicates skipped and counted).
     */
    async importAltFiles(files: ImportInput[], args: { symbol?: string } = {}): Promise<AltImportResult[]> {
      // A File is streamed (never read whole); bytes given by a test are read as they are.
      const inputs = files.map((f) =>
        "data" in f ? { name: f.name, data: f.data instanceof Uint8Array ? f.data : new Uint8Array(f.data) } : f,
      );
      return importAltFiles(db(), inputs, { formSymbol: args.symbol, now: deps.now?.() });
    },

    /**
     * Fetches what the alternative-data store lacks over `range`. The keyed sources' keys and
     * base URLs are read here from this browser's settings: the page never passes a key.
     */
    async fetchAlt(
      token: string,
      args: FetchAltDataArgs,
      onProgress?: (o: AltFetchOutcome) => void,
    ): Promise<AltFetchOutcome[]> {
      const ctrl = controllerFor(token);
      try {
        const settings = await loadSettings(db());
        return await fetchAltIntoStore(
          db(),
          {
            symbol: args.symbol,
            range: args.range,
            sources: args.sources ?? ALT_SOURCES,
            futuresBaseUrl: args.futuresBaseUrl,
            fearGreedBaseUrl: args.fearGreedBaseUrl,
            glassnodeBaseUrl: settings.glassnodeBaseUrl,
            lunarCrushBaseUrl: settings.lunarCrushBaseUrl,
            keys: keyedSourceKeys(settings),
          },
          { signal: ctrl.signal, onProgress, now: deps.now?.() },
        );
      } finally {
        controllers.delete(token);
      }
    },

    /** Generates the seeded synthetic market and stores it at each interval (replacing old ones). */
    async generateSynthetic(
      args: SyntheticArgs,
      onProgress?: (p: { interval: Interval; done: number; total: number }) => void,
    ): Promise<ImportSeriesResult[]> {
      const base = generateSyntheticMarket({ seed: args.seed, symbol: args.symbol, start: args.start, end: args.end });
      const out: ImportSeriesResult[] = [];
      for (const interval of args.intervals ?? (["15m", "1h", "4h"] as Interval[])) {
        const candles = interval === "15m" ? base : aggregateColumns(base, "15m", interval);
        out.push(
          await storeSyntheticSeries({
            db: db(),
            symbol: args.symbol,
            interval,
            candles,
            onProgress: (p) => onProgress?.({ interval, ...p }),
          }),
        );
      }
      return out;
    },
  };
}

export type CollectApi = ReturnType<typeof createCollectApi>;
