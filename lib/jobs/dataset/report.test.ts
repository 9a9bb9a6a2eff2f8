/**
 * Issue 17 item 9: a dataset reopened from the list showed 0 gaps and no dropped-row counts for
 * series that came from files, because its report looked the series up under the Binance source.
 * The report is now stored with the dataset and shown the same way every time.
 */
import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { sliceColumns, type CandleColumns } from "@/lib/core/candles";
import { defaultPreset } from "@/lib/core/features";
import { DEFAULT_LABEL_SPEC } from "@/lib/core/labels";
import { loadDataset, saveDataset, storeCandles, type StudioDb } from "@/lib/db";
import { freshDb } from "@/test/db";
import { fixtureMarket } from "@/test/market";
import { buildDatasetFromStore, RECOMPUTED_REPORT_NOTE, storedReport } from "./build-from-store";

let db: StudioDb;
afterEach(() => db?.delete());

/** Candles without rows [a, b) (an exchange outage inside the file). */
function withHole(c: CandleColumns, a: number, b: number): CandleColumns {
  const head = sliceColumns(c, 0, a);
  const tail = sliceColumns(c, b, c.openTime.length);
  const out = {} as CandleColumns;
  for (const k of Object.keys(c) as (keyof CandleColumns)[]) {
    const Ctor = c[k].constructor as Float64ArrayConstructor;
    const joined = new Ctor(head[k].length + tail[k].length);
    joined.set(head[k]);
    joined.set(tail[k], head[k].length);
    out[k] = joined;
  }
  return out;
}

const withGaps = (g: { interval: string; gaps: unknown[] }[]) => g.filter((x) => x.gaps.length > 0);

async function storeFileSeries(): Promise<void> {
  const m = fixtureMarket(4 * 24 * 90, 3);
  for (const tf of ["15m", "1h", "4h"] as const) {
    let candles = m.candles[tf];
    if (tf === "1h") candles = withHole(candles, 1000, 1003); // 3 missing 1h candles
    const first = candles.openTime[0];
    const last = candles.openTime[candles.openTime.length - 1];
    await storeCandles(db, {
      key: { source: "file", symbol: "BTCUSDT", interval: tf },
      candles,
      covered: { from: first, to: last },
    });
  }
}

const args = {
  source: "file" as const,
  symbol: "BTCUSDT",
  baseInterval: "1h" as const,
  timeframes: ["15m", "1h", "4h"] as ("15m" | "1h" | "4h")[],
  features: defaultPreset(),
  labelSpec: DEFAULT_LABEL_SPEC,
  window: 24,
  name: "from files",
  alt: { mode: "none" as const },
};

describe("the quality report of a dataset built from files", () => {
  it("is the same when the dataset is reopened as when it was built: gaps and drops included", async () => {
    db = freshDb();
    await storeFileSeries();
    const built = await buildDatasetFromStore(db, args, "ds-file", 0);
    expect(withGaps(built.quality.gaps)).toEqual([{ interval: "1h", gaps: [expect.objectContaining({ missing: 3 })] }]);
    expect(built.quality.dropped?.warmup).toBeGreaterThan(0);
    const reopened = await storedReport(db, "ds-file");
    expect(reopened.quality).toEqual(built.quality);
    expect(reopened.notes).toEqual(built.notes);
  });

  it("is recomputed, with the file series' gaps and a note, for a dataset stored before reports were kept", async () => {
    db = freshDb();
    await storeFileSeries();
    await buildDatasetFromStore(db, args, "ds-old", 0);
    const ds = (await loadDataset(db, "ds-old"))!;
    await saveDataset(db, ds); // as an older studio saved it: no report
    const r = await storedReport(db, "ds-old");
    expect(r.notes).toEqual([RECOMPUTED_REPORT_NOTE]);
    expect(withGaps(r.quality.gaps)).toEqual([{ interval: "1h", gaps: [expect.objectContaining({ missing: 3 })] }]);
    expect(r.quality.dropped).toBeUndefined();
  });

  it("names a dataset that is not stored", async () => {
    db = freshDb();
    await expect(storedReport(db, "nope")).rejects.toThrow(/not in this browser's storage/);
  });
});
