import { describe, expect, it } from "vitest";
import { sliceColumns, type CandleColumns } from "../candles";
import { intervalMs, type Interval } from "../intervals";
import { mulberry32 as rng } from "@/lib/core/random";
import { fixtureMarket } from "@/test/market";
import { publishedAt, type AltPoint, type AltSourceName } from "./alt-series";
import { alignToBase } from "./align";
import { computeFeatureRows } from "./compute";
import { makeContext } from "./context";
import { buildPreset, defaultPreset } from "./presets";
import { REGIMES, regimeCodes } from "./regime";

const H = 3_600_000;

describe("presets", () => {
  it("default preset has the guide's 42 features, named by timeframe", () => {
    const p = defaultPreset();
    expect(p).toHaveLength(42);
    expect(new Set(p.map((f) => f.name)).size).toBe(42);
    for (const n of [
      "15m_rsi",
      "1h_rsi",
      "1h_macd",
      "4h_adx",
      "1h_atr",
      "regime_trend_up",
      "regime_high_vol",
      "alt_funding_rate",
      "alt_sentiment_score",
    ]) {
      expect(p.map((f) => f.name)).toContain(n);
    }
    expect(p.filter((f) => f.timeframe === "4h")).toHaveLength(10);
    expect(p.filter((f) => f.name.startsWith("alt_"))).toHaveLength(8);
  });
  it("builds presets for other timeframe sets", () => {
    const p = buildPreset(["1h", "4h", "1d"]);
    expect(p).toHaveLength(42);
    expect(p.map((f) => f.name)).toContain("1d_macd");
    expect(p.some((f) => f.timeframe === "15m")).toBe(false);
  });
});

describe("alignment", () => {
  it("uses the last candle closed at the base close, for lower and higher timeframes", () => {
    const t0 = Date.UTC(2024, 0, 1);
    const base = Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8], (k) => t0 + k * H);
    const four = Float64Array.from([0, 1, 2], (k) => t0 + k * 4 * H);
    // base 03:00 closes 04:00 -> the 00:00 4h candle (closes 04:00); base 02:00 -> none yet.
    expect(Array.from(alignToBase(base, H, four, 4 * H))).toEqual([-1, -1, -1, 0, 0, 0, 0, 1, 1]);
    const q = Float64Array.from({ length: 40 }, (_, k) => t0 + k * 900_000);
    // base 00:00 closes 01:00 -> the 15m candle opening 00:45 (index 3).
    expect(Array.from(alignToBase(base, H, q, 900_000)).slice(0, 3)).toEqual([3, 7, 11]);
    // a gap in the lower timeframe: the row has no aligned data
    const gapped = q.filter((_, k) => k !== 7);
    expect(alignToBase(base, H, gapped, 900_000)[1]).toBe(-1);
  });
});

describe("regime", () => {
  it("is exactly one-hot after warm-up", () => {
    const m = fixtureMarket(4 * 24 * 30, 3);
    const ctx = makeContext("1h", m.candles["1h"], {});
    const codes = regimeCodes(ctx);
    const seen = new Set<number>();
    for (let i = 120; i < codes.length; i++) {
      expect(codes[i]).toBeGreaterThanOrEqual(0);
      seen.add(codes[i]);
    }
    expect(seen.size).toBeGreaterThanOrEqual(2);
    expect(REGIMES).toHaveLength(4);
  });
});

