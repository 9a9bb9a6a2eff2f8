import { describe, expect, it } from "vitest";
import { featureImportanceCsv, importanceBy, parseInputName } from "./importance";

const model = {
  featureNames: [
    "feat_1h_rsi_t118",
    "feat_1h_rsi_t119",
    "feat_4h_rsi_t119",
    "feat_1h_macd_t119",
    "feat_alt_fear_greed_t119",
    "feat_regime_range_t119",
  ],
  importances: Float32Array.from([0.1, 0.3, 0.2, 0.15, 0.2, 0.05]),
};

describe("importance aggregation", () => {
  it("parses the guide's names", () => {
    expect(parseInputName("feat_1h_rsi_t119")).toEqual({
      feature: "1h_rsi",
      timeframe: "1h",
      indicator: "rsi",
      step: 119,
      stat: null,
    });
    expect(parseInputName("feat_alt_sentiment_score_mean")).toEqual({
      feature: "alt_sentiment_score",
      timeframe: "alt",
      indicator: "alt_sentiment_score",
      step: null,
      stat: "mean",
    });
  });

  it("sums per indicator, timeframe and step", () => {
    const round = (rows: { key: string; importance: number }[]) =>
      rows.map((r) => [r.key, Number(r.importance.toFixed(4))]);
    expect(round(importanceBy(model, "indicator"))).toEqual([
      ["rsi", 0.6],
      ["alt_fear_greed", 0.2],
      ["macd", 0.15],
      ["regime_range", 0.05],
    ]);
    expect(round(importanceBy(model, "timeframe"))).toEqual([
      ["1h", 0.55],
      ["4h", 0.2],
      ["alt", 0.2],
      ["regime", 0.05],
    ]);
    expect(round(importanceBy(model, "step"))).toEqual([
      ["t119", 0.9],
      ["t118", 0.1],
    ]);
  });

  it("writes feature_importance.csv sorted by importance", () => {
    const lines = featureImportanceCsv(model).trim().split("\n");
    expect(lines[0]).toBe("feature,importance");
    expect(lines[1]).toBe("feat_1h_rsi_t119,0.3");
    expect(lines[lines.length - 1]).toBe("feat_regime_range_t119,0.05");
    expect(lines.length).toBe(7);
  });
});
