import { describe, expect, it } from "vitest";
import {
  DEFAULT_FOREST_CONFIG,
  DEFAULT_FOREST_PARAMS,
  FOREST_FIELDS,
  FOREST_PARAM_RANGES,
  resolveForestParams,
  validateForestConfig,
  validateForestParams,
} from "./params";

describe("validateForestParams", () => {
  it("passes the defaults unchanged, and every default lies in its range", () => {
    expect(validateForestParams(DEFAULT_FOREST_PARAMS)).toEqual({ params: DEFAULT_FOREST_PARAMS, issues: [] });
    for (const [key, range] of Object.entries(FOREST_PARAM_RANGES)) {
      const v = DEFAULT_FOREST_PARAMS[key as keyof typeof FOREST_PARAM_RANGES];
      expect(v).toBeGreaterThanOrEqual(range.min);
      expect(v).toBeLessThanOrEqual(range.max);
    }
    expect(validateForestConfig(DEFAULT_FOREST_CONFIG)).toEqual({ config: DEFAULT_FOREST_CONFIG, issues: [] });
  });

  it("fills missing values with defaults without a word", () => {
    expect(validateForestParams({ trees: 12 })).toEqual({
      params: { ...DEFAULT_FOREST_PARAMS, trees: 12 },
      issues: [],
    });
    expect(validateForestParams(undefined).params).toEqual(DEFAULT_FOREST_PARAMS);
  });

  it("clamps, rounds and repairs untrusted values, with a line naming each field", () => {
    const { params, issues } = validateForestParams({
      trees: 0,
      maxDepth: 100,
      minSamplesLeaf: 2.4,
      maxBins: "300",
      seed: "x",
      maxFeatures: "all",
      classWeight: "heavy",
      bootstrap: "1",
      extra: 5,
    });
    expect(params).toEqual({
      ...DEFAULT_FOREST_PARAMS,
      trees: 1,
      maxDepth: 64,
      minSamplesLeaf: 2,
      maxBins: 256,
      seed: DEFAULT_FOREST_PARAMS.seed,
      maxFeatures: "sqrt",
      classWeight: "balanced",
      bootstrap: true,
    });
    expect("extra" in params).toBe(false);
    expect(issues.map((m) => m.split(":")[0])).toEqual([
      "trees",
      "maxDepth",
      "minSamplesLeaf",
      "maxFeatures",
      "classWeight",
      "bootstrap",
      "maxBins",
      "seed",
    ]);
  });

  it("accepts maxFeatures as sqrt, log2, a fraction or a whole count", () => {
    for (const maxFeatures of ["sqrt", "log2", 0.3, 17] as const)
      expect(validateForestParams({ maxFeatures })).toEqual({
        params: { ...DEFAULT_FOREST_PARAMS, maxFeatures },
        issues: [],
      });
    expect(validateForestParams({ maxFeatures: 2.5 }).params.maxFeatures).toBe(3);
    expect(validateForestParams({ maxFeatures: -1 }).issues).toHaveLength(1);
  });

  it("checks the input view too, and resolveForestParams repairs silently for the workers", () => {
    expect(validateForestConfig({ view: "wide" })).toEqual({
      config: DEFAULT_FOREST_CONFIG,
      issues: ["view: wide is not one of flat, compact; using flat"],
    });
    expect(resolveForestParams({ trees: 5000, seed: 7 })).toEqual({ ...DEFAULT_FOREST_PARAMS, trees: 2000, seed: 7 });
  });

  it("describes a form field for every setting", () => {
    expect(FOREST_FIELDS.map((f) => f.key).sort()).toEqual(Object.keys(DEFAULT_FOREST_CONFIG).sort());
    for (const f of FOREST_FIELDS) expect(f.label.length).toBeGreaterThan(0);
  });
});
