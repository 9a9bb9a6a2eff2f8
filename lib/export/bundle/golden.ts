import { CANDLE_FIELDS, type CandleColumns, type CandleField } from "@/lib/core/candles";
import { CLASS_NAMES, NUM_CLASSES } from "@/lib/core/classes";
import type { Dataset } from "@/lib/core/dataset";
import type { Interval } from "@/lib/core/intervals";
import { ensembleProbs, type ProbsByModel } from "@/lib/eval/ensemble";
import * as v from "valibot";
import { arrayOf, finite, safeRecord, safeText, SAFE_ID, type Schema } from "@/lib/core/schema";

/**
 * Golden vectors (golden.json): input windows with the raw candles they came from, the features
 * computed from them and every model's expected probabilities, so a consuming app can prove it
 * computes the same features and predictions.
 */

/** Candles as plain column arrays (JSON-friendly CandleColumns), oldest first. */
export type GoldenCandles = Record<CandleField, number[]>;

export interface GoldenCase {
  /** Row t of the dataset: the window is rows t-window+1 .. t. */
  row: number;
  /** Open time (UTC ms) and close price of row t's base candle. */
  openTime: number;
  close: number;
  /** Label of row t (-1 when none). */
  label: number;
  /** Raw (unnormalised) features of the window, [window][features], oldest step first. */
  features: number[][];
  /** The candles these features were computed from, per interval (when the caller supplied them). */
  candles?: Partial<Record<Interval, GoldenCandles>>;
  /** Expected class probabilities per model id ("transformer", "lstm", "forest", "ensemble"). */
  expected: Record<string, number[]>;
}

export interface GoldenFile {
  version: 1;
  window: number;
  featureNames: string[];
  classNames: string[];
  /** How model inputs are made from `features`. */
  note: string;
  cases: GoldenCase[];
}

const number = finite({ min: -Number.MAX_VALUE, max: Number.MAX_VALUE });
const names = arrayOf(safeText({ min: 1, max: 80, pattern: SAFE_ID }), { max: 10_000_000 });
/** Probabilities are float32 on the writer's side: a softmax may round a hair above 1. */
const probability = finite({ min: 0, max: 1 + 1e-6 });
const int = (min: number, max: number) => finite({ min, max, int: true });

/** Schema of golden.json (unknown fields are dropped: newer writers may add some). */
export const goldenSchema: Schema<GoldenFile> = v.object({
  version: v.literal(1, "expected 1"),
  window: int(1, 100_000),
  featureNames: names,
  classNames: names,
  note: safeText({ max: 4000, pattern: /^[^\u0000]*$/ }),
  cases: arrayOf(
    v.object({
      row: int(0, 1e9),
      openTime: finite({ min: 0, max: 4_102_444_800_000 }),
      close: number,
      label: int(-1, NUM_CLASSES - 1),
      features: arrayOf(arrayOf(number, { max: 100_000 }), { max: 100_000 }),
      expected: safeRecord(arrayOf(probability, { min: NUM_CLASSES, max: NUM_CLASSES }), {
        maxKeys: 16,
        maxKeyLength: 40,
      }),
      candles: v.optional(
        safeRecord(
          v.record(
            v.picklist(CANDLE_FIELDS, "not a candle field"),
            arrayOf(v.nullable(number), { max: 10_000_000 }),
          ) as Schema<GoldenCandles>,
          { maxKeys: 16, maxKeyLength: 8 },
        ),
      ),
    }),
    { max: 100_000 },
  ),
});

/**
 * The shortest decimal that reads back as the same float32 (≤ 9 significant digits), so JSON
 * stays exact for float32 consumers without 17-digit doubles.
 */
export function float32Json(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.fround(x);
  for (let p = 6; p <= 9; p++) {
    const y = Number(f.toPrecision(p));
    if (Math.fround(y) === f) return y;
  }
  return f;
}

