import { describe, expect, it } from "vitest";
import {
  buildableIntervals,
  defaultBuildSpec,
  defaultTimeframesFor,
  timeframeSources,
  timeframesFromOtherSeries,
  validateBuildSpec,
} from "./build-spec";
import { buildPreset } from "./features/presets";

const valid = defaultBuildSpec();

describe("validateBuildSpec", () => {
  it("passes the defaults: the guide's 15m / 1h / 4h at base 1h, 42 features, window 120, 70 / 15 / 15", () => {
    expect(valid).toMatchObject({
      baseInterval: "1h",
      timeframes: ["15m", "1h", "4h"],
      window: 120,
      splitSpec: { train: 0.7, val: 0.15, test: 0.15, purge: 4, embargo: 120 },
    });
    expect(valid.features).toHaveLength(42);
    expect(validateBuildSpec(valid, ["15m"])).toEqual({ spec: valid, issues: [] });
  });

  it("fills a missing purge and embargo from the horizon and the window", () => {
    const { spec, issues } = validateBuildSpec({
      ...valid,
      window: 48,
      splitSpec: { train: 0.6, val: 0.2, test: 0.2 },
    });
    expect(issues).toEqual([]);
    expect(spec.splitSpec).toEqual({ train: 0.6, val: 0.2, test: 0.2, purge: 4, embargo: 48 });
  });

  it("refuses shares that overlap, leave rows out, are reversed or empty", () => {
    const issues = (splitSpec: { train: number; val: number; test: number }) =>
      validateBuildSpec({ ...valid, splitSpec }).issues;
    expect(issues({ train: 0.8, val: 0.2, test: 0.1 })).toEqual([
      "Split: train, validation and test shares must add up to 100%, not 110% (the parts would overlap)",
    ]);
    expect(issues({ train: 0.5, val: 0.2, test: 0.1 })).toEqual([
      "Split: train, validation and test shares must add up to 100%, not 80%",
    ]);
    expect(issues({ train: 1.2, val: -0.3, test: 0.1 })).toEqual([
      "Split: the val share is -30%; every part needs a share above 0%",
    ]);
    expect(issues({ train: 0.85, val: 0, test: 0.15 })).toHaveLength(1);
    expect(validateBuildSpec({ ...valid, splitSpec: { train: 0.8, val: 0.2, test: 0.1 } }).spec.splitSpec).toEqual(
      valid.splitSpec,
    );
  });

  it("refuses a purge or embargo shorter than the horizon or the window (look-ahead)", () => {
    const { spec, issues } = validateBuildSpec({ ...valid, splitSpec: { ...valid.splitSpec, purge: 2, embargo: 60 } });
    expect(issues).toEqual([
      "Purge: 2 rows is less than the label horizon (4): labels would cross a boundary",
      "Embargo: 60 rows is less than the window (120): windows would cross a boundary",
    ]);
    expect(spec.splitSpec).toMatchObject({ purge: 4, embargo: 120 });
  });

  it("refuses a window below 2 steps, above 512 or fractional", () => {
    for (const window of [1, 0, -5, 513, 12.5, Number.NaN])
      expect(validateBuildSpec({ ...valid, window }).issues, `window ${window}`).toEqual([
        `Window: ${window} must be a whole number of steps in 2..512`,
      ]);
    expect(validateBuildSpec({ ...valid, window: 2, splitSpec: { train: 0.7, val: 0.15, test: 0.15 } }).issues).toEqual(
      [],
    );
  });

  it("refuses unknown intervals and a base outside the timeframes", () => {
    const unknown = validateBuildSpec({ ...valid, timeframes: ["15m", "3h" as never, "1h", "4h"] });
    expect(unknown.issues).toEqual(["Timeframes: 3h is not a known interval"]);
    expect(unknown.spec.timeframes).toEqual(["15m", "1h", "4h"]);
    expect(validateBuildSpec({ ...valid, baseInterval: "90m" as never }).issues).toEqual([
      "Base timeframe: 90m is not a known interval; using 1h",
    ]);
    const noBase = validateBuildSpec({ ...valid, timeframes: ["15m", "4h"] });
    expect(noBase.issues).toEqual(["Timeframes: the base timeframe 1h must be one of them"]);
    expect(noBase.spec.timeframes).toEqual(["15m", "1h", "4h"]);
  });

  it("refuses timeframes finer than the stored candles (or not a multiple of them)", () => {
    expect(validateBuildSpec(valid, ["1h"]).issues).toEqual([
      "Timeframes: 15m cannot be built from the stored 1h candles (finer than the data, or not a multiple of it)",
      "Features: 15m_rsi, 15m_macd, 15m_macd_hist, 15m_adx, 15m_atr, 15m_bb_pctb, 15m_bb_width, 15m_stoch_k, 15m_roc, 15m_volume_z use a timeframe that is not among the timeframes",
    ]);
    expect(
      validateBuildSpec({ ...valid, timeframes: ["1h", "4h"], features: buildPreset(["1h", "4h"]) }, ["1h"]).issues,
    ).toEqual([]);
    expect(validateBuildSpec(valid, []).issues[0]).toMatch(/cannot be built from the stored \(none\) candles/);
  });

  it("refuses thresholds out of order, a horizon out of range and an empty feature list", () => {
    const { issues, spec } = validateBuildSpec({
      ...valid,
      labelSpec: { ...valid.labelSpec, strong: 0.004, weak: 0.005, horizon: 0 },
      features: [],
    });
    expect(issues).toEqual([
      "Horizon: 0 must be a whole number of candles in 1..96",
      "Thresholds: the strong threshold (0.4%) must be above the weak one (0.5%), and the weak one at least 0",
      "Features: choose at least one feature",
    ]);
    expect(spec.labelSpec).toEqual(valid.labelSpec);
  });
});

