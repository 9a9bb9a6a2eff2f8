/**
 * A planted leak, and which guard catches which leak.
 *
 * The pipeline here is the studio's in small: 1h indicator features (lib/core/features), labels
 * from the forward return over the horizon (lib/core/labels), a chronological split with a
 * purge, a forest with few trees (lib/models/forest), and the run's control verdict
 * (lib/run/control.ts: the block bootstrap's 95% interval against the chance level of the
 * model's own prediction mix).
 *
 * Two leaks, two guards:
 * - Look-ahead inside the features (the planted column: the very forward return the label is
 *   made from). The truncation test catches it: the feature at t changes when the candles after
 *   t are removed. The shuffled-label control does NOT: shuffling the labels within each part
 *   breaks the link between the leaked future and the labels as much as any other, so the
 *   control scores at chance although the unshuffled run scores far above it.
 * - Scoring rows the model was trained on (a test part inside the training part, parts that
 *   overlap). The control catches it: labels shuffled within each part carry no information,
 *   so only memorised rows can beat chance. The truncation test cannot see it, the features
 *   being causal.
 * The honest pipeline (causal features, disjoint parts) passes both.
 */
import { describe, expect, it } from "vitest";
import { sliceColumns, type CandleColumns } from "@/lib/core/candles";
import { CLASS_NAMES } from "@/lib/core/classes";
import type { SplitIndices } from "@/lib/core/dataset";
import { computeFeatureRows } from "@/lib/core/features/compute";
import { buildPreset } from "@/lib/core/features/presets";
import { DEFAULT_LABEL_SPEC, forwardReturns, labelRows } from "@/lib/core/labels";
import { mulberry32 } from "@/lib/core/random";
import { bootstrapIntervals, bootstrapTestSequence, classificationMetrics, permuteLabelsPerPart } from "@/lib/eval";
import { binMatrix, predictProba, trainForest } from "@/lib/models/forest";
import { fixtureMarket } from "@/test/market";
import { controlRow } from "./control";

const H = 3_600_000;
const HORIZON = DEFAULT_LABEL_SPEC.horizon;
/** The ten indicators of the 1h timeframe: causal by construction (features.test.ts proves it). */
const SPEC = buildPreset(["1h"]).filter((f) => f.timeframe === "1h");
const candles = fixtureMarket(4 * 24 * 60, 5).candles["1h"];

/** Feature rows [rows * F] of `c`; with `leak`, one more column: the forward return the label is made from. */
function featureRows(c: CandleColumns, leak: boolean): { values: Float64Array; F: number; valid: Uint8Array } {
  const r = computeFeatureRows({ candles: { "1h": c }, baseInterval: "1h", features: SPEC });
  const F = SPEC.length + (leak ? 1 : 0);
  const values = new Float64Array(r.baseRows * F);
  const fwd = forwardReturns(c.openTime, c.close, H, HORIZON);
  for (let t = 0; t < r.baseRows; t++) {
    for (let f = 0; f < SPEC.length; f++) values[t * F + f] = r.values[t * SPEC.length + f];
    if (leak) values[t * F + SPEC.length] = fwd[t];
  }
  return { values, F, valid: Uint8Array.from(r.valid) };
}

/** Rows t (of `rows`) whose features change when the candles after t are removed. */
function truncationViolations(leak: boolean, rows: readonly number[]): number[] {
  const full = featureRows(candles, leak);
  return rows.filter((t) => {
    const cut = featureRows(sliceColumns(candles, 0, t + 1), leak);
    for (let f = 0; f < full.F; f++)
      if (!Object.is(cut.values[t * full.F + f], full.values[t * full.F + f])) return true;
    return false;
  });
}

const labels = labelRows(forwardReturns(candles.openTime, candles.close, H, HORIZON), DEFAULT_LABEL_SPEC);

/** Rows with every feature and a label, ascending. */
function candidates(x: { values: Float64Array; F: number; valid: Uint8Array }): Int32Array {
  const out: number[] = [];
  for (let t = 0; t < x.valid.length; t++) {
    let ok = x.valid[t] === 1 && labels[t] >= 0;
    for (let f = 0; f < x.F && ok; f++) ok = Number.isFinite(x.values[t * x.F + f]);
    if (ok) out.push(t);
  }
  return Int32Array.from(out);
}