/** `count` window ends spread evenly over `ends` (e.g. the test part), first and last included. */
export function pickGoldenEnds(ends: ArrayLike<number>, count = 32): number[] {
  const n = ends.length;
  if (n === 0) return [];
  if (n <= count) return Array.from(ends);
  return Array.from({ length: count }, (_, k) => ends[Math.round((k * (n - 1)) / (count - 1))]);
}

function columnsToJson(c: CandleColumns): GoldenCandles {
  const out = {} as GoldenCandles;
  for (const f of CANDLE_FIELDS) out[f] = Array.from(c[f]);
  return out;
}

export interface GoldenInput {
  dataset: Pick<Dataset, "matrix" | "rows" | "features" | "window" | "times" | "closes" | "labels">;
  /** Window ends (rows) of the cases. */
  ends: ArrayLike<number>;
  /** Per model, probabilities [ends.length * 4] computed by the real model for those ends. */
  probabilities: ProbsByModel;
  /** Ensemble weights by model id (renormalised over the models present). */
  weights: Readonly<Record<string, number>>;
  /** Optional: the raw candles behind row t's features, per interval. */
  candlesFor?: (row: number) => Partial<Record<Interval, CandleColumns>>;
}

/** Builds golden cases; the ensemble's expected output is computed with lib/eval's ensembleProbs. */
export function makeGoldenCases(input: GoldenInput): GoldenCase[] {
  const { dataset: d, ends } = input;
  const F = d.features.length;
  const ids = Object.keys(input.probabilities).filter((k) => input.probabilities[k] != null);
  for (const id of ids) {
    if (input.probabilities[id]!.length !== ends.length * NUM_CLASSES)
      throw new Error(`golden: ${id} has ${input.probabilities[id]!.length} probabilities for ${ends.length} cases`);
  }
  const ensemble = ids.length > 0 ? ensembleProbs(input.probabilities, input.weights).probs : null;
  const cases: GoldenCase[] = [];
  for (let i = 0; i < ends.length; i++) {
    const t = ends[i];
    if (t < d.window - 1 || t >= d.rows)
      throw new Error(`golden: window end ${t} outside [${d.window - 1}, ${d.rows})`);
    const features: number[][] = [];
    for (let s = t - d.window + 1; s <= t; s++)
      features.push(Array.from(d.matrix.subarray(s * F, (s + 1) * F), float32Json));
    const expected: Record<string, number[]> = {};
    for (const id of ids)
      expected[id] = Array.from(input.probabilities[id]!.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES), float32Json);
    if (ensemble)
      expected.ensemble = Array.from(ensemble.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES), float32Json);
    const candles = input.candlesFor?.(t);
    cases.push({
      row: t,
      openTime: d.times[t],
      close: d.closes[t],
      label: d.labels[t],
      features,
      ...(candles
        ? {
            candles: Object.fromEntries(
              Object.entries(candles).map(([k, v]) => [k, columnsToJson(v as CandleColumns)]),
            ),
          }
        : {}),
      expected,
    });
  }
  return cases;
}

/** The golden.json document. */
export function goldenFile(featureNames: string[], window: number, cases: GoldenCase[]): GoldenFile {
  return {
    version: 1,
    window,
    featureNames,
    classNames: [...CLASS_NAMES],
    note: "Model input for a case = (features[s][f] - manifest.features[f].mean) / manifest.features[f].std, shape [1, window, features]. The forest reads that normalised window through the view in its manifest entry.",
    cases,
  };
}

/**
 * Normalised window [window * F] of a golden case (what the sequence models take), using the
 * manifest's mean/std. A std of 0 is treated as 1 (a constant feature becomes 0).
 */
export function normalisedWindow(c: GoldenCase, mean: ArrayLike<number>, std: ArrayLike<number>): Float32Array {
  const W = c.features.length;
  const F = mean.length;
  const out = new Float32Array(W * F);
  for (let s = 0; s < W; s++) for (let f = 0; f < F; f++) out[s * F + f] = (c.features[s][f] - mean[f]) / (std[f] || 1);
  return out;
}
