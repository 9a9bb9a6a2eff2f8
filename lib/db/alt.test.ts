import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { freshDb } from "@/test/db";
import { altGaps, listAltSeries, readAltSeries, storeAltValues } from "./alt";
import { RestoreError } from "./restore";
import type { StudioDb } from "./schema";

const H8 = 8 * 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

let db: StudioDb;
afterEach(async () => {
  await db?.delete();
});

describe("alternative-data storage", () => {
  it("merges incrementally, deduplicated by (source, symbol, time), stored values kept", async () => {
    db = freshDb();
    const first = await storeAltValues(db, {
      source: "funding",
      symbol: "BTCUSDT",
      time: [T0, T0 + H8, T0 + 2 * H8],
      value: [1e-4, 2e-4, 3e-4],
      origin: "file",
    });
    expect(first.added).toBe(3);
    const again = await storeAltValues(db, {
      source: "funding",
      symbol: "BTCUSDT",
      time: [T0 + 3 * H8, T0 + 2 * H8, T0 + 3 * H8],
      value: [4e-4, 9e-4, 5e-4],
      origin: "fetch",
    });
    expect(again.added).toBe(1);
    expect(again.duplicates).toBe(2);
    // Another symbol and another source are other series.
    await storeAltValues(db, { source: "funding", symbol: "ETHUSDT", time: [T0], value: [7e-4], origin: "file" });
    await storeAltValues(db, { source: "fearGreed", symbol: "MARKET", time: [T0], value: [40], origin: "file" });
    const r = (await readAltSeries(db, "funding", "BTCUSDT"))!;
    expect(Array.from(r.time)).toEqual([T0, T0 + H8, T0 + 2 * H8, T0 + 3 * H8]);
    expect(Array.from(r.value)).toEqual([1e-4, 2e-4, 3e-4, 4e-4]);
    expect(r.origins).toEqual(["fetch", "file"]);
    expect((await listAltSeries(db)).map((s) => [s.id, s.count])).toEqual([
      ["fearGreed:MARKET", 1],
      ["funding:BTCUSDT", 4],
      ["funding:ETHUSDT", 1],
    ]);
  });

  it("reports holes inside what was imported as gaps, not the space between two imports", async () => {
    db = freshDb();
    await storeAltValues(db, {
      source: "funding",
      symbol: "BTCUSDT",
      time: [T0, T0 + H8, T0 + 3 * H8],
      value: [0, 0, 0],
      origin: "file",
    });
    const far = T0 + 100 * H8;
    const r = await storeAltValues(db, {
      source: "funding",
      symbol: "BTCUSDT",
      time: [far],
      value: [0],
      origin: "file",
    });
    expect(r.series.gaps).toEqual([{ from: T0 + 2 * H8, to: T0 + 2 * H8, missing: 1 }]);
    expect(r.series.covered).toEqual([
      { from: T0, to: T0 + 3 * H8 },
      { from: far, to: far },
    ]);
  });

  it("counts a funding time a few seconds late as on time", () => {
    const t = Float64Array.from([T0, T0 + H8 + 3000, T0 + 2 * H8]);
    expect(altGaps(t, [{ from: T0, to: T0 + 2 * H8 }], H8)).toEqual([]);
  });

  it("refuses a stored record with an unknown field", async () => {
    db = freshDb();
    await db.altSeries.put({
      v: 1,
      id: "funding:BTCUSDT",
      source: "funding",
      symbol: "BTCUSDT",
      time: new Float64Array([T0]),
      value: new Float64Array([0]),
      covered: [],
      origins: ["file"],
      updatedAt: T0,
      apiKey: "secret",
    } as never);
    await expect(readAltSeries(db, "funding", "BTCUSDT")).rejects.toThrow(RestoreError);
    await expect(readAltSeries(db, "funding", "BTCUSDT")).rejects.toThrow(/apiKey/);
  });
});
