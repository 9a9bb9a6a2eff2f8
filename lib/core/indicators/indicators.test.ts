import { describe, expect, it } from "vitest";
import { adx } from "./adx";
import { atr, trueRange } from "./atr";
import { bollinger } from "./bollinger";
import { macd } from "./macd";
import { realizedVolatility, roc } from "./momentum";
import { ema, sma, wilder } from "./moving";
import { rsi } from "./rsi";
import { stochastic } from "./stochastic";
import { obvSlope, volumeZScore } from "./volume";

const f64 = (a: number[]) => Float64Array.from(a);

// StockCharts' RSI worked example (chart_school "Relative Strength Index", cs-rsi table).
const RSI_CLOSES = [
  44.3389, 44.0902, 44.1497, 43.6124, 44.3278, 44.8264, 45.0955, 45.4245, 45.8433, 46.0826, 45.8931, 46.0328, 45.614,
  46.282, 46.282, 46.0028, 46.0328, 46.4116, 46.2222, 45.6439, 46.2122, 46.2521, 45.7137, 46.4515, 45.7835, 45.3548,
  44.0288, 44.1783, 44.2181, 44.5672, 43.4205, 42.6628, 43.1314,
];
const RSI_EXPECTED = [
  70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38, 54.71, 50.42, 39.99, 41.46, 41.87, 45.46, 37.3,
  33.08, 37.77,
];

// Wilder's worked ADX example (New Concepts in Technical Trading Systems, 1978), as typed into
// public test suites; the book prints ADX rounded to integers.
const W_HIGH = [
  274, 273.25, 272, 270.75, 270, 270.5, 268.5, 265.5, 262.5, 263.5, 269.5, 267.25, 267.5, 269.75, 268.25, 264, 268, 266,
  274, 277.5, 277, 272, 267.75, 269.25, 266, 265, 264.75, 261, 257.5, 259, 259.75, 257.25, 250, 254.25, 254, 253.25,
  253.25, 251.75, 253, 251.5, 246.25, 244.25,
];
const W_LOW = [
  272, 270.25, 269.75, 268, 269, 268, 266.5, 263, 259, 260, 263, 265, 265.5, 266, 263.25, 261.5, 266.25, 264.25, 267,
  273.5, 272.5, 269.5, 264, 263, 263.5, 262, 261.5, 255.5, 253, 254, 257.5, 250, 247, 252.75, 250.5, 250.25, 251, 250.5,
  249.5, 245.25, 240, 244.25,
];
const W_CLOSE = [
  272.75, 270.75, 270, 269.25, 269.75, 270, 266.5, 263.25, 260.25, 263, 266.5, 267, 265.75, 268.5, 264.25, 264, 266.5,
  265.25, 273, 276.75, 273, 270.25, 266.75, 263, 265.5, 262.25, 262.75, 255.5, 253, 257.5, 257.5, 250, 249.75, 253.75,
  251.25, 250.5, 253, 251.5, 250, 245.75, 242.75, 243.5,
];
const W_ADX_FROM_28 = [17, 18, 18, 20, 22, 22, 23, 23, 24, 25, 25, 26, 27, 29];

describe("moving averages", () => {
  it("sma/ema/wilder warm up with NaN and seed with the SMA", () => {
    const x = f64([1, 2, 3, 4, 5, 6]);
    expect(Array.from(sma(x, 3))).toEqual([NaN, NaN, 2, 3, 4, 5]);
    const e = ema(x, 3); // alpha 0.5
    expect(Number.isNaN(e[1])).toBe(true);
    expect(e[2]).toBe(2);
    expect(e[3]).toBeCloseTo(0.5 * 4 + 0.5 * 2, 12);
    const w = wilder(x, 3); // alpha 1/3
    expect(w[3]).toBeCloseTo(4 / 3 + (2 * 2) / 3, 12);
  });
});

describe("RSI (Wilder)", () => {
  it("matches StockCharts' published table to 2 decimals", () => {
    const r = rsi(f64(RSI_CLOSES), 14);
    for (let i = 0; i < 14; i++) expect(Number.isNaN(r[i])).toBe(true);
    RSI_EXPECTED.forEach((v, k) => expect(Math.abs(r[14 + k] - v)).toBeLessThan(0.006));
  });
  it("is 100 on a rising series and 50 on a flat one", () => {
    expect(rsi(f64(Array.from({ length: 30 }, (_, i) => 10 + i)))[29]).toBe(100);
    expect(rsi(new Float64Array(30).fill(7))[29]).toBe(50);
  });
});

