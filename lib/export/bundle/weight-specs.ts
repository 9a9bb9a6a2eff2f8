import type { io } from "@tensorflow/tfjs";
import { arr, lit, num, obj, run, str } from "../share/schema-kit";
import { damaged } from "./errors";

/**
 * The weight list of a bundle's model.json as this studio writes it: float32 weights, optionally
 * stored as float16 (`quantization: {dtype: "float16"}`), each with a shape of whole non-negative
 * dimensions. Checked before anything reads the shapes: a shape that was not an array used to
 * fail as "shape.reduce is not a function", and negative or fractional dimensions passed (issue 17).
 */
const weightSpecs = arr(
  obj(
    {
      name: str({ min: 1, max: 200, pattern: /^[A-Za-z0-9_.\-/]+$/ }),
      shape: arr(num({ min: 0, max: 2 ** 31 - 1, int: true }), { max: 8 }),
      dtype: lit("float32"),
    },
    { quantization: obj({ dtype: lit("float16") }) },
  ),
  { max: 10_000 },
);

/** The weight specs of `path` (model.json); a BundleError naming the file and field otherwise. */
export function checkWeightSpecs(value: unknown, path: string): io.WeightsManifestEntry[] {
  const r = run(weightSpecs, value, "strip");
  if (!r.ok) throw damaged(`${path} is invalid: weightsManifest[0].weights${r.error.replace(/^\(root\)/, "")}`);
  return r.value;
}

/** Bytes the weights of `specs` take in weights.bin (4 per float32 value, 2 per float16). */
export function weightSpecBytes(specs: readonly io.WeightsManifestEntry[]): number {
  let total = 0;
  for (const s of specs) total += s.shape.reduce((a, b) => a * b, 1) * (s.quantization?.dtype === "float16" ? 2 : 4);
  return total;
}
