import { describe, expect, it } from "vitest";
import { configRanges, defaultConfig, LSTM_DEFAULTS, TRANSFORMER_DEFAULTS, validateConfig } from "./config";

describe("config", () => {
  it("defaults follow the guide and pass validation unchanged", () => {
    expect(TRANSFORMER_DEFAULTS.epochs).toBe(100);
    expect(LSTM_DEFAULTS.epochs).toBe(100);
    for (const kind of ["transformer", "lstm"] as const) {
      const { config, issues } = validateConfig(kind, defaultConfig(kind));
      expect(issues).toEqual([]);
      expect(config).toEqual(defaultConfig(kind));
      for (const [key, range] of Object.entries(configRanges(kind))) {
        const v = (config as unknown as Record<string, number>)[key];
        expect(v).toBeGreaterThanOrEqual(range.min);
        expect(v).toBeLessThanOrEqual(range.max);
      }
    }
  });

  it("clamps, rounds and snaps untrusted values, reporting each change", () => {
    const { config, issues } = validateConfig("transformer", {
      epochs: 1e6,
      batchSize: 100,
      learningRate: "0.01",
      dropout: -1,
      blocks: 2.6,
      seed: "x",
      extra: 5,
    });
    expect(config.epochs).toBe(500);
    expect(config.batchSize).toBe(128); // nearest allowed option
    expect(config.learningRate).toBe(0.01);
    expect(config.dropout).toBe(0);
    expect(config.blocks).toBe(3);
    expect(config.seed).toBe(TRANSFORMER_DEFAULTS.seed);
    expect("extra" in config).toBe(false);
    expect(issues.length).toBe(5);
  });

  it("keeps heads dividing d_model and patch dividing the window", () => {
    const t = validateConfig("transformer", { dModel: 48, heads: 8, patch: 8 }, 100).config;
    expect(t.dModel % t.heads).toBe(0);
    expect(t.heads).toBe(8);
    expect(t.patch).toBe(5); // 8 does not divide 100; largest allowed divisor below it
    const l = validateConfig("lstm", { patch: 7 }, 120).config;
    expect(l.patch).toBe(6);
    expect(validateConfig("transformer", { dModel: 96, heads: 8 }).config.heads).toBe(8);
    expect(validateConfig("lstm", { classWeights: "false" }).config.classWeights).toBe(false);
  });
});