describe("ATR and ADX (Wilder)", () => {
  it("true range uses the previous close", () => {
    const tr = trueRange(f64([10, 12, 11]), f64([9, 11, 8]), f64([9.5, 11.5, 9]));
    expect(Array.from(tr)).toEqual([1, 2.5, 3.5]);
  });
  it("ATR seeds with the mean of the first n true ranges, then Wilder-smooths", () => {
    const h = f64(W_HIGH),
      l = f64(W_LOW),
      c = f64(W_CLOSE);
    const tr = trueRange(h, l, c);
    const a = atr(h, l, c, 14);
    expect(Number.isNaN(a[12])).toBe(true);
    const seed = tr.slice(0, 14).reduce((s, v) => s + v, 0) / 14;
    expect(a[13]).toBeCloseTo(seed, 12);
    expect(a[14]).toBeCloseTo((seed * 13 + tr[14]) / 14, 12);
  });
  it("ADX matches Wilder's worked example (book rounds to integers)", () => {
    const r = adx(f64(W_HIGH), f64(W_LOW), f64(W_CLOSE), 14);
    expect(Number.isNaN(r.adx[26])).toBe(true);
    expect(Number.isFinite(r.adx[27])).toBe(true);
    W_ADX_FROM_28.forEach((v, k) => expect(Math.abs(r.adx[28 + k] - v)).toBeLessThanOrEqual(1));
    expect(Number.isNaN(r.plusDI[13])).toBe(true);
    expect(Number.isFinite(r.plusDI[14])).toBe(true);
  });
  it("ADX is exactly 100 when every bar moves up and none down", () => {
    const n = 60;
    const h = f64(Array.from({ length: n }, (_, i) => 101 + i));
    const l = f64(Array.from({ length: n }, (_, i) => 99 + i));
    const c = f64(Array.from({ length: n }, (_, i) => 100 + i));
    const r = adx(h, l, c, 14);
    expect(r.adx[n - 1]).toBeCloseTo(100, 10);
    expect(r.minusDI[n - 1]).toBe(0);
    expect(r.plusDI[n - 1]).toBeCloseTo(50, 10); // +DM 1 per bar, TR 2 per bar
  });
});

describe("MACD", () => {
  it("equals 7 * slope on a linear series (EMA lag (n-1)/2), with zero histogram", () => {
    const x = f64(Array.from({ length: 80 }, (_, i) => 50 + 0.5 * i));
    const m = macd(x);
    expect(Number.isNaN(m.line[24])).toBe(true);
    expect(m.line[25]).toBeCloseTo(3.5, 10);
    expect(Number.isNaN(m.signal[32])).toBe(true);
    expect(m.signal[33]).toBeCloseTo(3.5, 10);
    expect(m.histogram[79]).toBeCloseTo(0, 10);
  });
});

describe("Bollinger, stochastic, momentum, volume", () => {
  it("Bollinger %B and width follow the population std", () => {
    const x = f64([1, 2, 3, 4, 5]);
    const b = bollinger(x, 5, 2);
    const sd = Math.sqrt(2);
    expect(b.middle[4]).toBe(3);
    expect(b.upper[4]).toBeCloseTo(3 + 2 * sd, 12);
    expect(b.percentB[4]).toBeCloseTo((5 - (3 - 2 * sd)) / (4 * sd), 12);
    expect(b.width[4]).toBeCloseTo((4 * sd) / 3, 12);
    expect(bollinger(new Float64Array(5).fill(2), 5).percentB[4]).toBe(0.5);
  });
  it("stochastic %K/%D", () => {
    const h = f64([10, 11, 12, 13]),
      l = f64([8, 9, 10, 11]),
      c = f64([9, 10, 11, 12]);
    const s = stochastic(h, l, c, 3, 2);
    expect(s.k[2]).toBeCloseTo((100 * (11 - 8)) / (12 - 8), 12);
    expect(s.k[3]).toBeCloseTo((100 * (12 - 9)) / (13 - 9), 12);
    expect(s.d[3]).toBeCloseTo((s.k[2] + s.k[3]) / 2, 12);
  });
  it("rate of change and realised volatility", () => {
    const x = f64([100, 110, 121, 133.1]);
    expect(roc(x, 2)[3]).toBeCloseTo(0.21, 12);
    expect(realizedVolatility(x, 2)[3]).toBeCloseTo(0, 12); // constant log returns
    const alt = f64([100, 110, 100, 110, 100]);
    const r = Math.log(1.1);
    expect(realizedVolatility(alt, 2)[4]).toBeCloseTo(r, 12);
  });
  it("volume z-score and OBV slope are scale-free", () => {
    const v = f64([1, 1, 1, 1, 5]);
    const z = volumeZScore(v, 5);
    expect(z[4]).toBeCloseTo(3.2 / Math.sqrt((0.8 * 0.8 * 4 + 3.2 * 3.2) / 5), 12); // = 2
    expect(volumeZScore(f64(Array.from(v, (x) => x * 1000)), 5)[4]).toBeCloseTo(z[4], 12);
    const c = f64([1, 2, 3, 4, 5]);
    expect(obvSlope(c, f64([3, 3, 3, 3, 3]), 3)[4]).toBe(1);
    expect(obvSlope(f64([5, 4, 3, 2, 1]), f64([3, 3, 3, 3, 3]), 3)[4]).toBe(-1);
  });
});