/** 60% train, a purge of the horizon, the rest test; `overlap`: the test part is the last 40% of the training rows. */
function split(ends: Int32Array, overlap: boolean): SplitIndices {
  const cut = Math.floor(ends.length * 0.6);
  const train = ends.slice(0, cut);
  const test = overlap ? train.slice(Math.floor(train.length * 0.6)) : ends.slice(cut + HORIZON);
  return { train, val: new Int32Array(0), test };
}

/** Trains a small forest on the training rows with `y` and returns the control row of its test predictions. */
function scoreOnTest(x: { values: Float64Array; F: number }, parts: SplitIndices, y: Int8Array) {
  const rowsOf = (ends: Int32Array) => {
    const m = new Float32Array(ends.length * x.F);
    ends.forEach((t, i) => m.set(x.values.subarray(t * x.F, (t + 1) * x.F), i * x.F));
    return m;
  };
  const trainY = Uint8Array.from(parts.train, (t) => y[t]);
  const forest = trainForest(
    {
      data: binMatrix(rowsOf(parts.train), parts.train.length, x.F),
      labels: trainY,
      numClasses: 4,
      featureNames: Array.from({ length: x.F }, (_, f) => `f${f}`),
    },
    { trees: 12, maxDepth: 24, seed: 3 },
  );
  const probs = predictProba(forest, rowsOf(parts.test));
  const testY = Uint8Array.from(parts.test, (t) => y[t]);
  const m = classificationMetrics(testY, probs, CLASS_NAMES);
  const ci = bootstrapIntervals(
    bootstrapTestSequence({ labels: testY }, [{ id: "forest", probs }], [], { horizon: HORIZON, resamples: 500 }),
  ).classification.forest;
  return controlRow({
    id: "forest",
    label: "Random Forest",
    metrics: {
      accuracy: m.accuracy,
      balancedAccuracy: m.balancedAccuracy,
      macroF1: m.macroF1,
      logLoss: null,
      precision: [],
      recall: [],
      ci95: { accuracy: ci.accuracy, balancedAccuracy: ci.balancedAccuracy, logLoss: null },
    },
    confusion: m.confusion,
  });
}

describe("a planted leak: the truncation test and the per-part shuffled-label control", () => {
  const honest = featureRows(candles, false);
  const leaky = featureRows(candles, true);
  const pick = mulberry32(2);
  const sampleRows = Array.from(
    { length: 10 },
    () => 100 + Math.floor(pick() * (candles.openTime.length - 100 - 2 * HORIZON)),
  );

  it("the truncation test catches the forward return copied into a feature, and passes the honest features", () => {
    expect(truncationViolations(true, sampleRows)).toEqual(sampleRows);
    expect(truncationViolations(false, sampleRows)).toEqual([]);
  });

  it("the leaked feature is real: with unshuffled labels the forest scores far above chance", () => {
    const ends = candidates(leaky);
    const row = scoreOnTest(leaky, split(ends, false), labels);
    expect(row.verdict).toBe("above");
    expect(row.accuracy - row.chanceAccuracy).toBeGreaterThan(0.3);
  });

  it("the per-part control does not catch look-ahead inside the features: it scores at chance (the truncation test's job)", () => {
    const parts = split(candidates(leaky), false);
    const row = scoreOnTest(leaky, parts, permuteLabelsPerPart(labels, parts, 11));
    expect(row.verdict).toBe("consistent");
  });

  it("the per-part control catches scoring on training rows, and the honest pipeline passes it", () => {
    const ends = candidates(honest);
    const overlapping = split(ends, true);
    const memorised = scoreOnTest(honest, overlapping, permuteLabelsPerPart(labels, overlapping, 11));
    expect(memorised.verdict).toBe("above");
    const disjoint = split(ends, false);
    const control = scoreOnTest(honest, disjoint, permuteLabelsPerPart(labels, disjoint, 11));
    expect(control.verdict).toBe("consistent");
    if (process.env.EVAL_VERBOSE) console.log({ memorised, control });
  });
});
