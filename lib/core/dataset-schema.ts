/**
 * Schemas of a Dataset and its specs as stored: every field typed, array lengths agreeing with
 * rows × features, split indices inside the rows. Checked against the interfaces of dataset.ts
 * (a schema that drifts from them fails the typecheck here).
 */
import * as v from "valibot";
import type { Dataset, FeatureSpec, LabelSpec, SplitSpec } from "./dataset";
import { FIT_TARGET_RANGE, type ThresholdFit } from "./thresholds";
import { count, finite, intervalSchema, refine, strictObj, text, textRecord, typedArray, type Schema } from "./schema";

const paramValue = v.union([finite(), v.string(), v.boolean()], "expected a number, a string or a boolean");
/** Parameter values of a model or a feature (e.g. {period: 14}, {view: "flat"}). */
export const paramsSchema: Schema<Record<string, number | string | boolean>> = textRecord(paramValue);

const altOriginSchema = v.picklist(["real", "synthetic", "fallback"], "unknown origin");
/** Where each alternative source's values came from (see AltOrigins). */
export const altOriginsSchema = strictObj({
  funding: altOriginSchema,
  fearGreed: altOriginSchema,
  onchain: altOriginSchema,
  sentiment: altOriginSchema,
});

export const labelSpecSchema: Schema<LabelSpec> = strictObj({
  horizon: finite({ min: 1, int: true }),
  strong: finite({ min: 0 }),
  weak: finite({ min: 0 }),
  weakZone: v.picklist(["sign", "exclude"], "unknown weak zone"),
  atrScaled: v.boolean(),
  fitTarget: v.optional(finite({ min: FIT_TARGET_RANGE.min, max: FIT_TARGET_RANGE.max })),
});

export const thresholdFitSchema: Schema<ThresholdFit> = strictObj({
  target: finite({ min: 0, max: 1 }),
  strong: finite({ min: 0 }),
  weak: finite({ min: 0 }),
  rarest: finite({ min: 0, max: 1 }),
  reached: v.boolean(),
  rows: count,
});

export const splitSpecSchema: Schema<SplitSpec> = strictObj({
  train: finite({ min: 0, max: 1 }),
  val: finite({ min: 0, max: 1 }),
  test: finite({ min: 0, max: 1 }),
  purge: count,
  embargo: count,
});

export const featureSpecSchema: Schema<FeatureSpec> = strictObj({
  name: text(200, 1),
  timeframe: v.nullable(intervalSchema),
  indicator: text(200, 1),
  params: paramsSchema,
});

const f64 = typedArray<Float64Array>(Float64Array, "Float64Array");
const f32 = typedArray<Float32Array>(Float32Array, "Float32Array");
const i32 = typedArray<Int32Array>(Int32Array, "Int32Array");

/** Why the arrays of `d` disagree with its rows × features, or null. */
function datasetProblem(d: Dataset): string | null {
  const f = d.features.length;
  const lengths: [string, ArrayLike<number>, number][] = [
    ["times", d.times, d.rows],
    ["closes", d.closes, d.rows],
    ["matrix", d.matrix, d.rows * f],
    ["labels", d.labels, d.rows],
    ["forwardReturns", d.forwardReturns, d.rows],
    ["normalization.mean", d.normalization.mean, f],
    ["normalization.std", d.normalization.std, f],
    ...(d.atrRatio ? ([["atrRatio", d.atrRatio, d.rows]] as [string, ArrayLike<number>, number][]) : []),
  ];
  for (const [name, a, n] of lengths) if (a.length !== n) return `${name} has length ${a.length}, expected ${n}`;
  const symbolProblem = multiSymbolProblem(d);
  if (symbolProblem) return symbolProblem;
  for (const part of ["train", "val", "test"] as const) {
    const idx = d.split[part];
    for (let i = 0; i < idx.length; i++)
      if (idx[i] < 0 || idx[i] >= d.rows) return `split.${part} index ${idx[i]} out of range [0, ${d.rows})`;
  }
  return null;
}

/** Why the multi-symbol fields of `d` disagree (with each other, rows or features), or null. */
function multiSymbolProblem(d: Dataset): string | null {
  if (!d.symbols && !d.rowSymbol && !d.symbolNormalization) return null;
  if (!d.symbols || !d.rowSymbol) return "symbols and rowSymbol go together";
  const S = d.symbols.length;
  if (d.rowSymbol.length !== d.rows) return `rowSymbol has length ${d.rowSymbol.length}, expected ${d.rows}`;
  const seen = new Set<number>();
  for (let r = 0; r < d.rows; r++) {
    const s = d.rowSymbol[r];
    if (s >= S) return `rowSymbol[${r}] is ${s}, but there are ${S} symbols`;
    if (r > 0 && s !== d.rowSymbol[r - 1] && seen.has(s)) return `the rows of symbol ${d.symbols[s]} are not one block`;
    seen.add(s);
  }
  const n = d.symbolNormalization;
  const want = S * d.features.length;
  if (n && (n.mean.length !== want || n.std.length !== want))
    return `symbolNormalization has length ${n.mean.length}/${n.std.length}, expected ${want} (symbols × features)`;
  return null;
}

export const datasetSchema: Schema<Dataset> = v.pipe(
  strictObj({
    version: v.literal(1, "unknown Dataset version"),
    id: text(200, 1),
    name: text(),
    createdAt: finite(),
    symbol: text(40),
    synthetic: v.boolean(),
    baseInterval: intervalSchema,
    timeframes: v.array(intervalSchema),
    features: v.array(featureSpecSchema),
    fallbackFeatures: v.array(v.string()),
    altOrigin: v.optional(altOriginsSchema),
    syntheticAlt: v.optional(strictObj({ seed: text(200), start: finite() })),
    labelSpec: labelSpecSchema,
    splitSpec: splitSpecSchema,
    window: finite({ min: 1, int: true }),
    rows: count,
    times: f64,
    closes: f64,
    matrix: f32,
    labels: typedArray<Int8Array>(Int8Array, "Int8Array"),
    forwardReturns: f32,
    atrRatio: v.optional(f32),
    split: strictObj({ train: i32, val: i32, test: i32 }),
    normalization: strictObj({ mean: f32, std: f32 }),
    thresholdFit: v.optional(thresholdFitSchema),
    symbols: v.optional(v.array(text(40, 1))),
    rowSymbol: v.optional(typedArray<Uint8Array>(Uint8Array, "Uint8Array")),
    symbolNormalization: v.optional(strictObj({ mean: f32, std: f32 })),
  }),
  refine(datasetProblem),
);