describe("default timeframes", () => {
  it("are the guide's when buildable, else the base and the next two coarser", () => {
    expect(buildableIntervals(["15m"])).toEqual(["15m", "30m", "1h", "2h", "4h", "6h", "12h", "1d"]);
    expect(defaultTimeframesFor(buildableIntervals(["15m"]))).toEqual({ base: "1h", timeframes: ["15m", "1h", "4h"] });
    expect(defaultTimeframesFor(buildableIntervals(["1h"]))).toEqual({ base: "1h", timeframes: ["1h", "4h", "1d"] });
    expect(defaultTimeframesFor(buildableIntervals(["4h"]))).toEqual({ base: "4h", timeframes: ["4h", "12h", "1d"] });
  });
});

describe("fit thresholds in the spec", () => {
  it("passes a target in 1..25% and refuses one outside, naming the field", () => {
    expect(validateBuildSpec({ ...valid, labelSpec: { ...valid.labelSpec, fitTarget: 0.15 } }).issues).toEqual([]);
    const { spec, issues } = validateBuildSpec({ ...valid, labelSpec: { ...valid.labelSpec, fitTarget: 0.4 } });
    expect(issues).toEqual([
      "Fit thresholds: the rarest class target 40% must be in 1%..25% (four classes cannot all hold more than 25%)",
    ]);
    expect(spec.labelSpec.fitTarget).toBe(0.15);
    expect(validateBuildSpec(valid).spec.labelSpec).not.toHaveProperty("fitTarget");
  });
});

describe("what a dataset is built from", () => {
  it("a series of only 30m candles defaults to base 30m with 1h and 4h aggregated from it", () => {
    expect(defaultTimeframesFor(buildableIntervals(["30m"]))).toEqual({ base: "30m", timeframes: ["30m", "1h", "4h"] });
    expect(timeframeSources("30m", ["30m", "1h", "4h"], ["30m"])).toEqual([
      { timeframe: "30m", from: "30m", fromBase: true },
      { timeframe: "1h", from: "30m", fromBase: true },
      { timeframe: "4h", from: "30m", fromBase: true },
    ]);
    expect(timeframesFromOtherSeries("30m", ["30m", "1h", "4h"], ["30m"])).toEqual([]);
  });
  it("names the timeframes read from other stored series, and aggregates them from the base when asked", () => {
    const stored = ["30m", "1h", "4h"] as const;
    expect(timeframesFromOtherSeries("30m", ["30m", "1h", "4h"], stored)).toEqual(["1h", "4h"]);
    expect(timeframeSources("30m", ["30m", "1h", "4h"], stored).map((s) => s?.from)).toEqual(["30m", "1h", "4h"]);
    expect(timeframeSources("30m", ["30m", "1h", "4h"], stored, true).map((s) => s?.from)).toEqual([
      "30m",
      "30m",
      "30m",
    ]);
    // Series over the same dates (a collection of one source) agree: no warning, unless they are files.
    const day = 86_400_000;
    const same = {
      "30m": { first: 0, last: 99 * day },
      "1h": { first: 0, last: 99 * day },
      "4h": { first: 0, last: 99 * day },
    };
    expect(timeframesFromOtherSeries("30m", ["30m", "1h", "4h"], stored, same)).toEqual([]);
    expect(timeframesFromOtherSeries("30m", ["30m", "1h", "4h"], stored, same, true)).toEqual(["1h", "4h"]);
    const shorter = { ...same, "1h": { first: 0, last: 50 * day } };
    expect(timeframesFromOtherSeries("30m", ["30m", "1h", "4h"], stored, shorter)).toEqual(["1h"]);
    // A finer timeframe than the base cannot come from the base: it keeps its own series.
    expect(timeframeSources("1h", ["15m", "1h"], ["15m", "1h"], true).map((s) => s?.from)).toEqual(["15m", "1h"]);
    // Not stored and nothing finer: no source.
    expect(timeframeSources("1h", ["15m", "1h"], ["1h"])).toEqual([
      null,
      { timeframe: "1h", from: "1h", fromBase: true },
    ]);
  });
});
