import type { io } from "@tensorflow/tfjs";
import * as v from "valibot";
import { arrayOf, finite, parseWith, safeText, type Schema } from "@/lib/core/schema";
import { damaged } from "./errors";

/**
 * The weight list of a bundle's model.json as this studio writes it: float32 weights, optionally
 * stored as float16 (`quantization: {dtype: "float16"}`), each with a shape of whole non-negative
 * dimensions. Checked before anything reads the shapes: a shape that was not an array used to
 * fail as "shape.reduce is not a function", and negative or fractional dimensions passed (issue 17).
 */
const weightSpecs = arrayOf(
  v.object({
    name: safeText({ min: 1, max: 200, pattern: /^[A-Za-z0-9_.\-/]+$/ }),
    shape: arrayOf(finite({ min: 0, max: 2 ** 31 - 1, int: true }), { max: 8 }),
    dtype: v.literal("float32", "expected one of float32"),
    quantization: v.optional(v.object({ dtype: v.literal("float16", "expected one of float16") })),
  }),
  { max: 10_000 },
) as Schema<io.WeightsManifestEntry[]>;

/** The weight specs of `path` (model.json); a BundleError naming the file and field otherwise. */
export function checkWeightSpecs(value: unknown, path: string): io.WeightsManifestEntry[] {
  const r = parseWith(weightSpecs, value);
  if (!r.ok) throw damaged(`${path} is invalid: weightsManifest[0].weights${r.error.replace(/^\(root\)/, "")}`);
  return r.value;
}

/** Bytes the weights of `specs` take in weights.bin (4 per float32 value, 2 per float16). */
export function weightSpecBytes(specs: readonly io.WeightsManifestEntry[]): number {
  let total = 0;
  for (const s of specs) total += s.shape.reduce((a, b) => a * b, 1) * (s.quantization?.dtype === "float16" ? 2 : 4);
  return total;
}
