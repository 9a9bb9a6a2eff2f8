/**
 * Alternative data into the store: file imports and incremental fetches (only the stamp ranges
 * not covered yet), shared by the collect worker (Data page) and the dataset build. A source
 * that cannot be reached fails within one request timeout (ALT_REQUEST_TIMEOUT_MS, no retries:
 * an offline build waited ~20 s on retries before, issue 16), and what is stored is used.
 */
import {
  ALT_CADENCE_MS,
  ALT_PUBLICATION_DELAY_MS,
  ALT_SOURCES,
  altSourceLabel,
  type AltInputs,
  type AltSourceName,
} from "../../core/features/alt-series";
import { readAltSeries, storeAltValues, type AltSeriesSummary } from "../../db/alt";
import { subtractRanges, type TimeRange } from "../../db/ranges";
import type { StudioDb } from "../../db/schema";
import {
  MARKET_WIDE_SYMBOL,
  readAltFile,
  readAltStream,
  type AltFileRows,
  type StreamedFile,
} from "../../sources/alt/csv";
import { fetchOnchainScore, fetchSentimentScore } from "../../sources/alt/keyed";
import { fetchFearGreed, fetchFundingRates } from "../../sources/binance/alt";
import { isAbortError } from "../../sources/binance/errors";
import type { RequestOptions } from "../../sources/binance/http";
import { FileImportError } from "../../sources/files/errors";
import type { InputFile } from "../../sources/files/read";
import type { TimeSeries } from "../../sources/series";

/**
 * One request's limit for an alternative source (ms). Funding pages answer in well under a
 * second from Binance; a refused connection fails at once, and an unreachable host (no route,
 * dropped packets) is given up after this long instead of 30 s × 6 attempts.
 */
export const ALT_REQUEST_TIMEOUT_MS = 2000;

/** Funding times carry up to a few ms of jitter; stamps are normalised to the second (normalizeStamp). */
const STAMP_SLACK_MS = 999;

/** Where each source is fetched from; the keyed ones also need their key. */
export interface AltEndpoints {
  futuresBaseUrl: string;
  fearGreedBaseUrl: string;
  glassnodeBaseUrl?: string;
  lunarCrushBaseUrl?: string;
  /** Keys of the keyed sources, read from this browser's settings in the worker (never passed by the page). */
  keys?: { onchain?: string; sentiment?: string };
}

export interface FetchAltArgs extends AltEndpoints {
  /** The pair (Fear & Greed is market-wide and stored under MARKET_WIDE_SYMBOL). */
  symbol: string;
  /** Stamps wanted, UTC ms inclusive. */
  range: TimeRange;
  sources: readonly AltSourceName[];
}

/** What became of one source: fetched (something was missing), stored (nothing missing), failed, or no key. */
export interface AltFetchOutcome {
  source: AltSourceName;
  symbol: string;
  state: "fetched" | "stored" | "failed" | "no-key";
  added: number;
  /** Why it failed, worded for the user (never holds a key). */
  message?: string;
  elapsedMs: number;
}

export interface FetchAltDeps {
  signal?: AbortSignal;
  onProgress?: (o: AltFetchOutcome) => void;
  fetchImpl?: typeof fetch;
  now?: number;
  timeoutMs?: number;
}

/** The symbol a source is stored under for a pair. */
export function altSymbolFor(source: AltSourceName, pair: string): string {
  return source === "fearGreed" ? MARKET_WIDE_SYMBOL : pair;
}

type Fetch = (range: TimeRange, req: RequestOptions) => Promise<TimeSeries>;

function fetcherOf(source: AltSourceName, args: FetchAltArgs): Fetch | null {
  const { symbol } = args;
  switch (source) {
    case "funding":
      return (r, req) =>
        fetchFundingRates({ ...req, baseUrl: args.futuresBaseUrl, symbol, startTime: r.from, endTime: r.to });
    case "fearGreed":
      return (r, req) => fetchFearGreed({ ...req, baseUrl: args.fearGreedBaseUrl, startTime: r.from, endTime: r.to });
    case "onchain": {
      const apiKey = args.keys?.onchain;
      if (!apiKey || !args.glassnodeBaseUrl) return null;
      const baseUrl = args.glassnodeBaseUrl;
      return (r, req) => fetchOnchainScore({ ...req, baseUrl, apiKey, symbol, startTime: r.from, endTime: r.to });
    }
    case "sentiment": {
      const apiKey = args.keys?.sentiment;
      if (!apiKey || !args.lunarCrushBaseUrl) return null;
      const baseUrl = args.lunarCrushBaseUrl;
      return (r, req) => fetchSentimentScore({ ...req, baseUrl, apiKey, symbol, startTime: r.from, endTime: r.to });
    }
  }
}

/** Stamps a source normalises to (so a fetched value and a file's value of one event share one stamp). */
function normalizeStamp(source: AltSourceName, t: number): number {
  if (source === "funding") return Math.round(t / 1000) * 1000;
  return Math.floor(t / ALT_CADENCE_MS[source]) * ALT_CADENCE_MS[source];
}

/**
 * Stamp ranges of `range` the store does not cover yet, up to the last stamp that can be
 * published by `now` (later ones are not asked for: they would be refetched forever).
 */
export function missingAltRanges(
  source: AltSourceName,
  range: TimeRange,
  covered: readonly TimeRange[],
  now: number,
): TimeRange[] {
  const step = ALT_CADENCE_MS[source];
  const from = Math.floor(range.from / step) * step;
  const to = Math.floor(Math.min(range.to, now - ALT_PUBLICATION_DELAY_MS[source]) / step) * step;
  if (to < from) return [];
  return subtractRanges({ from, to }, covered, step);
}

