/**
 * What the CSV and ZIP fuzz kinds share: a seeded generator per case, and feeding one input
 * through the collect worker's own import (lib/jobs/collect/api over fake-indexeddb) with the
 * checks that make a case pass:
 * - a rejection is a FileImportError whose message starts with the file's name and reads as
 *   written for a user (no JavaScript internals), and the database is left exactly as it was;
 * - an acceptance stored only valid candles: sorted, unique, on the interval grid, finite, dated
 *   2009..tomorrow, high/low enclosing open/close.
 * Anything else (another error type, a message naming no file, a write after a rejection, bad
 * candles stored) counts as uncaught. The Rng and case shapes match test/fuzz/harness.ts of the
 * bundle and share kinds, so these kinds can join that runner.
 */
import "fake-indexeddb/auto";
import { mulberry32 } from "../../lib/core/random";
import { intervalMs } from "../../lib/core/intervals";
import { deleteSeries, listSeries, readSeries } from "../../lib/db/candles";
import { deleteStudioDb, getStudioDb, type StudioDb } from "../../lib/db/schema";
import { createCollectApi } from "../../lib/jobs/collect/api";
import { displayFileName, FileImportError } from "../../lib/sources/files/errors";
import { EARLIEST_CANDLE_MS, FUTURE_SLACK_MS } from "../../lib/sources/files/limits";

/** A seeded source of chance for one case. */
export interface Rng {
  /** Float in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

/** The generator of case `caseIndex` of a run seeded `seed` (any case replays alone). */
export function rngFor(seed: number, caseIndex: number): Rng {
  const next = mulberry32((Math.imul(seed, 0x9e3779b1) ^ Math.imul(caseIndex + 1, 0x85ebca6b)) >>> 0);
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, chance: (p) => next() < p, pick: (items) => items[int(items.length)] };
}

/** One import to try: the files, the form's symbol, and what was done to them (to replay it). */
export interface FileCase {
  mutation: string;
  files: { name: string; data: Uint8Array }[];
  symbol?: string;
}

export interface FileFuzzReport {
  fuzz: string;
  cases: number;
  uncaught: number;
  /** Peak resident memory of the whole process so far (MB; getrusage's maxRSS). */
  max_rss_mb: number;
  seed: number;
  /** Cases imported (and checked), and cases refused with a clear message. */
  accepted: number;
  rejected: number;
}

/** A case that failed, for the runner to print. */
export interface FileFuzzFailure {
  caseIndex: number;
  mutation: string;
  error: string;
}

export const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** Phrases JavaScript's own errors put in a message; a user-facing one has none. */
const INTERNAL =
  /is not a function|is not iterable|Cannot read propert|Cannot set propert|Cannot create a string|Invalid string length|Invalid array length|Invalid typed array length|Array buffer allocation|Maximum call stack|out of memory|\bundefined\b|\bNaN\b|\[object /;

/** Null when `e` is a clear FileImportError for one of `names`, else why not. */
export function unclearRejection(e: unknown, names: readonly string[]): string | null {
  if (!(e instanceof FileImportError))
    return `not a FileImportError: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  const m = e.message;
  if (!names.some((n) => m.startsWith(displayFileName(n)))) return `names no input file: ${m}`;
  // Quoted text is the file's own content ("[object Object]" in a cell is the user's, not ours).
  if (m.length > 600 || INTERNAL.test(m.replace(/"(?:[^"\\]|\\.)*"/g, '""')))
    return `unclear message: ${m.slice(0, 300)}`;
  return null;
}

async function tableCounts(db: StudioDb): Promise<string> {
  const counts = await Promise.all(db.tables.map(async (t) => `${t.name}=${await t.count()}`));
  return counts.join(",");
}

/** Why the stored series is not valid candles, or null. */
async function badStoredCandles(db: StudioDb, id: string): Promise<string | null> {
  const record = (await listSeries(db)).find((s) => s.id === id);
  if (!record) return `series ${id} reported but not listed`;
  const key = { source: record.source, symbol: record.symbol, interval: record.interval };
  const c = await readSeries(db, key);
  const step = intervalMs(record.interval);
  const latest = Date.now() + FUTURE_SLACK_MS;
  for (let i = 0; i < c.openTime.length; i++) {
    const t = c.openTime[i];
    if (!(t >= EARLIEST_CANDLE_MS && t <= latest) || t % step !== 0) return `${id}: bad open time ${t}`;
    if (i > 0 && !(t > c.openTime[i - 1])) return `${id}: times not strictly increasing at ${i}`;
    const [o, h, l, cl, v] = [c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i]];
    if (![o, h, l, cl, v].every(Number.isFinite)) return `${id}: non-finite value at ${t}`;
    if (h < Math.max(o, cl) || l > Math.min(o, cl) || l < 0) return `${id}: high/low do not enclose at ${t}`;
  }
  return null;
}

/**
 * Runs `cases` cases made by `makeCase` through the collect API's importFiles, each checked as
 * the file comment says. Returns the JSON-line report; `onFailure` hears each failed case.
 */
export async function runFileFuzz(
  fuzz: string,
  cases: number,
  seed: number,
  makeCase: (rng: Rng) => FileCase,
  onFailure?: (f: FileFuzzFailure) => void,
): Promise<FileFuzzReport> {
  const dbName = `fuzz-${fuzz}-${process.pid}-${seed}`;
  const api = createCollectApi({ dbName, locks: null });
  const db = getStudioDb(dbName);
  const empty = await tableCounts(db);
  let uncaught = 0;
  let accepted = 0;
  let rejected = 0;
  const fail = (caseIndex: number, mutation: string, error: string) => {
    uncaught++;
    onFailure?.({ caseIndex, mutation, error });
  };
  for (let i = 0; i < cases; i++) {
    let c: FileCase = { mutation: "(not made)", files: [] };
    try {
      c = makeCase(rngFor(seed, i));
      const result = await api.importFiles(`case-${i}`, c.files, { symbol: c.symbol });
      accepted++;
      for (const s of result.series) {
        const bad = await badStoredCandles(db, s.stored.seriesId);
        if (bad) fail(i, c.mutation, `accepted bad candles: ${bad}`);
        await deleteSeries(db, s.stored.seriesId);
      }
    } catch (e) {
      const why = unclearRejection(
        e,
        c.files.map((f) => f.name),
      );
      if (why) fail(i, c.mutation, why);
      else rejected++;
      const after = await tableCounts(db);
      if (after !== empty) fail(i, c.mutation, `rejected, yet the database changed: ${after}`);
    }
    const now = await tableCounts(db);
    if (now !== empty) {
      fail(i, c.mutation, `left data behind: ${now}`);
      await db.series.clear();
      await db.chunks.clear();
    }
  }
  await deleteStudioDb(dbName);
  return { fuzz, cases, uncaught, max_rss_mb: maxRssMb(), seed, accepted, rejected };
}
