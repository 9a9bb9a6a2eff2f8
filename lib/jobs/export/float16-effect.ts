/**
 * What float16 weights cost: a float16 bundle is read back, its models are evaluated on the run's
 * own test part exactly as an import would, and each test accuracy is put next to the float32
 * one the run measured; the golden vectors (float32 probabilities) give the largest probability
 * change. Sizes are the tfjs weights' bytes as stored and as float32 would store them.
 */
import type { Dataset } from "@/lib/core/dataset";
import { formatBytes, formatPct } from "@/lib/core/format";
import { unquantizedBytes } from "@/lib/export/tfjs-weights";
import { evaluateBundle, goldenChecks, openBundle, testAccuracies, type BundlePredictors } from "./import-bundle";
import type { RunEvaluation } from "../../run/types";

export interface Float16Effect {
  /** Per model and "ensemble": test accuracy with float32 weights (the run's) and with the bundle's. */
  accuracy: { model: string; float32: number; float16: number }[];
  /** Largest |probability change| over the golden cases, any model or the ensemble. */
  maxGoldenDiff: number;
  /** tfjs weight bytes in the bundle, and what float32 weights take. */
  weightBytes: number;
  float32WeightBytes: number;
}

export async function float16Effect(
  bundleBytes: Uint8Array,
  dataset: Dataset,
  evaluation: RunEvaluation,
  run: BundlePredictors,
): Promise<Float16Effect> {
  const bundle = openBundle(bundleBytes);
  const checks = await goldenChecks(bundle, run);
  const half = testAccuracies((await evaluateBundle(bundle, dataset, run, "float16 check")).evaluation);
  const full = testAccuracies(evaluation);
  let weightBytes = 0;
  let float32WeightBytes = 0;
  for (const id of ["transformer", "lstm"] as const) {
    const a = bundle[id];
    if (!a) continue;
    weightBytes += a.weightData.byteLength;
    float32WeightBytes += unquantizedBytes(a.weightSpecs);
  }
  return {
    accuracy: Object.keys(full)
      .filter((id) => id in half)
      .map((id) => ({ model: id, float32: full[id], float16: half[id] })),
    maxGoldenDiff: Math.max(...checks.map((c) => c.maxAbsDiff)),
    weightBytes,
    float32WeightBytes,
  };
}

/** One sentence for the page: sizes, largest probability change, accuracies before → after. */
export function describeFloat16Effect(e: Float16Effect): string {
  const acc = e.accuracy.map((a) => `${a.model} ${formatPct(a.float32, 1)} → ${formatPct(a.float16, 1)}`).join(", ");
  return `float16 tfjs weights take ${formatBytes(e.weightBytes)} instead of ${formatBytes(e.float32WeightBytes)}; largest probability change on the golden cases ${e.maxGoldenDiff.toExponential(1)}; test accuracy as trained (float32) → the bundle's float16 weights run here: ${acc}.`;
}
