import { describe, expect, it } from "vitest";
import { fixtureMarket } from "@/test/market";
import { buildDataset } from "./build-dataset";
import type { CandleColumns } from "./candles";
import { defaultPreset } from "./features/presets";
import type { Interval } from "./intervals";
import { liveWindow } from "./live-window";
import { normalizedSource } from "./normalize";

const H = 3_600_000;

describe("live window: the dataset's code path for the newest candle", () => {
  const m = fixtureMarket(4 * 24 * 40, 3);
  const alt = { funding: m.funding, fearGreed: m.fearGreed };
  const ds = buildDataset({ candles: m.candles, symbol: "TEST", alt, window: 48, synthetic: true });
  const src = normalizedSource(ds);
  const F = ds.features.length;
  const live = (now: number, candles: Partial<Record<Interval, CandleColumns>> = m.candles) =>
    liveWindow({
      candles,
      baseInterval: "1h",
      features: ds.features,
      alt,
      window: ds.window,
      normalization: ds.normalization,
      now,
    });

  it("equals the dataset's normalised window row for row, for rows in every part", () => {
    const ends = [ds.split.train[3], ds.split.val[10], ds.split.test[0], ds.split.test[ds.split.test.length - 1]];
    for (const t of ends) {
      // The clock just at the close of row t's candle: every later candle is in the store but not closed yet.
      const r = live(ds.times[t] + H);
      if (!r.ok) throw new Error(r.reason);
      expect(r.openTime).toBe(ds.times[t]);
      expect(r.close).toBe(ds.closes[t]);
      const expected = src.matrix.subarray((t - ds.window + 1) * F, (t + 1) * F);
      expect(r.normalized.length).toBe(ds.window * F);
      for (let i = 0; i < expected.length; i++)
        expect(Object.is(r.normalized[i], expected[i]), `row ${t}, value ${i}`).toBe(true);
      expect(Array.from(r.raw)).toEqual(Array.from(ds.matrix.subarray((t - ds.window + 1) * F, (t + 1) * F)));
    }
  });

  it("never reads a candle that has not closed (one ms before the close, the previous candle is newest)", () => {
    const t = ds.split.test[5];
    const r = live(ds.times[t] + H - 1);
    expect(r.ok && r.openTime).toBe(ds.times[t - 1]);
  });

  it("explains why there is no window: too little history, a gap", () => {
    expect(live(m.candles["1h"].openTime[0] + 10 * H)).toMatchObject({ ok: false, reason: /the window needs 48/ });
    expect(live(m.candles["1h"].openTime[0] + 60 * H)).toMatchObject({ ok: false, reason: /not finite/ });
    const t = ds.split.test[5];
    const c = m.candles["1h"];
    // Drop one base candle 10 hours before row t: the window ending at t spans the gap.
    const k = c.openTime.indexOf(ds.times[t] - 10 * H);
    const cols = Object.fromEntries(
      Object.entries(c).map(([f, col]) => [f, (col as Float64Array).filter((_, i) => i !== k)]),
    ) as unknown as CandleColumns;
    const r = live(ds.times[t] + H, { ...m.candles, "1h": cols });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/spans a gap in the 1h candles/);
  });

  it("uses the default 42-feature preset like the build", () => {
    expect(ds.features).toEqual(defaultPreset());
  });
});
