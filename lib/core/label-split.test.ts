import { describe, expect, it } from "vitest";
import { fixtureMarket } from "@/test/market";
import { buildDatasetDetailed, relabelDataset } from "./build-dataset";
import { DEFAULT_LABEL_SPEC, classBalance, countLabels, forwardReturns } from "./labels";
import { labelAndSplit, previewLabelSplit } from "./label-split";
import { defaultSplitSpec } from "./splits";

const H = 3_600_000;

describe("labels are decided in float64 from prices", () => {
  // Real BTC data had a 4-candle move of exactly -1.5%: float32 rounds -0.015 to
  // -0.01499999966, which is above the strong threshold, so the row was SELL.
  const m = fixtureMarket(4 * 24 * 60, 3);
  const base = m.candles["1h"];
  const i = 900;
  base.close[i + 4] = base.close[i] * 0.985;
  while (base.close[i + 4] / base.close[i] - 1 > -0.015) base.close[i + 4] -= 1e-9; // exactly at or below -1.5% in float64
  base.low[i + 4] = Math.min(base.low[i + 4], base.close[i + 4]);
  base.high[i + 4] = Math.max(base.high[i + 4], base.close[i + 4]);
  expect(Math.fround(base.close[i + 4] / base.close[i] - 1)).toBeGreaterThan(-0.015); // the float32 trap is set
  const { dataset } = buildDatasetDetailed({
    candles: m.candles,
    alt: { funding: m.funding, fearGreed: m.fearGreed },
    symbol: "TEST",
    createdAt: 0,
  });
  const row = dataset.times.indexOf(base.openTime[i]);

  it("a move of exactly -1.5% is STRONG_SELL in the built dataset and after relabelling", () => {
    expect(row).toBeGreaterThan(0);
    expect(dataset.labels[row]).toBe(0);
    expect(relabelDataset(dataset, { weak: 0.004 }).labels[row]).toBe(0);
  });
});

describe("the class-balance preview uses the build's code", () => {
  const m = fixtureMarket(4 * 24 * 120, 5);
  const { dataset: ds } = buildDatasetDetailed({
    candles: m.candles,
    alt: { funding: m.funding, fearGreed: m.fearGreed },
    symbol: "TEST",
    createdAt: 0,
  });

  it("run on the dataset's own rows, labelAndSplit gives the build's parts and per-part counts", () => {
    const again = labelAndSplit({
      times: ds.times,
      forwardReturns: Float64Array.from(ds.forwardReturns),
      intervalMs: H,
      window: ds.window,
      labelSpec: ds.labelSpec,
      splitSpec: ds.splitSpec,
    });
    for (const part of ["train", "val", "test"] as const) {
      expect(Array.from(again.split[part])).toEqual(Array.from(ds.split[part]));
      expect(again.balance[part].counts).toEqual(countLabels(ds.labels, ds.split[part]));
    }
  });

  it("on the stored candles it counts each part's sample ends, not every base row", () => {
    const spec = ds.labelSpec;
    const preview = previewLabelSplit(m.candles["1h"], H, ds.window, spec, defaultSplitSpec(spec.horizon, ds.window));
    const c = m.candles["1h"];
    const everyRow = classBalance(forwardReturns(c.openTime, c.close, H, spec.horizon), spec);
    const perPart = (["train", "val", "test"] as const).map((p) => preview.balance[p].labelled);
    // The old preview counted every base row, the test period included.
    expect(perPart.reduce((a, b) => a + b, 0)).toBeLessThan(everyRow.labelled);
    // The preview's train part is within the warm-up of the build's (the only rows it cannot know).
    const built = ds.split.train.length;
    expect(Math.abs(preview.balance.train.labelled - built) / built).toBeLessThan(0.1);
    expect(Math.abs(preview.balance.test.labelled - ds.split.test.length) / ds.split.test.length).toBeLessThan(0.1);
  });

  it("an exact-zero return under 'sign' is flat, not a weak-zone exclusion", () => {
    const times = Float64Array.from({ length: 12 }, (_, k) => k * H);
    const fwd = Float64Array.from([0.01, 0, -0.02, 0.001, 0.02, -0.01, 0, 0.03, 0.01, -0.004, 0.002, NaN]);
    const out = labelAndSplit({
      times,
      forwardReturns: fwd,
      intervalMs: H,
      window: 1,
      labelSpec: DEFAULT_LABEL_SPEC,
      splitSpec: { train: 1, val: 0, test: 0, purge: 0, embargo: 0 },
    });
    expect(out.balance.train.flat).toBe(2);
    expect(out.balance.train.excluded).toBe(0);
    expect(out.split.train).not.toContain(1);
    const excluded = classBalance(fwd, { ...DEFAULT_LABEL_SPEC, weakZone: "exclude" });
    expect([excluded.excluded, excluded.flat]).toEqual([5, 0]);
  });
});
