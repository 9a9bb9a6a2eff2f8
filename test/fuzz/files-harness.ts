/**
 * What the CSV and ZIP fuzz kinds share: feeding one input
 * through the collect worker's own import (lib/jobs/collect/api over fake-indexeddb) with the
 * checks that make a case pass:
 * - a rejection is a FileImportError whose message starts with the file's name and reads as
 *   written for a user (no JavaScript internals), and the database is left exactly as it was;
 * - an acceptance stored only valid candles: sorted, unique, on the interval grid, finite, dated
 *   2009..tomorrow, high/low enclosing open/close.
 * Anything else (another error type, a message naming no file, a write after a rejection, bad
 * candles stored) counts as uncaught. The kinds run in the one runner (harness.ts).
 */
import "fake-indexeddb/auto";
import { isClearMessage } from "./clear";
import type { FuzzKind, Rng } from "./harness";
import { intervalMs } from "../../lib/core/intervals";
import { deleteSeries, listSeries, readSeries } from "../../lib/db/candles";
import { deleteStudioDb, getStudioDb, type StudioDb } from "../../lib/db/schema";
import { createCollectApi } from "../../lib/jobs/collect/api";
import { displayFileName, FileImportError } from "../../lib/sources/files/errors";
import { EARLIEST_CANDLE_MS, FUTURE_SLACK_MS } from "../../lib/sources/files/limits";

/** One import to try: the files, the form's symbol, and what was done to them (to replay it). */
export interface FileCase {
  mutation: string;
  files: { name: string; data: Uint8Array }[];
  symbol?: string;
}

/** Null when `e` is a clear FileImportError for one of `names`, else why not. */
export function unclearRejection(e: unknown, names: readonly string[]): string | null {
  if (!(e instanceof FileImportError))
    return `not a FileImportError: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  const m = e.message;
  if (!names.some((n) => m.startsWith(displayFileName(n)))) return `names no input file: ${m}`;
  // Quoted text is the file's own content ("[object Object]" in a cell is the user's, not ours).
  if (!isClearMessage(m.replace(/"(?:[^"\\]|\\.)*"/g, '""'))) return `unclear message: ${m.slice(0, 300)}`;
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
 * A fuzz kind (harness.ts) over the collect worker's own file import: `prepareCases` makes the
 * case generator once; each case is imported and checked as the file comment says, throwing
 * (uncaught) on anything but a clear rejection that wrote nothing or an import of valid candles.
 */
export function fileFuzzKind(
  name: string,
  prepareCases: () => Promise<(rng: Rng) => FileCase>,
  opts: { maxCases?: number } = {},
): FuzzKind<FileCase> {
  return {
    name,
    maxCases: opts.maxCases,
    async prepare() {
      const makeCase = await prepareCases();
      const dbName = `fuzz-${name}-${process.pid}`;
      await deleteStudioDb(dbName);
      const api = createCollectApi({ dbName, locks: null });
      const db = getStudioDb(dbName);
      const empty = await tableCounts(db);
      const leftBehind = async (): Promise<string | null> => {
        const now = await tableCounts(db);
        if (now === empty) return null;
        await db.series.clear();
        await db.chunks.clear();
        return now;
      };
      let n = 0;
      return {
        next(rng) {
          const c = makeCase(rng);
          return { mutation: c.mutation, input: c };
        },
        async feed(c) {
          let result: Awaited<ReturnType<typeof api.importFiles>>;
          try {
            result = await api.importFiles(`case-${n++}`, c.files, { symbol: c.symbol });
          } catch (e) {
            const changed = await leftBehind();
            if (changed) throw new Error(`rejected, yet the database changed: ${changed}`);
            const why = unclearRejection(
              e,
              c.files.map((f) => f.name),
            );
            if (why) throw new Error(why);
            return "rejected";
          }
          for (const s of result.series) {
            const bad = await badStoredCandles(db, s.stored.seriesId);
            await deleteSeries(db, s.stored.seriesId);
            if (bad) throw new Error(`accepted bad candles: ${bad}`);
          }
          const changed = await leftBehind();
          if (changed) throw new Error(`left data behind: ${changed}`);
          return "accepted";
        },
      };
    },
  };
}