async function fetchOne(
  db: StudioDb,
  source: AltSourceName,
  args: FetchAltArgs,
  deps: FetchAltDeps,
): Promise<AltFetchOutcome> {
  const started = Date.now();
  const symbol = altSymbolFor(source, args.symbol);
  const done = (o: Omit<AltFetchOutcome, "source" | "symbol" | "elapsedMs">): AltFetchOutcome => {
    const out = { source, symbol, elapsedMs: Date.now() - started, ...o };
    deps.onProgress?.(out);
    return out;
  };
  const fetch = fetcherOf(source, args);
  if (!fetch) return done({ state: "no-key", added: 0 });
  const now = deps.now ?? Date.now();
  const stored = await readAltSeries(db, source, symbol);
  const missing = missingAltRanges(source, args.range, stored?.covered ?? [], now);
  if (missing.length === 0) return done({ state: "stored", added: 0 });
  const req: RequestOptions = {
    signal: deps.signal,
    fetchImpl: deps.fetchImpl,
    retry: { maxAttempts: 1, timeoutMs: deps.timeoutMs ?? ALT_REQUEST_TIMEOUT_MS },
  };
  let added = 0;
  try {
    for (const r of missing) {
      // A little past the range: a funding time reported 1 ms late is still this range's value.
      const got = await fetch({ from: r.from, to: r.to + STAMP_SLACK_MS }, req);
      const time = Float64Array.from(got.time, (t) => normalizeStamp(source, t));
      // Confirmed up to what can have been published: an empty answer before a pair's listing
      // is a real hole, not something to ask again.
      const settled = Math.min(r.to, now - ALT_PUBLICATION_DELAY_MS[source] - ALT_CADENCE_MS[source]);
      const res = await storeAltValues(db, {
        source,
        symbol,
        time,
        value: got.value,
        origin: "fetch",
        covered: settled >= r.from ? { from: r.from, to: settled } : undefined,
        now,
      });
      added += res.added;
    }
  } catch (e) {
    if (isAbortError(e) || deps.signal?.aborted) throw e;
    return done({ state: "failed", added, message: `${altSourceLabel(source)}: ${(e as Error).message}` });
  }
  return done({ state: "fetched", added });
}

/**
 * Fetches what the store lacks of each source, all sources at once (each fails on its own).
 * Rejects with AbortError when `signal` fires; every other failure is an outcome.
 */
export async function fetchAltIntoStore(
  db: StudioDb,
  args: FetchAltArgs,
  deps: FetchAltDeps = {},
): Promise<AltFetchOutcome[]> {
  return Promise.all(args.sources.map((s) => fetchOne(db, s, args, deps)));
}

/** The stored values of every source for a pair with stamps in `range` (UTC ms, inclusive), as AltInputs, and their counts. */
export async function storedAltInputs(
  db: StudioDb,
  pair: string,
  range: TimeRange,
): Promise<{ inputs: AltInputs; counts: Partial<Record<AltSourceName, number>> }> {
  const inputs: AltInputs = {};
  const counts: Partial<Record<AltSourceName, number>> = {};
  for (const source of ALT_SOURCES) {
    const r = await readAltSeries(db, source, altSymbolFor(source, pair));
    if (!r) continue;
    let a = 0;
    while (a < r.time.length && r.time[a] < range.from) a++;
    let b = a;
    while (b < r.time.length && r.time[b] <= range.to) b++;
    if (b === a) continue;
    inputs[source] = { time: r.time.slice(a, b), value: r.value.slice(a, b) };
    counts[source] = b - a;
  }
  return { inputs, counts };
}

/** One imported alternative-data file. */
export interface AltImportResult {
  fileName: string;
  kind: AltFileRows["kind"];
  symbol: string;
  rowsRead: number;
  repeated: number;
  added: number;
  duplicates: number;
  series: AltSeriesSummary;
}

/**
 * Parses every file, then stores each (so a refused file stores nothing). A funding file that
 * names no pair (no symbol column, no pair in its name) takes `formSymbol`, else is refused.
 */
export async function importAltFiles(
  db: StudioDb,
  files: (InputFile | StreamedFile)[],
  opts: { formSymbol?: string; now?: number } = {},
): Promise<AltImportResult[]> {
  const parsed: { name: string; rows: AltFileRows; symbol: string }[] = [];
  for (const f of files) {
    const read = { formSymbol: opts.formSymbol, now: opts.now };
    const rows = "data" in f ? readAltFile(f, read) : await readAltStream(f, read);
    if (!rows.symbol)
      throw new FileImportError(f.name, null, "the pair could not be read from the file or its name; please enter it.");
    parsed.push({ name: f.name, rows, symbol: rows.symbol });
  }
  const out: AltImportResult[] = [];
  for (const p of parsed) {
    const res = await storeAltValues(db, {
      source: p.rows.kind,
      symbol: p.symbol,
      time: p.rows.time,
      value: p.rows.value,
      origin: "file",
      now: opts.now,
    });
    out.push({
      fileName: p.name,
      kind: p.rows.kind,
      symbol: p.symbol,
      rowsRead: p.rows.rowsRead,
      repeated: p.rows.repeated,
      added: res.added,
      duplicates: res.duplicates,
      series: res.series,
    });
  }
  return out;
}
