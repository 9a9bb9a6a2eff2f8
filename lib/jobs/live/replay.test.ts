import { describe, expect, it } from "vitest";
import { buildDataset } from "@/lib/core/build-dataset";
import type { CandleColumns } from "@/lib/core/candles";
import type { Interval } from "@/lib/core/intervals";
import { fixtureMarket } from "@/test/market";
import { datasetLiveModel } from "@/test/live-model";
import { liveWindows } from "./loop";
import { replayWindows } from "./replay";

const H = 3_600_000;

describe("replay windows", () => {
  it("equal the live windows at every clock, gaps and warm-up included, from rows computed once", () => {
    const m = fixtureMarket(4 * 24 * 20, 9);
    const alt = { funding: m.funding, fearGreed: m.fearGreed };
    // A hole of three base candles in the middle: windows across it are refused the same way.
    const c = m.candles["1h"];
    const hole = new Set([200, 201, 202].map((i) => c.openTime[i]));
    const keep = Array.from(c.openTime, (t, i) => (hole.has(t) ? -1 : i)).filter((i) => i >= 0);
    const base = Object.fromEntries(
      Object.entries(c).map(([f, col]) => [f, Float64Array.from(keep, (i) => (col as Float64Array)[i])]),
    ) as unknown as CandleColumns;
    const candles: Partial<Record<Interval, CandleColumns>> = { ...m.candles, "1h": base };
    const ds = buildDataset({ candles, symbol: "T", alt, window: 24, synthetic: true });
    const model = datasetLiveModel(ds, "r", async () => ({}));
    const fromRows = replayWindows();
    let ok = 0;
    let refused = 0;
    for (let i = 0; i < c.openTime.length; i += 3) {
      const at = c.openTime[i] + H + (i % 2 ? 0 : H / 2); // at a close and between closes
      const expected = liveWindows(model, candles, at, alt);
      const got = fromRows(model, candles, at, alt);
      expect(got).toEqual(expected);
      if (got.ok) ok++;
      else refused++;
    }
    expect(ok).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(10);
  });
});
