import { describe, expect, it } from "vitest";
import { runsOf, slotsCovered, slotsIn, subtractRanges, unionRanges } from "./ranges";
import {
  mergeIntoChunk,
  normalizeColumns,
  packColumns,
  splitByChunk,
  unpackColumns,
  chunkStartOf,
} from "./chunk-layout";
import { makeCandles } from "@/test/db";
import { gapsOf } from "./series-meta";

describe("ranges", () => {
  it("unions touching and overlapping ranges", () => {
    expect(
      unionRanges(
        [
          { from: 5, to: 6 },
          { from: 0, to: 2 },
          { from: 3, to: 4 },
          { from: 9, to: 9 },
        ],
        1,
      ),
    ).toEqual([
      { from: 0, to: 6 },
      { from: 9, to: 9 },
    ]);
  });
  it("subtracts covered ranges", () => {
    const covered = [
      { from: 2, to: 4 },
      { from: 7, to: 8 },
    ];
    expect(subtractRanges({ from: 0, to: 10 }, covered, 1)).toEqual([
      { from: 0, to: 1 },
      { from: 5, to: 6 },
      { from: 9, to: 10 },
    ]);
    expect(subtractRanges({ from: 2, to: 4 }, covered, 1)).toEqual([]);
    expect(subtractRanges({ from: 3, to: 7 }, covered, 1)).toEqual([{ from: 5, to: 6 }]);
  });
  it("counts slots and runs", () => {
    expect(slotsIn({ from: 0, to: 20 }, 10)).toBe(3);
    expect(slotsIn({ from: 10, to: 0 }, 10)).toBe(0);
    expect(slotsCovered({ from: 0, to: 100 }, [{ from: 50, to: 200 }], 10)).toBe(6);
    expect(runsOf([0, 1, 2, 5, 7, 8], 1)).toEqual([
      { from: 0, to: 2 },
      { from: 5, to: 5 },
      { from: 7, to: 8 },
    ]);
  });
  it("reports only holes inside covered ranges as gaps", () => {
    const runs = [
      { from: 0, to: 2 },
      { from: 5, to: 6 },
      { from: 9, to: 9 },
    ];
    expect(
      gapsOf(
        runs,
        [
          { from: 0, to: 6 },
          { from: 9, to: 9 },
        ],
        1,
      ),
    ).toEqual([{ from: 3, to: 4, missing: 2 }]);
  });
});

describe("chunk layout", () => {
  const H = 3_600_000;
  it("packs and unpacks columns", () => {
    const c = makeCandles(0, 5, H);
    expect(unpackColumns(packColumns(c), 5)).toEqual(c);
  });
  it("splits on time-aligned chunk boundaries", () => {
    const start = 998 * H;
    const parts = splitByChunk(makeCandles(start, 5, H), H);
    expect(parts.map((p) => [p.chunkStart, p.columns.openTime.length])).toEqual([
      [0, 2],
      [1000 * H, 3],
    ]);
    expect(chunkStartOf(1999 * H, H)).toBe(1000 * H);
  });
  it("merges keeping stored rows and counting only new ones", () => {
    const a = makeCandles(0, 4, H);
    const b = makeCandles(2 * H, 4, H);
    b.close[0] = -1; // a replayed candle with different values must not overwrite the stored one
    const m = mergeIntoChunk(a, b);
    expect(m.added).toBe(2);
    expect(Array.from(m.columns.openTime)).toEqual([0, 1, 2, 3, 4, 5].map((i) => i * H));
    expect(m.columns.close[2]).toBe(a.close[2]);
    expect(mergeIntoChunk(m.columns, b).added).toBe(0);
  });
  it("normalises unsorted, repeated and misaligned rows", () => {
    const c = makeCandles(0, 3, H);
    const shuffled = { ...c, openTime: Float64Array.from([2 * H, 0, 2 * H + 5]) };
    const n = normalizeColumns(shuffled, H);
    expect(n.misaligned).toBe(1);
    expect(Array.from(n.columns.openTime)).toEqual([0, 2 * H]);
    const rep = normalizeColumns({ ...c, openTime: Float64Array.from([0, 0, H]) }, H);
    expect(rep.repeated).toBe(1);
    expect(Array.from(rep.columns.openTime)).toEqual([0, H]);
    // Reordered rows with nothing dropped still come back sorted, values moving with their time.
    const rev = normalizeColumns({ ...c, openTime: Float64Array.from([2 * H, H, 0]) }, H);
    expect(Array.from(rev.columns.openTime)).toEqual([0, H, 2 * H]);
    expect(rev.columns.close[0]).toBe(c.close[2]);
  });
});