describe("feature rows", () => {
  const m = fixtureMarket(4 * 24 * 60, 7); // 60 days of 15m
  const alt = { funding: m.funding, fearGreed: m.fearGreed };

  it("fills documented fallbacks for missing sources and records them", () => {
    const r = computeFeatureRows({ candles: m.candles, baseInterval: "1h", features: defaultPreset(), alt });
    expect(r.fallbackFeatures).toEqual(["alt_onchain_score", "alt_sentiment_score"]);
    const r2 = computeFeatureRows({ candles: m.candles, baseInterval: "1h", features: defaultPreset() });
    expect(r2.fallbackFeatures).toEqual([
      "alt_funding_rate",
      "alt_funding_rate_mean3",
      "alt_fear_greed",
      "alt_fear_greed_change",
      "alt_onchain_score",
      "alt_sentiment_score",
    ]);
    const F = 42;
    const j = defaultPreset().findIndex((f) => f.name === "alt_fear_greed");
    expect(r2.values[500 * F + j]).toBe(0);
  });

  it("valid rows are finite, and warm-up rows are NaN (not zero)", () => {
    const r = computeFeatureRows({ candles: m.candles, baseInterval: "1h", features: defaultPreset(), alt });
    const F = 42;
    const firstValid = r.valid.indexOf(1);
    // 4h MACD signal needs 34 closed 4h candles = 136 h, plus one 4h close after the base row
    expect(firstValid).toBeGreaterThanOrEqual(135);
    expect(firstValid).toBeLessThan(150);
    const macd4 = defaultPreset().findIndex((f) => f.name === "4h_macd_hist");
    expect(Number.isNaN(r.values[10 * F + macd4])).toBe(true);
    for (let i = firstValid; i < r.baseRows; i++) expect(r.valid[i]).toBe(1);
  });

  /**
   * The no-look-ahead proof: for random base rows t, recompute every feature with all candles
   * (every timeframe) and all alt values published after the base candle's close removed.
   * Features at t must be bit-identical.
   */
  it("truncation test: features at t do not change when the future is removed (every alternative source)", () => {
    const every = { ...alt, onchain: m.onchain, sentiment: m.sentiment };
    const full = computeFeatureRows({ candles: m.candles, baseInterval: "1h", features: defaultPreset(), alt: every });
    expect(full.fallbackFeatures).toEqual([]);
    const F = 42;
    const pick = rng(11);
    for (let trial = 0; trial < 12; trial++) {
      const i = 200 + Math.floor(pick() * (full.baseRows - 220));
      const cut = full.times[i] + H; // base close
      const candles = {} as Record<Interval, CandleColumns>;
      for (const tf of ["15m", "1h", "4h"] as Interval[]) {
        const c = m.candles[tf];
        let n = 0;
        while (n < c.openTime.length && c.openTime[n] + intervalMs(tf) <= cut) n++;
        candles[tf] = sliceColumns(c, 0, n);
      }
      // Removes what was not yet published at the cut (a Fear & Greed day counts from its end).
      const keep = (src: AltSourceName, s: AltPoint[]) => s.filter((p) => publishedAt(src, p.time) <= cut);
      const trunc = computeFeatureRows({
        candles,
        baseInterval: "1h",
        features: defaultPreset(),
        alt: {
          funding: keep("funding", m.funding),
          fearGreed: keep("fearGreed", m.fearGreed),
          onchain: keep("onchain", m.onchain),
          sentiment: keep("sentiment", m.sentiment),
        },
      });
      expect(trunc.baseRows).toBe(i + 1);
      expect(trunc.valid[i]).toBe(full.valid[i]);
      for (let f = 0; f < F; f++)
        expect(
          Object.is(trunc.values[i * F + f], full.values[i * F + f]),
          `feature ${defaultPreset()[f].name} at row ${i}`,
        ).toBe(true);
    }
  });

  it("an alt value published after the base close is not used", () => {
    const t = m.candles["1h"].openTime[300];
    const close = t + H;
    const funding: AltPoint[] = [
      { time: close - 8 * H, value: 0.001 },
      { time: close + 1, value: 0.009 },
    ];
    const spec = [{ name: "f", timeframe: null, indicator: "funding_rate", params: {} }];
    const r = computeFeatureRows({ candles: m.candles, baseInterval: "1h", features: spec, alt: { funding } });
    expect(r.values[300]).toBeCloseTo(0.001, 9);
    expect(r.values[301]).toBeCloseTo(0.009, 9);
  });

  it("a daily Fear & Greed value counts from the end of its day", () => {
    const day = Date.UTC(2023, 0, 10);
    const fearGreed: AltPoint[] = [
      { time: day - 86_400_000, value: 20 },
      { time: day, value: 80 },
    ];
    const spec = [{ name: "f", timeframe: null, indicator: "fear_greed", params: {} }];
    const r = computeFeatureRows({ candles: m.candles, baseInterval: "1h", features: spec, alt: { fearGreed } });
    const row = (close: number) => r.times.indexOf(close - H);
    // During the day its own index is not known yet: the previous day's (20 → -0.6) is used.
    expect(r.values[row(day + 12 * H)]).toBeCloseTo(-0.6, 6);
    expect(r.values[row(day + 24 * H - H)]).toBeCloseTo(-0.6, 6);
    expect(r.values[row(day + 24 * H)]).toBeCloseTo(0.6, 6);
  });
});
